import Foundation

/// Where a training run has got to (`paddock/state.json`).
public struct TrainingState: Sendable, Equatable, Codable {
    public var iterations = 0
    public var episodes = 0
    /// The iteration whose checkpoint drives most reliably (`LapReliability`), 0 before any.
    public var bestIteration = 0
    /// The best checkpoint's mean evaluation completion, percent; -1 before any.
    public var bestCompletion = -1.0
    /// How reliably the best checkpoint laps.
    public var best: LapReliability?
    /// How reliably the last iteration's checkpoint laps (its clean streak carries on).
    public var latest: LapReliability?
    /// Wall-clock seconds spent training, over every run.
    public var trainingSeconds = 0.0
    /// Simulated milliseconds logged so far, so that metric times keep rising across runs.
    public var metricTime = 0

    public init() {}

    /// Counts an iteration evaluated as `reliability`; says whether its checkpoint is the new best.
    public mutating func record(_ reliability: LapReliability) -> Bool {
        latest = reliability
        guard reliability.isBetter(than: best) else { return false }
        best = reliability
        bestIteration = iterations
        bestCompletion = reliability.meanCompletion
        return true
    }

    enum CodingKeys: String, CodingKey {
        case iterations, episodes, bestIteration, bestCompletion, best, latest, trainingSeconds, metricTime
    }

    /// Reads state files from before `best` and `latest` existed too (their checkpoints then
    /// rank below any that has them).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iterations = try container.decode(Int.self, forKey: .iterations)
        episodes = try container.decode(Int.self, forKey: .episodes)
        bestIteration = try container.decode(Int.self, forKey: .bestIteration)
        bestCompletion = try container.decode(Double.self, forKey: .bestCompletion)
        best = try container.decodeIfPresent(LapReliability.self, forKey: .best)
        latest = try container.decodeIfPresent(LapReliability.self, forKey: .latest)
        trainingSeconds = try container.decode(Double.self, forKey: .trainingSeconds)
        metricTime = try container.decode(Int.self, forKey: .metricTime)
    }

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
