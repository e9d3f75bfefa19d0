import Assets
import Foundation

/// DeepRacer's `metrics/TrainingMetrics.json` (docs/deepracer-compat.md §6): one entry per
/// training episode and per evaluation trial, in the order they ran. Written and read back as
/// this one type.
public struct TrainingMetrics: Codable, Sendable, Equatable {
    /// One episode's line.
    public struct Entry: Codable, Sendable, Equatable {
        /// The episode's total reward, rounded.
        public var rewardScore: Int
        /// Milliseconds on the run's simulated clock when the episode ended.
        public var metricTime: Int
        public var startTime: Int
        public var elapsedTimeInMilliseconds: Int
        public var episode: Int
        public var trial: Int
        /// "training" or "evaluation".
        public var phase: String
        public var completionPercentage: Int
        /// DeepRacer's label: "Lap complete", "Off track", ...
        public var episodeStatus: String

        public init(
            rewardScore: Int, metricTime: Int, startTime: Int, episode: Int, trial: Int, phase: String,
            completionPercentage: Int, episodeStatus: String
        ) {
            self.rewardScore = rewardScore
            self.metricTime = metricTime
            self.startTime = startTime
            self.elapsedTimeInMilliseconds = metricTime - startTime
            self.episode = episode
            self.trial = trial
            self.phase = phase
            self.completionPercentage = completionPercentage
            self.episodeStatus = episodeStatus
        }

        enum CodingKeys: String, CodingKey {
            case rewardScore = "reward_score"
            case metricTime = "metric_time"
            case startTime = "start_time"
            case elapsedTimeInMilliseconds = "elapsed_time_in_milliseconds"
            case episode, trial, phase
            case completionPercentage = "completion_percentage"
            case episodeStatus = "episode_status"
        }
    }

    public var metrics: [Entry]
    public var version = 2.0
    public var bestModelMetric = "progress"

    public init(metrics: [Entry] = []) { self.metrics = metrics }

    enum CodingKeys: String, CodingKey {
        case metrics, version
        case bestModelMetric = "best_model_metric"
    }

    /// The metrics in `url`: none when the file does not exist yet.
    ///
    /// - Throws: `ModelError.damagedTrainingRecord` when it exists but is not DeepRacer's metrics
    ///   JSON (training on would drop the earlier iterations' entries).
    public static func read(_ url: URL, model: String) throws -> TrainingMetrics {
        guard FileManager.default.fileExists(atPath: url.path) else { return TrainingMetrics() }
        do {
            return try JSONDecoder().decode(TrainingMetrics.self, from: try Data(contentsOf: url))
        } catch {
            throw ModelError.damagedTrainingRecord(
                path: url.path, reason: "it is not a metrics file as DeepRacer writes it (\(error))", model: model)
        }
    }

    /// Writes the metrics to `url` atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: url)
    }

    /// One training iteration as the entries record it: its training episodes and the
    /// evaluation episodes that followed them.
    public struct Iteration: Sendable, Equatable {
        /// 1 for the first.
        public var iteration: Int
        public var episodes: Int
        /// Mean of the training episodes' (rounded) total rewards.
        public var meanReward: Double
        /// Mean completion of the training episodes, percent.
        public var trainingCompletion: Double
        /// Mean completion of the evaluation episodes, percent (nil when none ran).
        public var evaluationCompletion: Double?
    }

    /// The iterations, in order: each run of training entries with the run of evaluation entries
    /// after it. A training run not yet followed by its evaluation (the file of a run stopped
    /// between the two) is an iteration without an evaluation.
    public var iterations: [Iteration] {
        var result: [Iteration] = []
        var training: [Entry] = []
        var evaluation: [Entry] = []
        func close() {
            guard !training.isEmpty else { return }
            func mean(_ values: [Int]) -> Double { Double(values.reduce(0, +)) / Double(values.count) }
            result.append(
                Iteration(
                    iteration: result.count + 1, episodes: training.count,
                    meanReward: mean(training.map(\.rewardScore)),
                    trainingCompletion: mean(training.map(\.completionPercentage)),
                    evaluationCompletion: evaluation.isEmpty ? nil : mean(evaluation.map(\.completionPercentage))))
            training = []
            evaluation = []
        }
        for entry in metrics {
            if entry.phase == "evaluation" {
                evaluation.append(entry)
            } else {
                if !evaluation.isEmpty { close() }
                training.append(entry)
            }
        }
        close()
        return result
    }
}
