import Assets
import Foundation
import Simulator

extension ModelFolder {
    /// Writes an evaluation into the model folder as DeepRacer does
    /// (docs/deepracer-compat.md §6): `evaluation-<time>/evaluation-simtrace/0-iteration.csv` and
    /// `metrics/EvaluationMetrics-<time>.json`, `<time>` being `date` in UTC as yyyyMMddHHmmss.
    /// `paddock evaluate` and the app's Evaluate both write through here.
    ///
    /// - Returns: the evaluation's folder.
    @discardableResult
    public func writeEvaluation(_ results: [TrialResult], simtrace: SimtraceLog, at date: Date = Date()) throws -> URL {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let stamp = formatter.string(from: date)
        let evaluation = url.appendingPathComponent("evaluation-\(stamp)")
        try AtomicFile.write(
            simtrace.text, to: evaluation.appendingPathComponent("evaluation-simtrace/0-iteration.csv"))
        var elapsed = 0
        let entries = results.map { result -> JSONValue in
            let start = elapsed
            elapsed += Int((result.elapsedTime * 1000).rounded())
            return .object([
                ("completion_percentage", .int(Int(result.completion))), ("metric_time", .int(elapsed)),
                ("start_time", .int(start)), ("elapsed_time_in_milliseconds", .int(elapsed - start)),
                ("episode_status", .string(result.status.label)), ("crash_count", .int(result.crashCount)),
                ("immobilized_count", .int(result.immobilizedCount)), ("off_track_count", .int(result.offTrackCount)),
                ("reversed_count", .int(result.reversedCount)),
                (
                    "reset_count",
                    .int(result.offTrackCount + result.crashCount + result.reversedCount + result.immobilizedCount)
                ),
                ("trial", .int(result.trial)),
            ])
        }
        try AtomicFile.write(
            JSONValue.object([("metrics", .array(entries))]).text() + "\n",
            to: url.appendingPathComponent("metrics/EvaluationMetrics-\(stamp).json"))
        return evaluation
    }
}
