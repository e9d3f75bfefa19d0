import Foundation

/// The evaluations DeepRacer (and Paddock) run after each training iteration, as
/// `metrics/TrainingMetrics.json` records them: one entry per trial with `phase` "evaluation",
/// its `episode` the number of training episodes before it, so the k-th group of entries sharing
/// an `episode` follows iteration k.
public enum TrainingEvaluations {
    /// One iteration's evaluation trials, summed up.
    public struct Iteration: Encodable, Sendable, Equatable {
        public var iteration: Int
        public var trials: Int
        /// Mean of the trials' `completion_percentage`.
        public var meanProgress: Double
        /// The share of trials whose completion is 100.
        public var completionRate: Double
        /// Best and mean `elapsed_time_in_milliseconds` of the finished trials, seconds.
        public var bestLapTime: Double?
        public var meanLapTime: Double?

        enum CodingKeys: String, CodingKey {
            case iteration, trials
            case meanProgress = "mean_progress"
            case completionRate = "completion_rate"
            case bestLapTime = "best_lap_time"
            case meanLapTime = "mean_lap_time"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(iteration, forKey: .iteration)
            try container.encode(trials, forKey: .trials)
            try container.encode(meanProgress, forKey: .meanProgress)
            try container.encode(completionRate, forKey: .completionRate)
            try container.encode(bestLapTime, forKey: .bestLapTime)
            try container.encode(meanLapTime, forKey: .meanLapTime)
        }
    }

    /// The evaluations in a `TrainingMetrics.json`, by iteration.
    ///
    /// - Throws: `AnalysisError.badFile` when the file is not DeepRacer's metrics JSON.
    public static func read(_ file: URL) throws(AnalysisError) -> [Iteration] {
        guard let data = FileManager.default.contents(atPath: file.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let metrics = object["metrics"] as? [[String: Any]]
        else {
            throw .badFile(
                path: file.path, reason: "it is not DeepRacer's metrics JSON (an object with a metrics list)")
        }
        var groups: [[[String: Any]]] = []
        var lastEpisode: Int?
        for entry in metrics where entry["phase"] as? String == "evaluation" {
            let episode = (entry["episode"] as? NSNumber)?.intValue
            if groups.isEmpty || episode != lastEpisode { groups.append([]) }
            groups[groups.count - 1].append(entry)
            lastEpisode = episode
        }
        return groups.enumerated().map { k, trials in
            let completion = trials.map { ($0["completion_percentage"] as? NSNumber)?.doubleValue ?? 0 }
            let laps = zip(trials, completion).compactMap { trial, percent -> Double? in
                guard percent >= 100, let milliseconds = trial["elapsed_time_in_milliseconds"] as? NSNumber else {
                    return nil
                }
                return milliseconds.doubleValue / 1000
            }
            return Iteration(
                iteration: k, trials: trials.count, meanProgress: completion.reduce(0, +) / Double(trials.count),
                completionRate: Double(completion.filter { $0 >= 100 }.count) / Double(trials.count),
                bestLapTime: laps.min(), meanLapTime: laps.isEmpty ? nil : laps.reduce(0, +) / Double(laps.count))
        }
    }
}
