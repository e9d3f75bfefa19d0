import Assets
import Foundation
import NeuralNetwork
import Synchronization

/// A checkpoint of a model: an iteration's (weights and optimiser), the best one, or the weights
/// a clone starts from.
public enum Checkpoint: Hashable, Sendable {
    case iteration(Int)
    case best
    case initial
}

/// Where a training run keeps what it makes: the model's settings, its state, DeepRacer's
/// metrics and simtrace logs, and its checkpoints. `ModelFolder` keeps them in DeepRacer's
/// folder layout, written atomically; `MemoryTrainingStore` keeps them in memory (tests).
public protocol TrainingStore: Sendable {
    /// The model's name, for messages.
    var name: String { get }
    /// How the reward function is named in its errors and tracebacks (its file's path).
    var rewardFileName: String { get }
    /// Whether the model has been created (its settings saved).
    var exists: Bool { get }
    func readDescription() throws -> ModelDescription
    func writeDescription(_ description: ModelDescription, rewardSource: String) throws
    /// nil before the first finished iteration. Throws when the record is damaged.
    func readState() throws -> TrainingState?
    func writeState(_ state: TrainingState) throws
    /// No entries before the first iteration. Throws when the record is damaged.
    func readMetrics() throws -> TrainingMetrics
    func writeMetrics(_ metrics: TrainingMetrics) throws
    func writeSimtrace(_ text: String, iteration: Int) throws
    /// nil when there is no such checkpoint; throws when it is there but cannot be read.
    func readCheckpoint(_ checkpoint: Checkpoint) throws -> NetworkFile.Contents?
    func writeCheckpoint(_ tensors: [Parameter], metadata: String, _ checkpoint: Checkpoint) throws
    func removeCheckpoint(_ checkpoint: Checkpoint)
}

extension ModelFolder: TrainingStore {
    public var rewardFileName: String { rewardFile.path }

    public func readState() throws -> TrainingState? { try TrainingState.read(self) }

    public func writeState(_ state: TrainingState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(state), to: stateFile)
    }

    public func readMetrics() throws -> TrainingMetrics { try TrainingMetrics.read(trainingMetricsFile, model: name) }

    public func writeMetrics(_ metrics: TrainingMetrics) throws { try metrics.write(to: trainingMetricsFile) }

    public func writeSimtrace(_ text: String, iteration: Int) throws {
        try AtomicFile.write(text, to: simtraceFile(iteration: iteration))
    }

    /// The file of a checkpoint.
    public func file(_ checkpoint: Checkpoint) -> URL {
        switch checkpoint {
        case .iteration(let number): checkpointFile(iteration: number)
        case .best: bestCheckpointFile
        case .initial: initialWeightsFile
        }
    }

    public func readCheckpoint(_ checkpoint: Checkpoint) throws -> NetworkFile.Contents? {
        let url = file(checkpoint)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try readCheckpoint(url)
    }

    public func writeCheckpoint(_ tensors: [Parameter], metadata: String, _ checkpoint: Checkpoint) throws {
        try writeCheckpoint(tensors, metadata: metadata, to: file(checkpoint))
    }

    public func removeCheckpoint(_ checkpoint: Checkpoint) {
        try? FileManager.default.removeItem(at: file(checkpoint))
    }
}

/// A training store in memory: what a training run would write, without a folder (tests).
public final class MemoryTrainingStore: TrainingStore, Sendable {
    /// Everything written so far.
    private struct Contents {
        var description: (ModelDescription, String)?
        var state: TrainingState?
        var metrics = TrainingMetrics()
        var simtraces: [Int: String] = [:]
        var checkpoints: [Checkpoint: NetworkFile.Contents] = [:]
    }

    public let name: String
    private let contents = Mutex(Contents())

    public init(name: String) { self.name = name }

    public var rewardFileName: String { "\(name)/reward_function.py" }
    public var exists: Bool { contents.withLock { $0.description != nil } }

    public func readDescription() throws -> ModelDescription {
        guard let saved = contents.withLock({ $0.description }) else { throw ModelError.notFound(name) }
        return saved.0
    }

    public func writeDescription(_ description: ModelDescription, rewardSource: String) throws {
        contents.withLock { $0.description = (description, rewardSource) }
    }

    public func readState() throws -> TrainingState? { contents.withLock { $0.state } }
    public func writeState(_ state: TrainingState) throws { contents.withLock { $0.state = state } }
    public func readMetrics() throws -> TrainingMetrics { contents.withLock { $0.metrics } }
    public func writeMetrics(_ metrics: TrainingMetrics) throws { contents.withLock { $0.metrics = metrics } }

    public func writeSimtrace(_ text: String, iteration: Int) throws {
        contents.withLock { $0.simtraces[iteration] = text }
    }

    /// The simtrace CSV written for `iteration`.
    public func simtrace(iteration: Int) -> String? { contents.withLock { $0.simtraces[iteration] } }

    /// The checkpoints kept.
    public var checkpointNames: Set<Checkpoint> { contents.withLock { Set($0.checkpoints.keys) } }

    public func readCheckpoint(_ checkpoint: Checkpoint) throws -> NetworkFile.Contents? {
        contents.withLock { $0.checkpoints[checkpoint] }
    }

    public func writeCheckpoint(_ tensors: [Parameter], metadata: String, _ checkpoint: Checkpoint) throws {
        let decoded = try NetworkFile.decode(NetworkFile.encode(parameters: tensors, metadata: metadata), source: name)
        contents.withLock { $0.checkpoints[checkpoint] = decoded }
    }

    public func removeCheckpoint(_ checkpoint: Checkpoint) {
        _ = contents.withLock { $0.checkpoints.removeValue(forKey: checkpoint) }
    }
}
