import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Workshop

/// The leaderboard page as a browser shows it: a live host on loopback, Chromium headless
/// loading `/`, running the page's script (which fetches `/leaderboard.json`) and printing the
/// resulting DOM.
@Suite(.serialized) struct LeaderboardPageTests {
    @Test func thePageShowsTheStandingsInOrder() async throws {
        let host = try Host()
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
        let host = try Host()
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
    static func render(_ host: Host) async throws -> HeadlessBrowser.Page {
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

/// Chromium without a window, for tests of the pages the host serves: finds the browser, prints
/// a page's DOM after its scripts ran, and reads elements and table rows out of that DOM.
/// Debian's `chromium-headless-shell` (or `chromium`) comes from `scripts/setup.sh`.
enum HeadlessBrowser {
    /// Why the browser could not give a page, with what to do.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The browsers tried, in order: Debian 12's small headless build first.
    static let candidates = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"]

    /// The path of a Chromium on PATH (or /usr/bin), or nil.
    static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for name in candidates {
            for directory in directories {
                let file = directory + "/" + name
                if FileManager.default.isExecutableFile(atPath: file) { return file }
            }
        }
        return nil
    }

    /// Loads `url`, lets its scripts run for up to `budget` milliseconds of the page's own
    /// (virtual) time, and returns the DOM then. Takes about half a second of real time here.
    static func dumpDOM(url: String, budget: Int = 5000, timeout: TimeInterval = 60) throws -> String {
        guard let browser = find() else {
            throw Failure(
                description:
                    "No headless Chromium found (tried \(candidates.joined(separator: ", ")) on PATH). Run `bash scripts/setup.sh`, which installs it."
            )
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments =
            (browser.hasSuffix("headless-shell") ? [] : ["--headless"]) + [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--virtual-time-budget=\(budget)", "--dump-dom", url,
            ]
        // Output to files, not pipes: nothing to drain while waiting, and a browser's helper
        // processes cannot hold the test up by keeping a pipe open.
        let output = profile.appendingPathExtension("html")
        let errors = profile.appendingPathExtension("log")
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: output)
        let errorHandle = try FileHandle(forWritingTo: errors)
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
        }
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        let start = ContinuousClock.now
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let elapsed = ContinuousClock.now - start
        print("HeadlessBrowser: \(URL(fileURLWithPath: browser).lastPathComponent) rendered \(url) in \(elapsed)")
        let dom = (try? Data(contentsOf: output)) ?? Data()
        guard process.terminationStatus == 0, process.terminationReason == .exit, !dom.isEmpty else {
            let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(
                description:
                    "\(browser) failed on \(url) (status \(process.terminationStatus) after \(elapsed); stopped after \(timeout) s if it ran that long): \(log.suffix(2000))"
            )
        }
        return String(decoding: dom, as: UTF8.self)
    }

    /// A rendered page's DOM, with a way to read single elements out of it.
    struct Page {
        var dom: String

        /// The text inside `<title>`.
        var documentTitle: String? {
            HeadlessBrowser.between("<title>", "</title>", in: dom).map(HeadlessBrowser.unescape)
        }

        /// The element with this id: its opening tag's attributes and its text (tags dropped,
        /// entities decoded). For elements without nested elements of the same tag.
        func element(id: String) -> (attributes: String, text: String)? {
            guard let marker = dom.range(of: "id=\"\(id)\""),
                let open = dom[..<marker.lowerBound].range(of: "<", options: .backwards),
                let close = dom[marker.upperBound...].range(of: ">")
            else { return nil }
            let tag = dom[open.upperBound...].prefix { $0.isLetter || $0.isNumber }
            guard let end = dom[close.upperBound...].range(of: "</\(tag)>") else { return nil }
            return (
                String(dom[open.lowerBound..<close.upperBound]),
                HeadlessBrowser.text(dom[close.upperBound..<end.lowerBound])
            )
        }
    }

    /// One `<tr>`: its classes and its cells' text.
    struct Row: Equatable {
        var classes: [String]
        var cells: [String]
    }

    /// The rows of the `<tbody id="…">` in `dom`.
    static func tableRows(body id: String, in dom: String) -> [Row] {
        guard let start = dom.range(of: "<tbody id=\"\(id)\""),
            let end = dom[start.upperBound...].range(of: "</tbody>")
        else { return [] }
        let body = dom[start.upperBound..<end.lowerBound]
        return body.components(separatedBy: "<tr").dropFirst().map { piece in
            let tag = piece.prefix { $0 != ">" }
            let classes =
                between("class=\"", "\"", in: String(tag)).map { $0.split(separator: " ").map(String.init) } ?? []
            let cells = piece.components(separatedBy: "<td").dropFirst().map { cell in
                let content = cell.drop { $0 != ">" }.dropFirst()
                return text(content.components(separatedBy: "</td>").first.map { $0[...] } ?? content)
            }
            return Row(classes: classes, cells: cells)
        }
    }

    /// The leaderboard page's table, one list of cell texts per row, in the page's order.
    static func leaderboardRows(in dom: String) -> [[String]] {
        tableRows(body: "rows", in: dom).map(\.cells)
    }

    /// Text between the first `start` and the `end` after it.
    static func between(_ start: String, _ end: String, in text: String) -> String? {
        guard let open = text.range(of: start), let close = text[open.upperBound...].range(of: end) else {
            return nil
        }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Markup's text: tags dropped, entities decoded, spaces trimmed.
    static func text(_ markup: Substring) -> String {
        var plain = ""
        var inTag = false
        for character in markup {
            if character == "<" {
                inTag = true
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                plain.append(character)
            }
        }
        return unescape(plain).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Decodes the entities Chromium writes in text and attributes.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
    }
}
