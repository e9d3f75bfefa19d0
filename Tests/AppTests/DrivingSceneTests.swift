import Assets
import Foundation
import Lessons
import Model
import NeuralNetwork
import PaddockTestSupport
import Simulator
import Testing

@testable import App

/// The simulator panel's car driven by a model sees what that model was trained on.
@Suite struct DrivingSceneTests {
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
}
