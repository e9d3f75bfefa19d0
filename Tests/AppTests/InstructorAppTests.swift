import App
import Assets
import Foundation
import Imaging
import PaddockTestSupport
import Testing
import WorkshopTestSupport

@testable import Workshop

/// An app made for a test, with its own `$PADDOCK_HOME`.
@MainActor func makeApp(home: URL) throws -> AppModel {
    let catalog = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
    return try AppModel(
        library: LessonLibrary.load(
            from: RepositoryPaths.root.appendingPathComponent("lessons"), tracks: Set(catalog.entries.map(\.id))),
        home: PaddockHome(url: home), dataDirectory: DataDirectory(root: RepositoryPaths.root), catalog: catalog)
}

/// Renders the app's window offscreen.
@MainActor func render(_ model: AppModel) throws -> Canvas {
    try AppWindow.render(model: model, width: 1280, height: 800)
}

/// Writes a frame to `$PADDOCK_TEST_SCREENSHOTS/NAME.png` when that is set, to look at by eye.
func keepScreenshot(_ canvas: Canvas, _ name: String) throws {
    guard let directory = ProcessInfo.processInfo.environment["PADDOCK_TEST_SCREENSHOTS"] else { return }
    let url = URL(fileURLWithPath: directory).appendingPathComponent("\(name).png")
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(PNG.encode(canvas)).write(to: url)
}

/// Ticks the apps (0.25 s of app time a round, 50 ms apart) until `condition` holds, for at
/// most `seconds` of wall time.
@MainActor func tickUntil(_ models: [AppModel], seconds: Double = 60, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() && ContinuousClock.now < deadline {
        for model in models { model.tick(seconds: 0.25) }
        try await Task.sleep(for: .milliseconds(50))
    }
}

@MainActor func tickUntil(_ model: AppModel, seconds: Double = 60, _ condition: () -> Bool) async throws {
    try await tickUntil([model], seconds: seconds, condition)
}

/// The instructor hosts the workshop from the app: the room's pacing, the students' list, the
/// race settings and the projector.
@MainActor @Suite(.serialized) struct InstructorAppTests {
    @Test func theInstructorRunsTheRoomFromTheApp() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-host-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let model = try makeApp(home: home)
        model.savesProgress = false
        model.hostWorkshop(port: 0)
        #expect(model.sheet == .instructor)
        try await tickUntil(model) { model.instructor.listeningPort != nil && model.instructor.info != nil }
        let port = try #require(model.instructor.listeningPort)
        let info = try #require(model.instructor.info)
        #expect(model.instructor.joinAddress?.hasSuffix(":\(port)") == true)

        // A second host on the same port says what is wrong and what to do.
        let other = try makeApp(home: home.appendingPathComponent("other"))
        other.savesProgress = false
        other.hostWorkshop(port: port)
        try await tickUntil(other) { other.instructor.server == nil }
        #expect(other.instructor.status.contains("port \(port) is in use"), "\(other.instructor.status)")

        // A student joins over loopback and appears in the instructor's list.
        let student = WorkshopClient(address: "127.0.0.1:\(port)")
        _ = try await blocking { try student.join(code: info.joinCode, name: "Bo") }
        try await tickUntil(model) { model.instructor.students.map(\.name) == ["Bo"] }
        #expect(model.instructor.students.first?.submission == nil)

        // The room moves on a step; the instructor's own app goes there too; the student follows.
        model.moveRoom(by: 1)
        #expect(model.instructor.info?.step == 2 && model.stepIndex == 1)
        var pacing = try await blocking { try student.pacing() }
        #expect(pacing.lesson == 1 && pacing.step == 2 && !pacing.selfPaced)
        // Back past the first step of lesson 2 goes to the end of lesson 1.
        model.go(lesson: 1, step: 0)
        model.bringRoomHere()
        model.moveRoom(by: -1)
        #expect(model.instructor.info?.lesson == 1)
        #expect(model.instructor.info?.step == model.library.lessons[0].steps.count)
        model.toggleSelfPaced()
        pacing = try await blocking { try student.pacing() }
        #expect(pacing.selfPaced)

        // The race: a lap on another track.
        model.changeRaceLaps(by: -2)
        #expect(model.instructor.info?.raceLaps == 1)
        model.changeRaceTrack(by: 1)
        let track = try #require(model.instructor.info?.raceTrack)
        #expect(track != "beginner_loop")
        let archive = try #require(Data(base64Encoded: try archiveBase64()))
        _ = try await blocking {
            try student.submit(archive: archive, rewardFunction: "def reward_function(p): return 1.0")
        }
        // The host's evaluator runs at the lowest priority; the test lends it a thread at normal
        // priority, since other suites keep both cores busy.
        let evaluator = try #require(model.instructor.server?.evaluator)
        try await blocking { evaluator.drain() }
        try await tickUntil(model) { model.instructor.replay.cars.count == 1 }
        #expect(model.instructor.students.first?.submission == "done")
        #expect(model.instructor.leaderboard?.rows.first?.name == "Bo")
        let sheet = try render(model)
        try keepScreenshot(sheet, "instructor")
        // The instructor reads what Bo sent: the host's verdict and the reward function.
        let bo = try #require(model.instructor.students.first)
        #expect(bo.rewardFunction.contains("def reward_function"))
        #expect(bo.submissionMessage.contains("1 of 1 laps") || bo.submissionMessage.contains("0 of 1 laps"))
        model.selectStudent(bo.id)
        let reading = try render(model)
        try keepScreenshot(reading, "submission")
        #expect(reading != sheet)
        model.selectStudent(nil)

        model.startRace()
        #expect(model.instructor.info?.raceStarted == true)
        let projector = try #require(model.instructor.projector)
        #expect(projector.track.id == track)
        for _ in 0..<8 { model.tick(seconds: 0.25) }
        #expect(model.instructor.projector?.clock ?? 0 >= 1.9)
        let frame = try render(model)
        try keepScreenshot(frame, "projector")
        #expect(frame != sheet)
        // Keys do not reach the lesson while the race is on screen; Esc leaves it.
        model.key(.nextStep, pressed: true)
        #expect(model.stepIndex == model.library.lessons[0].steps.count - 1)
        model.key(.escape, pressed: true)
        #expect(model.instructor.projector == nil)

        // Stopping and hosting again continues the same workshop.
        model.stopHosting()
        #expect(model.instructor.server == nil)
        model.hostWorkshop(port: 0)
        try await tickUntil(model) { model.instructor.info != nil && model.instructor.listeningPort != nil }
        #expect(model.instructor.info?.joinCode == info.joinCode)
        #expect(model.instructor.info?.raceTrack == track)
        model.stopHosting()
    }
}
