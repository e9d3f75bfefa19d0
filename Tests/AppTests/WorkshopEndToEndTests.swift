import App
import Assets
import Foundation
import Model
import NeuralNetwork
import PaddockTestSupport
import Reinforcement
import Testing
import Training
import WorkshopTestSupport

@testable import Workshop

/// The workshop as a room uses it, on one machine over loopback: an instructor's app hosts, three
/// students' apps join, follow the pacing and submit their models, the instructor starts the
/// race, and the leaderboard web page (in headless Chromium) shows what the instructor's app shows.
@MainActor @Suite(.serialized) struct WorkshopEndToEndTests {
    @Test func anInstructorAndThreeStudentsRunAWorkshop() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-room-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let instructor = try makeApp(home: root.appendingPathComponent("instructor"))
        instructor.savesProgress = false
        instructor.hostWorkshop(port: 0)
        defer { instructor.stopHosting() }
        try await tickUntil(instructor) {
            instructor.instructor.listeningPort != nil && instructor.instructor.info != nil
        }
        let port = try #require(instructor.instructor.listeningPort)
        let code = try #require(instructor.instructor.info?.joinCode)
        instructor.changeRaceLaps(by: -1)

        // Three students, each with a model of their own: two trained a little (different seeds
        // and amounts), one not trained at all.
        let names = ["Ada", "Grace", "Linus"]
        let began = ContinuousClock.now
        var students: [AppModel] = []
        for (index, name) in names.enumerated() {
            let home = root.appendingPathComponent(name)
            try await blocking { try Self.makeModel(home: home, seed: UInt64(index), iterations: [4, 1, 0][index]) }
            let student = try makeApp(home: home)
            student.savesProgress = false
            student.openWorkshop()
            student.typeText("127.0.0.1:\(port)")
            student.key(.tab, pressed: true)
            student.typeText(code.lowercased())
            student.key(.tab, pressed: true)
            student.typeText(name)
            student.key(.enter, pressed: true)
            try await tickUntil(student) { student.workshop.client != nil }
            #expect(student.workshop.client != nil, "\(name): \(student.workshop.status)")
            students.append(student)
        }
        print("Models made in \(ContinuousClock.now - began).")
        try await tickUntil(instructor) { instructor.instructor.students.count == 3 }
        #expect(instructor.instructor.students.map(\.name) == names)

        // The instructor moves the room to lesson 2, step 2; every student's app follows and says so.
        instructor.go(lesson: 1, step: 1)
        instructor.bringRoomHere()
        for student in students {
            try await tickUntil(student) { student.lessonIndex == 1 && student.stepIndex == 1 }
            #expect(student.lessonIndex == 1 && student.stepIndex == 1)
        }
        try await tickUntil([instructor] + students) {
            instructor.instructor.students.allSatisfy { $0.lesson == 2 && $0.step == 2 }
        }
        #expect(instructor.instructor.students.allSatisfy { $0.lesson == 2 && $0.step == 2 })

        // Each submits from the app; the host races them in its queue.
        for student in students {
            student.submitToWorkshop()
            try await tickUntil(student) { student.workshop.status.hasPrefix("Submitted") }
            #expect(student.workshop.status.hasPrefix("Submitted"), "\(student.workshop.status)")
        }
        instructor.startRace()
        let raceStart = ContinuousClock.now
        // The evaluator runs at the lowest priority; lend it a thread (other suites keep the cores busy).
        let evaluator = try #require(instructor.instructor.server?.evaluator)
        try await blocking { evaluator.drain() }
        try await tickUntil(instructor, seconds: 240) {
            instructor.instructor.replay.cars.count == 3
                && instructor.instructor.leaderboard?.rows.allSatisfy { $0.status == "done" } == true
        }
        print("The host raced 3 models in \(ContinuousClock.now - raceStart).")
        let board = try #require(instructor.instructor.leaderboard)
        print(board.rows.map { "\($0.rank) \($0.name) \($0.averageLap ?? -1) \($0.lapsCompleted)/\($0.laps)" })
        #expect(board.rows.count == 3 && board.raceStarted && board.laps == 2)
        #expect(Set(board.rows.map(\.name)) == Set(names))
        #expect(instructor.instructor.projector != nil)
        try keepScreenshot(try render(instructor), "race")

        // The web page, rendered by a real browser, shows the same standings as the app.
        let dom = try await blocking { try HeadlessBrowser.dumpDOM(url: "http://127.0.0.1:\(port)/") }
        let page = HeadlessBrowser.leaderboardRows(in: dom)
        let app = board.rows.map { row in
            [
                "\(row.rank)", row.name, Self.seconds(row.averageLap), Self.seconds(row.bestLap),
                "\(row.lapsCompleted) / \(row.laps)", "\(row.offTracks)",
            ]
        }
        #expect(page == app)
        #expect(dom.contains("race on"))
    }

    /// The page's way of writing a lap time.
    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.2f s", $0) } ?? "—" }

    /// The app's current model (`my_first_car`) in a student's home, trained for `iterations`
    /// short iterations (6 episodes, 3 epochs, 1 evaluation: this is a test of the room, not of learning).
    nonisolated static func makeModel(home: URL, seed: UInt64, iterations: Int) throws {
        let settings = TrainingSettings(
            hyperparameters: Hyperparameters(numberOfEpochs: 3, episodesBetweenTraining: 6), evaluationEpisodes: 1,
            seed: seed, maximumEpisodeSteps: 1_000)
        let folder = try ModelFolder(
            name: "my_first_car", in: ModelFolder.modelsDirectory(environment: ["PADDOCK_HOME": home.path]))
        let description = ModelDescription(track: "beginner_loop", settings: settings)
        let reward = try String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("assets/reward_functions/follow_centre_line.py"),
            encoding: .utf8)
        if iterations == 0 {
            var random = NetworkRandom(seed: seed)
            let learner = Learner.make(settings: settings, random: &random)
            try folder.writeDescription(description, rewardSource: reward)
            try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
            return
        }
        let track = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
            .track(named: "beginner_loop")
        let session = try TrainingSession(folder: folder, description: description, track: track, rewardSource: reward)
        for _ in 0..<iterations { _ = try session.runIteration() }
    }
}
