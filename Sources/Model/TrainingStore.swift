import Assets
import Foundation
import NeuralNetwork

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
public final class MemoryTrainingStore: TrainingStore, @unchecked Sendable {
    public let name: String
    private let lock = NSLock()
    private var description: (ModelDescription, String)?
    private var state: TrainingState?
    private var metrics = TrainingMetrics()
    private var simtraces: [Int: String] = [:]
    private var checkpoints: [Checkpoint: NetworkFile.Contents] = [:]

    public init(name: String) { self.name = name }

    public var rewardFileName: String { "\(name)/reward_function.py" }
    public var exists: Bool { lock.withLock { description != nil } }

    public func readDescription() throws -> ModelDescription {
        guard let saved = lock.withLock({ description }) else { throw ModelError.notFound(name) }
        return saved.0
    }

    public func writeDescription(_ description: ModelDescription, rewardSource: String) throws {
        lock.withLock { self.description = (description, rewardSource) }
    }

    public func readState() throws -> TrainingState? { lock.withLock { state } }
    public func writeState(_ state: TrainingState) throws { lock.withLock { self.state = state } }
    public func readMetrics() throws -> TrainingMetrics { lock.withLock { metrics } }
    public func writeMetrics(_ metrics: TrainingMetrics) throws { lock.withLock { self.metrics = metrics } }

    public func writeSimtrace(_ text: String, iteration: Int) throws { lock.withLock { simtraces[iteration] = text } }

    /// The simtrace CSV written for `iteration`.
    public func simtrace(iteration: Int) -> String? { lock.withLock { simtraces[iteration] } }

    /// The checkpoints kept.
    public var checkpointNames: Set<Checkpoint> { lock.withLock { Set(checkpoints.keys) } }

    public func readCheckpoint(_ checkpoint: Checkpoint) throws -> NetworkFile.Contents? {
        lock.withLock { checkpoints[checkpoint] }
    }

    public func writeCheckpoint(_ tensors: [Parameter], metadata: String, _ checkpoint: Checkpoint) throws {
        let contents = try NetworkFile.decode(NetworkFile.encode(parameters: tensors, metadata: metadata), source: name)
        lock.withLock { checkpoints[checkpoint] = contents }
    }

    public func removeCheckpoint(_ checkpoint: Checkpoint) {
        _ = lock.withLock { checkpoints.removeValue(forKey: checkpoint) }
    }
}
