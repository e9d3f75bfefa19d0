import Foundation
import Model
import NeuralNetwork
import PaddockTestSupport
import Reinforcement
import Simulator
import Testing

@testable import CarExport

/// Camera frames rendered by the simulator along a track, as the car would see them.
enum Frames {
    static func render(count: Int, stereo: Bool = false, lidar: Bool = false) throws -> Tensor {
        let url = RepositoryPaths.root.appendingPathComponent("tracks/s_bend_loop.npy")
        let track = try Track(npyBytes: [UInt8](Data(contentsOf: url)), id: "s_bend_loop", source: url.path)
        var kinds: [SensorKind] = [stereo ? .stereoCameras : .frontFacingCamera]
        if lidar { kinds.append(.lidar) }
        var sensors = Sensors(kinds: kinds, track: track)
        var simulation = Simulation(track: track)
        simulation.reset()
        var values: [Float] = []
        var itemShape: [Int] = []
        for index in 0..<count {
            // Poses along the lap, some off the centre line and turned, for varied pictures.
            let pose = track.pose(atDistance: track.length * Double(index) / Double(count))
            let offset = Double(index % 5 - 2) * 0.12
            let position = pose.position + Vector2(angle: pose.heading + Double.pi / 2) * offset
            simulation.place(CarState(position: position, heading: pose.heading + Double(index % 3 - 1) * 0.3))
            let observation = sensors.observe(simulation)
            let bytes = TrainingSettings.observationBytes(observation)
            values += bytes.map { Float($0) }
            itemShape = lidar ? [bytes.count] : [120, 160, observation.channels]
        }
        return Tensor(shape: [count] + itemShape, values: values)
    }
}

@Suite struct GraphExportTests {
    static func learner(_ settings: TrainingSettings, seed: UInt64 = 3) -> Learner {
        var random = NetworkRandom(seed: seed)
        return Learner.make(settings: settings, random: &random)
    }

    static let cases: [(String, TrainingSettings)] = [
        ("PPO discrete, 3-layer", TrainingSettings(network: .deepRacerShallow)),
        ("PPO discrete, 5-layer", TrainingSettings(network: .deepRacerDeep)),
        (
            "PPO continuous, paddock-fast",
            TrainingSettings(actionSpace: .continuous(steering: -30...30, speed: 0.5...1))
        ),
        (
            "SAC",
            TrainingSettings(
                algorithm: .sac, actionSpace: .continuous(steering: -30...30, speed: 0.5...1),
                hyperparameters: .defaults(for: .sac))
        ),
        ("stereo", TrainingSettings(network: .deepRacerShallow, sensors: [.stereoCameras])),
        ("camera + LIDAR", TrainingSettings(sensors: [.frontFacingCamera, .lidar])),
    ]

