import Foundation

/// Where a training run has got to (`paddock/state.json`).
public struct TrainingState: Sendable, Equatable, Codable {
    public var iterations = 0
    public var episodes = 0
    /// The iteration whose checkpoint evaluated best (mean completion), 0 before any.
    public var bestIteration = 0
    public var bestCompletion = -1.0
    /// Wall-clock seconds spent training, over every run.
    public var trainingSeconds = 0.0
    /// Simulated milliseconds logged so far, so that metric times keep rising across runs.
    public var metricTime = 0

    public init() {}

    /// `folder`'s saved state: nil when the model has never finished an iteration (no state file and
    /// no best checkpoint).
    ///
    /// - Throws: `ModelError.damagedTrainingRecord` when the file cannot be read or decoded, or
    ///   is missing beside a best checkpoint: starting over would overwrite the checkpoints.
    public static func read(_ folder: ModelFolder) throws -> TrainingState? {
        let file = folder.stateFile
        guard FileManager.default.fileExists(atPath: file.path) else {
            guard !FileManager.default.fileExists(atPath: folder.bestCheckpointFile.path) else {
                throw ModelError.damagedTrainingRecord(
                    path: file.path, reason: "it is missing, though the model has a best checkpoint",
                    model: folder.name)
            }
            return nil
        }
        do {
            return try JSONDecoder().decode(TrainingState.self, from: try Data(contentsOf: file))
        } catch {
            throw ModelError.damagedTrainingRecord(
                path: file.path, reason: "it cannot be read as Paddock's training state (\(error))", model: folder.name)
        }
    }
}
