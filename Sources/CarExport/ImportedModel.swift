import Assets
import Foundation
import NeuralNetwork
import Reinforcement
import Simulator
import Training

/// A DeepRacer model from a car archive (the console's, DeepRacer-for-Cloud's or Paddock's),
/// run through `GraphRunner` so it can be evaluated here. Kept in a model folder like any other,
/// with the graph at `paddock/imported/model.pb`.
public final class ImportedModel: @unchecked Sendable {
    public let folder: ModelFolder
    public let description: ModelDescription
    public let runner: GraphRunner
    public let inputName: String
    public let lidarInputName: String?
    public let outputName: String

    static func graphFile(_ folder: ModelFolder) -> URL {
        folder.url.appendingPathComponent("paddock/imported/model.pb")
    }

    /// Whether `folder` holds an imported model.
    public static func isImported(_ folder: ModelFolder) -> Bool {
        FileManager.default.fileExists(atPath: graphFile(folder).path)
    }

    /// Checks `archive` and installs it as model `folder` (which must not exist yet).
    @discardableResult
    public static func install(archive data: Data, path: String, into folder: ModelFolder, track: String) throws
        -> ImportedModel
    {
        guard !folder.exists else { throw ModelError.exists(folder.name) }
        let archive = try TarArchive.readGzip(data, path: path)
        let graphs = archive.entries.filter { !$0.isDirectory && $0.path.hasSuffix(".pb") }
        guard graphs.count == 1, let graph = graphs.first?.contents else {
            throw CarExportError.badArchive(
                path: path,
                reason: "it holds \(graphs.count) .pb files; a car archive holds exactly one (agent/model.pb)")
        }
        guard let metadataData = archive.file("model_metadata.json") else {
            throw CarExportError.badArchive(path: path, reason: "there is no model_metadata.json at the archive's root")
        }
        let metadata = try ModelMetadata(data: metadataData)
        let runner = try GraphRunner(modelPB: graph)
        _ = try Self.names(runner: runner, metadata: metadata)
        let settings = TrainingSettings(
            algorithm: metadata.algorithm, actionSpace: metadata.actionSpace,
            network: NetworkArchitecture(rawValue: metadata.network) ?? .deepRacerShallow,
            hyperparameters: .defaults(for: metadata.algorithm), sensors: metadata.sensors)
        let reward = """
            # This model was imported from \((path as NSString).lastPathComponent). A car archive carries no
            # reward function; this one only keeps the model folder complete.
            def reward_function(params):
                return 1.0

            """
        try folder.writeDescription(ModelDescription(track: track, settings: settings), rewardSource: reward)
        try FileManager.default.createDirectory(
            at: graphFile(folder).deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(graph, to: graphFile(folder))
        return try ImportedModel(folder: folder)
    }

    public init(folder: ModelFolder) throws {
        self.folder = folder
        description = try folder.readDescription()
        let data = try Data(contentsOf: Self.graphFile(folder))
        runner = try GraphRunner(modelPB: data)
        let metadata = try ModelMetadata(data: Data(contentsOf: folder.metadataFile))
        (inputName, lidarInputName, outputName) = try Self.names(runner: runner, metadata: metadata)
    }

    /// The input and output nodes, by the names the car uses.
    static func names(runner: GraphRunner, metadata: ModelMetadata) throws(CarExportError) -> (String, String?, String)
    {
        let network = metadata.algorithm == .sac ? "policy" : "main"
        let prefix = "main_level/agent/\(network)/online/network_0"
        let cameras = ["FRONT_FACING_CAMERA", "observation", "STEREO_CAMERAS", "LEFT_CAMERA"].map {
            "\(prefix)/\($0)/\($0)"
        }
        guard let input = cameras.first(where: runner.hasNode) else {
            throw .badGraph("it has no camera input under any name the car uses (such as \(cameras[0]))")
        }
        let lidar = ["LIDAR", "SECTOR_LIDAR"].map { "\(prefix)/\($0)/\($0)" }.first(where: runner.hasNode)
        let output = CarGraphNames.output(algorithm: metadata.algorithm)
        guard runner.hasNode(output) else { throw .badGraph("it has no output node \(output)") }
        return (input, lidar, output)
    }

    /// The graph's outputs for frames `(batch, 120, 160, channels)` (and LIDAR values after the
    /// camera bytes, as Paddock's observations hold them).
    public func outputs(_ observations: Tensor) throws(CarExportError) -> Tensor {
        let settings = description.settings
        let cameraSize = 120 * 160 * settings.cameraChannels
        let batch = observations.batchSize
        let itemSize = observations.itemSize
        var camera: [Float] = []
        var lidar: [Float] = []
        for row in 0..<batch {
            let start = row * itemSize
            camera += observations.values[start..<(start + cameraSize)]
            // Paddock keeps LIDAR metres times 255; the car feeds metres.
            lidar += observations.values[(start + cameraSize)..<(start + itemSize)].map { $0 / 255 }
        }
        var feeds = [inputName: Tensor(shape: [batch, 120, 160, settings.cameraChannels], values: camera)]
        if let lidarInputName {
            feeds[lidarInputName] = Tensor(shape: [batch, itemSize - cameraSize], values: lidar)
        }
        return try runner.run(outputName, feeds: feeds)
    }

    /// The action the car would take for one observation: the most likely action, or the
    /// outputs clipped to [-1, 1] (PPO) or squashed with tanh (SAC).
    public func act(_ observation: Tensor) -> AgentAction {
        guard let output = try? outputs(observation) else { return .discrete(0) }
        let settings = description.settings
        if !settings.actionSpace.isContinuous {
            let best = output.values.indices.max { output.values[$0] < output.values[$1] } ?? 0
            return .discrete(best)
        }
        if settings.algorithm == .sac { return .continuous(output.values.prefix(2).map { Float(tanh(Double($0))) }) }
        return .continuous(output.values.prefix(2).map { min(max($0, -1), 1) })
    }

    /// Evaluation trials as DeepRacer runs them, the graph choosing each action.
    public func evaluate(
        track: Track, trials: Int, raceType: RaceType, maximumSteps: Int = 10_000, seed: UInt64 = 0,
        onStep: (Int, StepResult, AgentAction) -> Void = { _, _, _ in }
    ) -> [TrialResult] {
        TrainedModel.evaluate(
            settings: description.settings, track: track, trials: trials, raceType: raceType,
            maximumSteps: maximumSteps, seed: seed, act: act, onStep: onStep)
    }
}