    /// Paddock's own graph runner gives Paddock's outputs on the exported graph, for every kind.
    @Test(arguments: 0..<6)
    func exportedGraphsComputeWhatPaddockComputes(_ index: Int) throws {
        let (name, settings) = Self.cases[index]
        let learner = Self.learner(settings)
        let data = try GraphExporter.modelPB(policy: learner.policy, settings: settings)
        let runner = try GraphRunner(modelPB: data)
        let ops = Set(runner.graph.node.map(\.op))
        #expect(
            ops.isSubset(of: [
                "Placeholder", "Const", "Mul", "Conv2D", "BiasAdd", "Relu", "Reshape", "MatMul", "AddV2", "Softmax",
                "Identity",
            ]), "\(name): \(ops)")
        let frames = try Frames.render(
            count: 4, stereo: settings.sensors.contains(.stereoCameras), lidar: settings.lidarSize > 0)
        let expected = learner.outputs(frames)
        let camera: SensorKind = settings.sensors.contains(.stereoCameras) ? .stereoCameras : .frontFacingCamera
        let input = CarGraphNames.input(algorithm: settings.algorithm, sensor: camera)
        #expect(runner.inputs.first?.name == input)
        #expect(runner.inputs.first?.shape == [-1, 120, 160, settings.cameraChannels])
        var feeds: [String: Tensor] = [:]
        if settings.lidarSize > 0 {
            let cameraSize = 120 * 160
            var images: [Float] = []
            var lidar: [Float] = []
            for row in 0..<frames.batchSize {
                let start = row * frames.itemSize
                images += frames.values[start..<(start + cameraSize)]
                lidar += frames.values[(start + cameraSize)..<(start + frames.itemSize)].map { $0 / 255 }
            }
            feeds[input] = Tensor(shape: [frames.batchSize, 120, 160, 1], values: images)
            feeds[CarGraphNames.input(algorithm: settings.algorithm, sensor: .lidar)] = Tensor(
                shape: [frames.batchSize, settings.lidarSize], values: lidar)
        } else {
            feeds[input] = frames
        }
        let output = try runner.run(CarGraphNames.output(algorithm: settings.algorithm), feeds: feeds)
        #expect(output.shape == expected.shape, "\(name)")
        let difference = zip(output.values, expected.values).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-4, "\(name): max difference \(difference)")
    }

    @Test func anUnknownOpIsNamedWithItsNode() throws {
        var graph = Tensorflow_GraphDef()
        var node = Tensorflow_NodeDef()
        node.name = "main_level/agent/main/online/network_1/lstm"
        node.op = "LSTMBlockCell"
        graph.node = [node]
        #expect(
            throws: CarExportError.unsupportedOp(
                op: "LSTMBlockCell", node: "main_level/agent/main/online/network_1/lstm")
        ) {
            _ = try GraphRunner(modelPB: graph.serializedData())
        }
        #expect(throws: CarExportError.self) { _ = try GraphRunner(modelPB: Data("not a graph".utf8)) }
    }
}

@Suite struct CarArchiveTests {
    @Test func tarRoundTripsAndGzipIsGzip() throws {
        let archive = TarArchive(entries: [
            .init(path: "model_metadata.json", contents: Data("{}".utf8)),
            .init(path: "agent", contents: Data(), isDirectory: true),
            .init(path: "agent/model.pb", contents: Data((0..<1500).map { UInt8($0 % 251) })),
        ])
        let data = try archive.gzipData()
        #expect(data.prefix(2) == Data([0x1F, 0x8B]))
        #expect(try TarArchive.readGzip(data, path: "x.tar.gz") == archive)
    }

    @Test func loaderRulesFindWhatTheCarRejects() throws {
        let metadata = Data(
            #"{"action_space": [{"steering_angle": 0, "speed": 1, "index": 0}, {"steering_angle": 30, "speed": 1, "index": 1}], "sensor": ["FRONT_FACING_CAMERA"], "neural_network": "DEEP_CONVOLUTIONAL_NETWORK_SHALLOW", "training_algorithm": "clipped_ppo", "action_space_type": "discrete", "version": "5"}"#
                .utf8)
        let good = TarArchive(entries: [
            .init(path: "model_metadata.json", contents: metadata), .init(path: "agent/model.pb", contents: Data([1])),
        ])
        #expect(CarArchive.problems(good, fileName: "my_car.tar.gz").isEmpty)
        var twoGraphs = good
        twoGraphs.entries.append(.init(path: "agent/other.pb", contents: Data([2])))
        twoGraphs.entries.append(.init(path: "agent/checkpoint", contents: Data([3])))
        let problems = CarArchive.problems(twoGraphs, fileName: "my car.v2.tar.gz")
        #expect(problems.contains { $0.contains("2 .pb files") })
        #expect(problems.contains { $0.contains("agent/checkpoint has no extension") })
        #expect(problems.contains { $0.contains("has a space") })
        #expect(problems.contains { $0.contains("extra dots") })
        let wrapped = TarArchive(entries: [
            .init(path: "model/model_metadata.json", contents: metadata),
            .init(path: "model/agent/model.pb", contents: Data([1])),
        ])
        #expect(CarArchive.problems(wrapped, fileName: "m.tar.gz").contains { $0.contains("at the archive's root") })
        var badType = good
        badType.entries[0].contents = Data(#"{"action_space_type": "Discrete"}"#.utf8)
        #expect(CarArchive.problems(badType, fileName: "m.tar.gz").contains { $0.contains("compares it exactly") })
        #expect(CarArchive.sanitizedName("my car.v2") == "my_car_v2")
    }
}
