import Assets
import Foundation
import PaddockTestSupport
import Reinforcement
import Testing

@testable import Model
@testable import NeuralNetwork
@testable import Simulator
@testable import Training

@Suite(.serialized) struct TrainingSessionTests {
    static let rewardSource =
        (try? String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("assets/reward_functions/follow_centre_line.py"),
            encoding: .utf8)) ?? ""

    static func track() throws -> Track {
        try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks")).track(named: "beginner_loop")
    }

    /// A small, quick run: 5 episodes an iteration, 1 evaluation episode, short episodes.
    static func settings(seed: UInt64 = 3) -> TrainingSettings {
        TrainingSettings(
            hyperparameters: Hyperparameters(batchSize: 64, numberOfEpochs: 3, episodesBetweenTraining: 5),
            evaluationEpisodes: 1, seed: seed, maximumEpisodeSteps: 60)
    }

    static func temporaryModels() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("paddock-models-\(UUID().uuidString)")
    }

    @Test func iterationsWriteDeepRacersLayoutAndResume() throws {
        let models = Self.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "test_model", in: models)
        let description = ModelDescription(track: "beginner_loop", settings: Self.settings())
        var session = try TrainingSession(
            folder: folder, description: description, track: try Self.track(), rewardSource: Self.rewardSource)
        let report = try #require(try session.runIteration())
        #expect(report.training.count == 5)
        #expect(report.evaluation.count == 1)
        for path in [
            "training-simtrace/0-iteration.csv", "model/model_metadata.json", "ip/hyperparameters.json",
            "metrics/TrainingMetrics.json", "reward_function.py", "paddock/settings.json", "paddock/state.json",
            "paddock/checkpoints/iteration-1.weights", "paddock/checkpoints/best.weights",
        ] {
            #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(path).path), "\(path)")
        }
        let csv = try String(contentsOf: folder.simtraceFile(iteration: 0), encoding: .utf8)
        #expect(csv.hasPrefix(SimtraceRow.header + "\n"))
        let rows = csv.split(separator: "\n").dropFirst()
        #expect(rows.count == report.steps)
        #expect(Set(rows.map { $0.split(separator: ",")[0] }) == ["0", "1", "2", "3", "4"])
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.metadataFile)) as? [String: Any]
        #expect(metadata?["action_space_type"] as? String == "discrete")
        #expect(metadata?["training_algorithm"] as? String == "clipped_ppo")
        #expect(metadata?["sensor"] as? [String] == ["FRONT_FACING_CAMERA"])
        #expect((metadata?["action_space"] as? [[String: Any]])?.count == 10)
        let metrics =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.trainingMetricsFile)) as? [String: Any]
        #expect(metrics?["version"] as? Double == 2.0)
        #expect((metrics?["metrics"] as? [[String: Any]])?.count == 6)

        // A new session on the same folder continues where the first stopped.
        session = try TrainingSession(
            folder: folder, description: description, track: try Self.track(), rewardSource: Self.rewardSource)
        #expect(session.state.iterations == 1)
        #expect(session.state.episodes == 5)
        let second = try #require(try session.runIteration())
        #expect(FileManager.default.fileExists(atPath: folder.simtraceFile(iteration: 1).path))
        // The metrics read back as the two iterations (what the app's graph shows for a model it opens).
        let iterations = try folder.readMetrics().iterations
        #expect(iterations.map(\.iteration) == [1, 2])
        #expect(iterations.map(\.episodes) == [5, 5])
        for (read, reported) in zip(iterations, [report, second]) {
            #expect(abs(read.trainingCompletion - reported.meanTrainingCompletion) < 1)
            #expect(abs(read.meanReward - reported.meanTrainingReward) < 1)
            #expect(abs((read.evaluationCompletion ?? -1) - reported.meanEvaluationCompletion) < 1)
        }
        let again =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.trainingMetricsFile)) as? [String: Any]
        let times = (again?["metrics"] as? [[String: Any]])?.compactMap { $0["metric_time"] as? Int } ?? []
        #expect(times.count == 12)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    }

    /// Runs of training entries, each closed by the evaluation entries after it; a last run
    /// without its evaluation still counts.
    @Test func metricsGroupIntoIterations() {
        func entry(_ phase: String, _ reward: Int, _ completion: Int) -> TrainingMetrics.Entry {
            TrainingMetrics.Entry(
                rewardScore: reward, metricTime: 0, startTime: 0, episode: 0, trial: 0, phase: phase,
                completionPercentage: completion, episodeStatus: "Off track")
        }
        let metrics = TrainingMetrics(metrics: [
            entry("training", 10, 20), entry("training", 20, 40), entry("evaluation", 0, 100),
            entry("evaluation", 0, 50), entry("training", 30, 60), entry("evaluation", 0, 10), entry("training", 5, 5),
        ])
        let iterations = metrics.iterations
        #expect(iterations.map(\.iteration) == [1, 2, 3])
        #expect(iterations.map(\.episodes) == [2, 1, 1])
        #expect(iterations.map(\.meanReward) == [15, 30, 5])
        #expect(iterations.map(\.trainingCompletion) == [30, 60, 5])
        #expect(iterations.map(\.evaluationCompletion) == [75, 10, nil])
        #expect(TrainingMetrics().iterations.isEmpty)
    }

    @Test func checkpointsRestoreTheNetwork() throws {
        let models = Self.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "restore", in: models)
        let description = ModelDescription(track: "beginner_loop", settings: Self.settings())
        let session = try TrainingSession(
            folder: folder, description: description, track: try Self.track(), rewardSource: Self.rewardSource)
        _ = try session.runIteration()
        let resumed = try TrainingSession(
            folder: folder, description: description, track: try Self.track(), rewardSource: Self.rewardSource)
        #expect(resumed.trainer.learner.parameters.map(\.value) == session.trainer.learner.parameters.map(\.value))
    }

    /// A damaged training record stops the next run with a message naming the file, and the
    /// model's checkpoints stay as they were (it used to start over and overwrite best.weights).
    @Test(arguments: ["state damaged", "state missing", "metrics damaged", "iteration checkpoint missing"])
    func aDamagedTrainingRecordStopsTrainingAndKeepsTheCheckpoints(damage: String) throws {
        let models = Self.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "precious", in: models)
        let description = ModelDescription(track: "beginner_loop", settings: Self.settings())
        let session = try TrainingSession(
            folder: folder, description: description, track: try Self.track(), rewardSource: Self.rewardSource)
        _ = try session.runIteration()
        let best = try Data(contentsOf: folder.bestCheckpointFile)
        let damaged: URL
        switch damage {
        case "state damaged":
            damaged = folder.stateFile
            try Data("{\"iterations\": 1, \"epis".utf8).write(to: damaged)
        case "state missing":
            damaged = folder.stateFile
            try FileManager.default.removeItem(at: damaged)
        case "iteration checkpoint missing":
            damaged = folder.checkpointFile(iteration: 1)
            try FileManager.default.removeItem(at: damaged)
        default:
            damaged = folder.trainingMetricsFile
            try Data("not json".utf8).write(to: damaged)
        }
        do {
            _ = try TrainingSession(
                folder: folder, description: description, track: try Self.track(), rewardSource: Self.rewardSource)
            Issue.record("\(damage): training went on")
        } catch let error as ModelError {
            let message = error.description
            #expect(message.contains(damaged.path) || message.contains("checkpoint of iteration 1"), "\(message)")
            #expect(message.contains("paddock models clone precious"), "\(message)")
        }
        #expect(try Data(contentsOf: folder.bestCheckpointFile) == best)
        if damage != "iteration checkpoint missing" {
            #expect(FileManager.default.fileExists(atPath: folder.checkpointFile(iteration: 1).path))
        }
    }

    /// A clone whose starting weights cannot be read stops, instead of training from scratch.
    @Test func aDamagedCloneStartStopsTraining() throws {
        let models = Self.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "clone", in: models)
        try FileManager.default.createDirectory(at: folder.checkpointsDirectory, withIntermediateDirectories: true)
        try Data("not weights".utf8).write(to: folder.initialWeightsFile)
        #expect(throws: ModelError.self) {
            try TrainingSession(
                folder: folder, description: ModelDescription(track: "beginner_loop", settings: Self.settings()),
                track: try Self.track(), rewardSource: Self.rewardSource)
        }
    }

    @Test func otherSettingsAreRefused() throws {
        let models = Self.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "fixed", in: models)
        _ = try TrainingSession(
            folder: folder, description: ModelDescription(track: "beginner_loop", settings: Self.settings()),
            track: try Self.track(), rewardSource: Self.rewardSource)
        var other = Self.settings()
        other.network = .deepRacerShallow
        #expect(throws: ModelError.self) {
            try TrainingSession(
                folder: folder, description: ModelDescription(track: "beginner_loop", settings: other),
                track: try Self.track(),
                rewardSource: Self.rewardSource)
        }
    }

    @Test func badModelNamesAreRefused() {
        #expect(throws: ModelError.self) { try ModelFolder(name: "my model", in: Self.temporaryModels()) }
        #expect(throws: ModelError.self) { try ModelFolder(name: "../escape", in: Self.temporaryModels()) }
    }

    /// deepracer-utils (from PyPI, in the virtual environment scripts/python-tools.sh makes) reads
    /// a Paddock model folder as it reads DeepRacer's.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PADDOCK_PYTHON_TOOLS"] != nil))
    func deepRacerUtilsReadsTheFolder() throws {
        let python = try #require(ProcessInfo.processInfo.environment["PADDOCK_PYTHON_TOOLS"])
        let models = Self.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "logs", in: models)
        let session = try TrainingSession(
            folder: folder, description: ModelDescription(track: "beginner_loop", settings: Self.settings()),
            track: try Self.track(), rewardSource: Self.rewardSource)
        var steps = 0
        for _ in 0..<2 { steps += try #require(try session.runIteration()).steps }
        let script = """
            import sys
            from deepracer.logs import DeepRacerLog
            log = DeepRacerLog(model_folder=sys.argv[1])
            log.load_training_trace()
            df = log.dataframe()
            print(len(df), df['episode'].nunique(), df['iteration'].nunique())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, folder.url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        let numbers = output.split(separator: "\n").last?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(numbers == [steps, 10, 2], "\(output)")
    }
}

@Suite(.serialized) struct TrainedModelTests {
    @Test func aTrainedModelLoadsPredictsAndEvaluates() throws {
        let models = TrainingSessionTests.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "driver", in: models)
        let session = try TrainingSession(
            folder: folder,
            description: ModelDescription(track: "beginner_loop", settings: TrainingSessionTests.settings()),
            track: try TrainingSessionTests.track(), rewardSource: TrainingSessionTests.rewardSource)
        _ = try session.runIteration()
        let model = try TrainedModel(folder: folder)
        // The best checkpoint is the one just written: the same network.
        #expect(model.learner.policy.parameters.map(\.value) == session.trainer.learner.policy.parameters.map(\.value))
        let frames = Tensor(shape: [2, 120, 160, 1], values: [Float](repeating: 90, count: 2 * 120 * 160))
        let outputs = model.outputs(frames)
        #expect(outputs.shape == [2, 10])
        #expect(abs(outputs.values[0..<10].reduce(0, +) - 1) < 1e-5)
        var steps = 0
        let trials = try model.evaluate(
            track: try TrainingSessionTests.track(), trials: 2, raceType: .timeTrial, maximumSteps: 80
        ) { _, _, _ in steps += 1 }
        #expect(trials.count == 2)
        #expect(trials.allSatisfy { $0.steps <= 80 && (0...100).contains($0.completion) })
        #expect(steps == trials.map(\.steps).reduce(0, +))
    }

    @Test func anUntrainedModelSaysSo() throws {
        let models = TrainingSessionTests.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "empty", in: models)
        try folder.writeDescription(
            ModelDescription(track: "beginner_loop", settings: TrainingSessionTests.settings()), rewardSource: "")
        #expect(throws: ModelError.self) { try TrainedModel(folder: folder) }
    }
}

@Suite(.serialized) struct AlgorithmTests {
    /// SAC and continuous PPO run an iteration, save, and load back.
    @Test(arguments: [Hyperparameters.Algorithm.sac, .ppo])
    func continuousAlgorithmsTrainAndReload(algorithm: Hyperparameters.Algorithm) throws {
        let models = TrainingSessionTests.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "continuous", in: models)
        var hyperparameters = Hyperparameters.defaults(for: algorithm)
        hyperparameters.batchSize = 32
        hyperparameters.numberOfEpochs = 3
        if algorithm == .ppo { hyperparameters.episodesBetweenTraining = 5 }
        let settings = TrainingSettings(
            algorithm: algorithm, actionSpace: .continuous(steering: -30...30, speed: 0.5...1),
            hyperparameters: hyperparameters,
            evaluationEpisodes: 1, seed: 2, maximumEpisodeSteps: 150)
        let session = try TrainingSession(
            folder: folder, description: ModelDescription(track: "beginner_loop", settings: settings),
            track: try TrainingSessionTests.track(), rewardSource: TrainingSessionTests.rewardSource)
        let report = try #require(try session.runIteration())
        #expect(report.steps > 0)
        let csv = try String(contentsOf: folder.simtraceFile(iteration: 0), encoding: .utf8)
        #expect(csv.split(separator: "\n").dropFirst().allSatisfy { $0.contains(",[") })  // continuous actions
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.metadataFile)) as? [String: Any]
        #expect(metadata?["action_space_type"] as? String == "continuous")
        #expect(metadata?["training_algorithm"] as? String == algorithm.rawValue)
        let model = try TrainedModel(folder: folder)
        #expect(model.learner.isContinuous)
        let outputs = model.outputs(Tensor(shape: [1, 120, 160, 1], values: [Float](repeating: 80, count: 120 * 160)))
        #expect(outputs.shape == [1, 2])
    }
}

@Suite(.serialized) struct SensorModelTests {
    /// A camera + LIDAR model trains, lists LIDAR with its lidar_config for the car, and drives.
    @Test func cameraAndLidarModel() throws {
        let models = TrainingSessionTests.temporaryModels()
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "lidar", in: models)
        var settings = TrainingSessionTests.settings()
        settings.sensors = [.frontFacingCamera, .lidar]
        #expect(settings.observationShape == [120 * 160 + 64])
        let session = try TrainingSession(
            folder: folder, description: ModelDescription(track: "beginner_loop", settings: settings),
            track: try TrainingSessionTests.track(), rewardSource: TrainingSessionTests.rewardSource)
        _ = try #require(try session.runIteration())
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.metadataFile)) as? [String: Any]
        #expect(metadata?["sensor"] as? [String] == ["FRONT_FACING_CAMERA", "LIDAR"])
        let lidar = metadata?["lidar_config"] as? [String: Any]
        #expect(
            Set(lidar?.keys.map { $0 } ?? []) == [
                "num_values", "min_angle", "max_angle", "min_distance", "max_distance", "clipping_distance",
                "num_sectors",
            ])
        let model = try TrainedModel(folder: folder)
        let trials = try model.evaluate(
            track: try TrainingSessionTests.track(), trials: 1, raceType: .timeTrial, maximumSteps: 40)
        #expect(trials.count == 1)
    }

    @Test func stereoModelTakesTwoChannels() throws {
        var settings = TrainingSessionTests.settings()
        settings.sensors = [.stereoCameras]
        #expect(settings.observationShape == [120, 160, 2])
        var random = NetworkRandom(seed: 1)
        let learner = Learner.make(settings: settings, random: &random)
        let output = learner.outputs(
            Tensor(shape: [1, 120, 160, 2], values: [Float](repeating: 50, count: 120 * 160 * 2)))
        #expect(output.shape == [1, 10])
    }
}
