import App
import Assets
import Foundation
import Hummingbird
import HummingbirdTesting
import PaddockTestSupport
import Testing
import WorkshopTestSupport

@testable import Workshop

/// The app joins a live host, follows the instructor's pacing and reports where it is.
@MainActor @Suite(.serialized) struct AppWorkshopTests {
    @Test func theAppJoinsAndFollowsThePacing() async throws {
        let host = try TestHost()
        let app = Application(
            router: host.server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-app-ws-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let catalog = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
        let model = try AppModel(
            library: LessonLibrary.load(
                from: RepositoryPaths.root.appendingPathComponent("lessons"), tracks: Set(catalog.entries.map(\.id))
            ),
            home: PaddockHome(url: home), dataDirectory: DataDirectory(root: RepositoryPaths.root), catalog: catalog
        )
        try await app.test(.live) { @MainActor client in
            let port = try #require(client.port)
            model.openWorkshop()
            #expect(model.isTyping)
            model.typeText("127.0.0.1:\(port)")
            model.key(.tab, pressed: true)
            model.typeText("WRONG1")
            model.key(.tab, pressed: true)
            model.typeText("Ada")
            model.key(.enter, pressed: true)
            try await Self.waitUntil(ticking: model) { !model.workshop.status.hasPrefix("Joining") }
            #expect(model.workshop.client == nil)
            #expect(model.workshop.status.contains("join code"))

            // The right code: joined, then the instructor moves the room to lesson 3, step 2.
            model.focusWorkshopField(1)
            for _ in 0..<6 { model.key(.backspace, pressed: true) }
            model.typeText(host.code)
            model.joinWorkshop()
            try await Self.waitUntil(ticking: model) { model.workshop.client != nil }
            _ = try host.server.store.updateInfo {
                $0.lesson = 3
                $0.step = 2
            }
            try await Self.waitUntil(ticking: model) { model.lessonIndex == 2 && model.stepIndex == 1 }
            #expect(model.lesson.id == "the_environment")
            try await Self.waitUntil(ticking: model) { (try? host.server.store.students().first?.lesson) == 3 }
            #expect(try host.server.store.students().first?.name == "Ada")
        }
    }

    /// Ticks the model (2 s of app time per round) until `condition` holds, for at most 20 rounds.
    static func waitUntil(ticking model: AppModel? = nil, _ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() {
            model?.tick(seconds: 0.25)
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(condition())
    }
}
