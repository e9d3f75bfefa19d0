import Assets
import Foundation
import Model
import NeuralNetwork
import Reinforcement
import Simulator

/// A DeepRacer model from a car archive (the console's, DeepRacer-for-Cloud's or Paddock's),
/// run through `GraphRunner` so it can be evaluated here. Kept in a model folder like any other,
/// with the graph at `paddock/imported/model.pb`.
public final class ImportedModel: CarPolicy {
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
        try install(source: ModelSource(archive: data, path: path), into: folder, track: track)
    }

    /// Picks the model in `source` (see `ModelSource.select`), checks it and installs it as model
    /// `folder` (which must not exist yet). The graph must decode, use only ops Paddock runs, have
    /// the car's input and output names, and run on a frame giving one output per action (2 for a
    /// continuous space), all finite; otherwise nothing is stored and the error says why.
    @discardableResult
    public static func install(source: ModelSource, checkpoint: Int? = nil, into folder: ModelFolder, track: String)
        throws -> ImportedModel
    {
        guard !folder.exists else { throw ModelError.exists(folder.name) }
        let selection = try source.select(checkpoint: checkpoint)
        let description = try check(graph: selection.graph, metadata: selection.metadata, folder: folder, track: track)
        let name = (source.path as NSString).lastPathComponent
        let reward = """
            # This model was imported from \(name) (\(selection.graphPath)). A car archive carries no
            # reward function; this one only keeps the model folder complete.
            def reward_function(params):
                return 1.0

            """
        try folder.writeDescription(description, rewardSource: reward)
        try FileManager.default.createDirectory(
            at: graphFile(folder).deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(selection.graph, to: graphFile(folder))
        return try ImportedModel(folder: folder)
    }

    /// The checks `install` makes, writing nothing: the metadata reads, the graph decodes (acyclic,
    /// bounded, known ops), has the car's input and output names, and runs on one test frame
    /// from the input placeholder to the output, every shape checked on the way, giving one
    /// finite output per action (2 for a continuous space). The workshop host runs this in a
    /// child process (`paddock workshop check-submissions`) before it accepts a submission.
    ///
    /// - Returns: the model's description on `track`.
    @discardableResult
    public static func check(
        graph: Data, metadata metadataData: Data,
        folder: ModelFolder? = nil, track: String = "reInvent2019_track"
    ) throws -> ModelDescription {
        // The trial model is never saved; a folder name is all it needs.
        let folder = try folder ?? ModelFolder(name: "unsaved", in: FileManager.default.temporaryDirectory)
        let metadata = try ModelMetadata(data: metadataData)
        let runner = try GraphRunner(modelPB: graph)
        let settings = TrainingSettings(
            algorithm: metadata.algorithm, actionSpace: metadata.actionSpace,
            network: NetworkArchitecture(rawValue: metadata.network) ?? .deepRacerShallow,
            hyperparameters: .defaults(for: metadata.algorithm), sensors: metadata.sensors)
        let description = ModelDescription(track: track, settings: settings)
        let trial = try ImportedModel(folder: folder, description: description, runner: runner, metadata: metadata)
        let observation = Tensor(
            shape: [1] + settings.observationShape,
            values: [Float](repeating: 128, count: settings.observationShape.reduce(1, *)))
        _ = try trial.act(observation)
        return description
    }

    init(folder: ModelFolder, description: ModelDescription, runner: GraphRunner, metadata: ModelMetadata)
        throws(CarExportError)
    {
        self.folder = folder
        self.description = description
        self.runner = runner
        (inputName, lidarInputName, outputName) = try Self.names(runner: runner, metadata: metadata)
    }

    public init(folder: ModelFolder) throws {
        self.folder = folder
        description = try folder.readDescription()
        let data = try Data(contentsOf: Self.graphFile(folder))
        runner = try GraphRunner(modelPB: data)
        let metadata = try ModelMetadata(data: Data(contentsOf: folder.metadataFile))
        (inputName, lidarInputName, outputName) = try Self.names(runner: runner, metadata: metadata)
    }

    public var settings: TrainingSettings { description.settings }
    public var name: String { folder.name }

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
    ///
    /// - Throws: the graph's error, or an output that does not fit the action space or is not a
    ///   number. Never a made-up action.
    public func act(_ observation: Tensor) throws(CarExportError) -> AgentAction {
        let output = try outputs(observation)
        let settings = description.settings
        let expected = settings.actionSpace.isContinuous ? 2 : settings.actionSpace.outputCount
        guard output.values.count == expected * observation.batchSize else {
            throw .badGraph(
                "its output has \(output.values.count / max(observation.batchSize, 1)) values where model_metadata.json's "
                    + (settings.actionSpace.isContinuous
                        ? "continuous action space needs 2 (steering, speed)" : "action space has \(expected) actions")
                    + "; the graph and the metadata must come from the same model")
        }
        guard output.values.allSatisfy(\.isFinite) else {
            throw .badGraph("its output is not a number (NaN or infinite): \(output.values.prefix(expected))")
        }
        if !settings.actionSpace.isContinuous {
            let best = output.values.indices.max { output.values[$0] < output.values[$1] } ?? 0
            return .discrete(best)
        }
        if settings.algorithm == .sac { return .continuous(output.values.prefix(2).map { Float(tanh(Double($0))) }) }
        return .continuous(output.values.prefix(2).map { min(max($0, -1), 1) })
    }

}
