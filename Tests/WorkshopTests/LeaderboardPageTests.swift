import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WorkshopTestSupport

@testable import Workshop

/// The leaderboard page as a browser shows it: a live host on loopback, Chromium headless
/// loading `/`, running the page's script (which fetches `/leaderboard.json`) and printing the
/// resulting DOM.
@Suite(.serialized) struct LeaderboardPageTests {
    @Test func thePageShowsTheStandingsInOrder() async throws {
        let host = try TestHost()
        let store = host.server.store
        _ = try store.updateInfo {
            $0.title = "Friday's race <3 & friends"
            $0.raceTrack = "beginner_loop"
            $0.raceLaps = 3
            $0.raceStarted = true
        }
        // Known results, added straight to the store (nothing is evaluated): Grace is fastest on
        // average; Ada's latest model (not her faster first one) counts; Eve finished two laps of
        // three, Linus one; Ken's model waits in the queue; Joan joined but sent nothing.
        func add(_ name: String, _ results: [(averageLap: Double?, laps: [Double?], offTracks: Int, status: String)])
            throws
        {
            let (student, _) = try store.join(name: name)
            for result in results {
                let trials =
                    "[" + result.laps.map { $0.map { "{\"lapTime\":\($0)}" } ?? "{}" }.joined(separator: ",") + "]"
                _ = try store.add(
                    .init(
                        id: nil, studentId: student.id ?? 0, receivedAt: Date(), archive: Data(), rewardFunction: "",
                        status: result.status, message: "", trials: trials, averageLap: result.averageLap,
                        bestLap: result.laps.compactMap { $0 }.min(), offTracks: result.offTracks))
            }
        }
        try add("Ada", [(9.0, [9.0, 9.0, 9.0], 0, "done"), (12.3456, [12.0, 11.9, 13.1368], 1, "done")])
        try add("Grace", [(10.5, [10.1, 10.6, 10.8], 0, "done")])
        try add("<b>Eve</b> & Co", [(nil, [14.25, nil, 15.0], 4, "done")])
        try add("Linus", [(nil, [nil, 20.0, nil], 2, "done")])
        try add("Ken", [(nil, [], 0, "queued")])
        _ = try store.join(name: "Joan")

        let page = try await Self.render(host)
        #expect(page.element(id: "title")?.text == "Friday's race <3 & friends")
        #expect(page.documentTitle == "Friday's race <3 & friends · Paddock race")
        #expect(page.element(id: "meta")?.text == "beginner_loop · 3 laps · race on")
        let rows = HeadlessBrowser.leaderboardRows(in: page.dom)
        #expect(
            rows == [
                ["1", "Grace", "10.50 s", "10.10 s", "3 / 3", "0"],
                ["2", "Ada", "12.35 s", "11.90 s", "3 / 3", "1"],
                ["3", "<b>Eve</b> & Co", "—", "14.25 s", "2 / 3", "4"],
                ["4", "Linus", "—", "20.00 s", "1 / 3", "2"],
                ["5", "Ken", "—", "—", "0 / 0", "0"],
            ])
        // The same order as the host's own leaderboard.
        #expect(rows.map { $0[1] } == (try host.server.leaderboard().rows.map(\.name)))
        // Only the leader is highlighted; the name went in as text, not as markup.
        #expect(HeadlessBrowser.tableRows(body: "rows", in: page.dom).map(\.classes) == [["first"], [], [], [], []])
        #expect(!page.dom.contains("<b>Eve</b>"))
        #expect(page.element(id: "empty")?.attributes.contains("display: none") == true)
    }

    @Test func withoutSubmissionsThePageSaysSo() async throws {
        let host = try TestHost()
        _ = try host.server.store.join(name: "Ada")
        let page = try await Self.render(host)
        #expect(page.element(id: "title")?.text == "Test workshop")
        #expect(page.element(id: "meta")?.text == "beginner_loop · 3 laps · waiting for the start")
        #expect(HeadlessBrowser.leaderboardRows(in: page.dom).isEmpty)
        let empty = try #require(page.element(id: "empty"))
        #expect(empty.text == "No models yet: submit yours from the app.")
        #expect(empty.attributes.contains("display: block"))
    }

    /// Serves `host` on a loopback port and returns the page's DOM as Chromium renders it.
    static func render(_ host: TestHost) async throws -> HeadlessBrowser.Page {
        let app = Application(
            router: host.server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let dom = try await app.test(.live) { client in
            let port = try #require(client.port)
            // The browser waits on the host, whose handlers need the cooperative pool: block a
            // GCD thread, not one of the pool's.
            return try await blocking { try HeadlessBrowser.dumpDOM(url: "http://127.0.0.1:\(port)/") }
        }
        return HeadlessBrowser.Page(dom: dom)
    }
}
