import Foundation
import Model
import NeuralNetwork
import PaddockTestSupport
import Reinforcement
import Simulator
import Testing

@testable import CarExport

/// The exported graphs against TensorFlow and OpenVINO from PyPI (scripts/python-tools.sh makes
/// the virtual environment; CI always has it, so these run there).
@Suite(.serialized, .enabled(if: PythonTools.available))
struct TensorFlowTests {
    static func run(_ arguments: [String]) throws -> [String: Any] {
        let python = try #require(PythonTools.python, "PADDOCK_PYTHON_TOOLS names the tools' Python")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments =
            [RepositoryPaths.root.appendingPathComponent("scripts/checks/car_model.py").path] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: message.suffix(3000), as: UTF8.self))")
        let text = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static func save(_ tensor: Tensor, _ url: URL) throws {
        let array = NumpyArray(elementType: .float32, shape: tensor.shape, values: tensor.values.map { Double($0) })
        try Data(array.encoded()).write(to: url)
    }

    static let cases: [(String, TrainingSettings)] = [
        ("PPO discrete, 3-layer", TrainingSettings(network: .deepRacerShallow)),
        ("PPO continuous", TrainingSettings(actionSpace: .continuous(steering: -30...30, speed: 0.5...1))),
        (
            "SAC",
            TrainingSettings(
                algorithm: .sac, actionSpace: .continuous(steering: -30...30, speed: 0.5...1),
                hyperparameters: .defaults(for: .sac))
        ),
    ]

    /// TensorFlow loads the archive's model.pb by the car's names and agrees with Paddock;
    /// OpenVINO converts it as the car does (FP16, [1, 120, 160, 1]) and picks the same action
    /// (discrete), or means within 0.01 (continuous: the car drives the means themselves; the
    /// larger of two near-equal means, which an argmax compared, says nothing).
    @Test(arguments: 0..<3)
    func theCarsToolsLoadTheExportAndAgree(_ index: Int) throws {
        let (name, settings) = Self.cases[index]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-tf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = NetworkRandom(seed: 11)
        let learner = Learner.make(settings: settings, random: &random)
        let folder = try ModelFolder(name: "tf_check", in: directory)
        try folder.writeDescription(ModelDescription(track: "s_bend_loop", settings: settings), rewardSource: "")
        try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
        let archive = try CarArchive.make(folder: folder)
        #expect(CarArchive.problems(archive, fileName: "tf_check.tar.gz").isEmpty)
        let graph = try #require(archive.file("agent/model.pb"))
        let modelPB = directory.appendingPathComponent("model.pb")
        try graph.write(to: modelPB)
        let frames = try Frames.render(count: 100)
        let framesURL = directory.appendingPathComponent("frames.npy")
        let expectedURL = directory.appendingPathComponent("expected.npy")
        try Self.save(frames, framesURL)
        try Self.save(learner.outputs(frames), expectedURL)
        let report = try Self.run([
            "check", modelPB.path, CarGraphNames.input(algorithm: settings.algorithm, sensor: .frontFacingCamera),
            CarGraphNames.output(algorithm: settings.algorithm), framesURL.path, expectedURL.path,
            settings.actionSpace.isContinuous ? "continuous" : "discrete",
        ])
        let difference = try #require(report["tensorflow_max_abs_difference"] as? Double)
        #expect(difference <= 1e-4, "\(name): TensorFlow differs by \(difference)")
        let agreement = try #require(report["openvino_agreement"] as? Double)
        #expect(agreement >= 0.99, "\(name): OpenVINO FP16 agrees on \(agreement * 100)% of frames")
    }

    /// A DeepRacer graph built and frozen by TensorFlow (DeepRacer's names, its flatten and
    /// gradient-rescaler ops) runs in Paddock with TensorFlow's outputs, and imports as a model
    /// that drives in the simulator.
    @Test func aTensorFlowMadeDeepRacerModelImportsAndMatches() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-tf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let frames = try Frames.render(count: 20)
        let framesURL = directory.appendingPathComponent("frames.npy")
        try Self.save(frames, framesURL)
        let modelPB = directory.appendingPathComponent("model.pb")
        let outputsURL = directory.appendingPathComponent("outputs.npy")
        let report = try Self.run(["make-deepracer", modelPB.path, framesURL.path, outputsURL.path, "5"])
        let ops = report["ops"] as? [String] ?? []
        #expect(ops.contains("StridedSlice") && ops.contains("StopGradient") && ops.contains("RealDiv"))
        let expected = try NumpyArray(bytes: [UInt8](Data(contentsOf: outputsURL)), source: outputsURL.path)

        let metadata = Data(
            #"{"action_space": [{"steering_angle": -30, "speed": 0.8, "index": 0}, {"steering_angle": -15, "speed": 0.8, "index": 1}, {"steering_angle": 0, "speed": 0.8, "index": 2}, {"steering_angle": 15, "speed": 0.8, "index": 3}, {"steering_angle": 30, "speed": 0.8, "index": 4}], "sensor": ["FRONT_FACING_CAMERA"], "neural_network": "DEEP_CONVOLUTIONAL_NETWORK_SHALLOW", "training_algorithm": "clipped_ppo", "action_space_type": "discrete", "version": "4"}"#
                .utf8)
        let archive = TarArchive(entries: [
            .init(path: "model_metadata.json", contents: metadata),
            .init(path: "agent/model.pb", contents: try Data(contentsOf: modelPB)),
        ])
        let folder = try ModelFolder(name: "imported", in: directory.appendingPathComponent("models"))
        let model = try ImportedModel.install(
            archive: archive.gzipData(), path: "deepracer.tar.gz", into: folder, track: "s_bend_loop")
        let outputs = try model.outputs(frames)
        #expect(outputs.shape == expected.shape)
        let difference = zip(outputs.values, expected.values).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(difference < 1e-4, "Paddock and TensorFlow differ by \(difference)")
        let trials = try model.evaluate(
            track: try Track(
                npyBytes: [UInt8](
                    Data(contentsOf: RepositoryPaths.root.appendingPathComponent("tracks/s_bend_loop.npy"))),
                id: "s_bend_loop", source: "s_bend_loop.npy"), trials: 1, raceType: .timeTrial, maximumSteps: 200)
        #expect(trials.count == 1)
        #expect(trials[0].steps > 0)
    }
}

