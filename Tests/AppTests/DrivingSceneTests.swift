import Assets
import CarExport
import Foundation
import Lessons
import Model
import NeuralNetwork
import PaddockTestSupport
import Reinforcement
import Simulator
import Testing

@testable import App

/// The simulator panel's car driven by a model sees what that model was trained on.
@Suite struct DrivingSceneTests {
    /// Each new try keeps the last few trails, oldest first, so lessons can point at them.
    @Test func earlierTrailsAreKept() throws {
        let track = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
            .track(named: "beginner_loop")
        let scene = DrivingScene(scene: LessonScene(), track: track, driver: .keyboard, reward: nil, rewardError: nil)
        scene.keyboard.faster = true
        var trails: [[Vector2]] = []
        for _ in 0..<6 {
            for _ in 0..<12 { _ = scene.step() }
            trails.append(scene.trail)
            scene.restart()
        }
        #expect(scene.earlierTrails == Array(trails.suffix(DrivingScene.keptTrails)))
        #expect(scene.trail.count == 1)
        scene.restart()
        #expect(scene.earlierTrails.count == DrivingScene.keptTrails, "a try that never moved adds no trail")
    }

    /// A stereo camera and LIDAR model (untrained weights) drives a lesson scene: its input is
    /// the stereo pair and the LIDAR, not a single front frame, and the camera panel still shows
    /// one 160 x 120 frame.
    @Test func aStereoAndLidarModelDrivesALessonScene() throws {
        let models = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-scene-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: models) }
        var settings = TrainingSettings()
        settings.sensors = [.stereoCameras, .lidar]
        let folder = try ModelFolder(name: "stereo", in: models)
        var random = NetworkRandom(seed: 2)
        let learner = Learner.make(settings: settings, random: &random)
        try folder.writeDescription(ModelDescription(track: "beginner_loop", settings: settings), rewardSource: "")
        try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
        let model = try TrainedModel(folder: folder)
        let track = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
            .track(named: "beginner_loop")
        let scene = DrivingScene(scene: LessonScene(), track: track, driver: .keyboard, reward: nil, rewardError: nil)
        #expect(scene.observation.count == 120 * 160)
        scene.driver = .model(model)
        #expect(scene.observation.count == 120 * 160 * 2 + Lidar.beamCount)
        #expect(scene.cameraFrame.count == 120 * 160)
        for _ in 0..<10 { _ = scene.step() }
        #expect(scene.simulation.steps > 0)
        #expect(scene.observation.count == settings.observationShape.reduce(1, *))
        // Back to the keyboard: the front camera again.
        scene.driver = .keyboard
        #expect(scene.observation.count == 120 * 160)
    }

    /// A policy whose inference always fails.
    final class BrokenPolicy: CarPolicy {
        let name = "broken"
        let settings = TrainingSettings()
        struct Failure: Error, CustomStringConvertible {
            var description: String { "the graph's output is not a number" }
        }
        func act(_ observation: Tensor) throws -> AgentAction { throw Failure() }
    }

    /// An inference error stops the model driving, says why, and hands the learner the keys;
    /// it never becomes a made-up action.
    @Test func aModelThatCannotDriveSaysWhyAndHandsOverTheKeys() throws {
        let track = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
            .track(named: "beginner_loop")
        let scene = DrivingScene(
            scene: LessonScene(), track: track, driver: .model(BrokenPolicy()), reward: nil, rewardError: nil)
        _ = scene.step()
        #expect(scene.driverError?.contains("broken could not drive: the graph's output is not a number") == true)
        guard case .keyboard = scene.driver else {
            Issue.record("the broken model kept driving")
            return
        }
    }

    /// A model imported from a car archive drives a lesson scene too.
    @Test func anImportedModelDrivesALessonScene() throws {
        let models = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: models) }
        let settings = TrainingSettings()
        let trained = try ModelFolder(name: "trained", in: models)
        var random = NetworkRandom(seed: 3)
        let learner = Learner.make(settings: settings, random: &random)
        try trained.writeDescription(ModelDescription(track: "beginner_loop", settings: settings), rewardSource: "")
        try trained.writeCheckpoint(learner.parameters, metadata: "", to: trained.bestCheckpointFile)
        let archive = try CarArchive.make(folder: trained).gzipData()
        let imported = try ImportedModel.install(
            archive: archive, path: "trained.tar.gz", into: try ModelFolder(name: "imported", in: models),
            track: "beginner_loop")
        let track = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
            .track(named: "beginner_loop")
        let scene = DrivingScene(
            scene: LessonScene(), track: track, driver: .model(imported), reward: nil, rewardError: nil)
        for _ in 0..<15 { _ = scene.step() }
        #expect(scene.driverError == nil, "\(scene.driverError ?? "")")
        #expect(scene.simulation.steps == 15 || scene.endedEpisode != nil)
        guard case .model = scene.driver else {
            Issue.record("the imported model stopped driving")
            return
        }
    }
}