extension TensorFlowTests {
    /// The console's own policy graph (Coach's gradient rescaler and computed flatten included),
    /// frozen with seeded weights by the shared freeze.py, imports, matches TensorFlow on real
    /// Gazebo camera frames, and drives.
    @Test(arguments: [1, 2, 3])
    func stockConsoleGraphsRunAsTensorFlowRunsThem(seed: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-stock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("stock")
        let framesURL = directory.appendingPathComponent("frames.npy")
        let outputsURL = directory.appendingPathComponent("outputs.npy")
        let report = try Self.run(["stock", model.path, String(seed), framesURL.path, outputsURL.path])
        let ops = report["ops"] as? [String] ?? []
        #expect(ops.contains("Pack") && ops.contains("StopGradient") && ops.contains("StridedSlice"))
        let frames = try NumpyArray(bytes: [UInt8](Data(contentsOf: framesURL)), source: framesURL.path)
        let expected = try NumpyArray(bytes: [UInt8](Data(contentsOf: outputsURL)), source: outputsURL.path)
        let folder = try ModelFolder(name: "stock", in: directory.appendingPathComponent("models"))
        let imported = try ImportedModel.install(
            source: ModelSource(folder: model), into: folder, track: "s_bend_loop")
        let outputs = try imported.outputs(Tensor(shape: frames.shape, values: frames.values.map { Float($0) }))
        #expect(outputs.shape == expected.shape)
        let difference = zip(outputs.values, expected.values).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(difference <= 1e-4, "seed \(seed): Paddock and TensorFlow differ by \(difference)")
        let trials = try imported.evaluate(
            track: TestTrack.circle(), trials: 1, raceType: .timeTrial, maximumSteps: 60)
        #expect(trials.count == 1 && trials[0].steps > 0)
    }
}

extension TensorFlowTests {
    /// Policies built as Coach builds DeepRacer's, for the other kinds of model: a continuous
    /// head, stereo cameras, and a camera with LIDAR joined by ConcatV2.
    @Test(arguments: ["continuous", "stereo", "lidar"])
    func coachBuiltModelsOfEveryKindRunAsTensorFlowRunsThem(kind: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-coach-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent(kind)
        let urls = ["frames", "lidar", "outputs"].map { directory.appendingPathComponent("\($0).npy") }
        let report = try Self.run(["make-coach", kind, model.path, "4"] + urls.map(\.path))
        #expect((report["ops"] as? [String] ?? []).contains("Pack"))
        let (frames, lidar, expected) = (
            try NumpyArray(bytes: [UInt8](Data(contentsOf: urls[0])), source: "frames"),
            try NumpyArray(bytes: [UInt8](Data(contentsOf: urls[1])), source: "lidar"),
            try NumpyArray(bytes: [UInt8](Data(contentsOf: urls[2])), source: "outputs")
        )
        let folder = try ModelFolder(name: kind, in: directory.appendingPathComponent("models"))
        let imported = try ImportedModel.install(source: ModelSource(folder: model), into: folder, track: "s_bend_loop")
        // Paddock's observations: the camera bytes, then LIDAR metres times 255.
        let count = frames.shape[0]
        let cameraSize = frames.values.count / count
        let withLidar = kind == "lidar"
        var values: [Float] = []
        for row in 0..<count {
            values += frames.values[(row * cameraSize)..<((row + 1) * cameraSize)].map { Float($0) }
            if withLidar { values += lidar.values[(row * 64)..<((row + 1) * 64)].map { Float($0 * 255) } }
        }
        let shape = withLidar ? [count, cameraSize + 64] : frames.shape
        let outputs = try imported.outputs(Tensor(shape: shape, values: values))
        #expect(outputs.shape == expected.shape)
        let difference = zip(outputs.values, expected.values).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(difference <= 1e-4, "\(kind): Paddock and TensorFlow differ by \(difference)")
        let trials = try imported.evaluate(track: TestTrack.circle(), trials: 1, raceType: .timeTrial, maximumSteps: 30)
        #expect(trials.count == 1 && trials[0].steps > 0)
    }
}

enum PythonTools {
    static var python: String? { ProcessInfo.processInfo.environment["PADDOCK_PYTHON_TOOLS"] }
    /// On CI the tools must be there: a missing environment fails instead of skipping.
    static var available: Bool { python != nil || ProcessInfo.processInfo.environment["CI"] != nil }
}
