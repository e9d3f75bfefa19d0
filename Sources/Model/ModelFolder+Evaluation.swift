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

/// An evaluation read back from a model folder: its trials as the metrics file lists them and
/// the steps its simtrace recorded.
public struct SavedEvaluation: Sendable, Equatable {
    /// One trial, from `metrics/EvaluationMetrics-<time>.json`.
    public struct Trial: Sendable, Equatable, Decodable {
        public var trial: Int
        public var completion: Double
        public var elapsedSeconds: Double
        /// "Lap complete", "Off track", ...
        public var status: String
        public var offTrackCount: Int
        public var crashCount: Int
        public var resetCount: Int

        /// The lap time when the lap was completed (penalties included, as the console shows it).
        public var lapSeconds: Double? { status == EpisodeStatus.lapComplete.label ? elapsedSeconds : nil }

        enum CodingKeys: String, CodingKey {
            case trial, completion = "completion_percentage", elapsed = "elapsed_time_in_milliseconds"
            case status = "episode_status", offTrackCount = "off_track_count", crashCount = "crash_count"
            case resetCount = "reset_count"
        }

        public init(from decoder: any Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            trial = try values.decode(Int.self, forKey: .trial)
            completion = try values.decode(Double.self, forKey: .completion)
            elapsedSeconds = try values.decode(Double.self, forKey: .elapsed) / 1000
            status = try values.decode(String.self, forKey: .status)
            offTrackCount = try values.decodeIfPresent(Int.self, forKey: .offTrackCount) ?? 0
            crashCount = try values.decodeIfPresent(Int.self, forKey: .crashCount) ?? 0
            resetCount = try values.decodeIfPresent(Int.self, forKey: .resetCount) ?? 0
        }
    }

    /// The evaluation's folder, `evaluation-<time>`.
    public var folder: URL
    public var trials: [Trial]
    public var drive: RecordedDrive
}

extension ModelFolder {
    /// The newest evaluation written into this folder (by `paddock evaluate` or the app), or nil
    /// when it has none.
    ///
    /// - Throws: `ModelError.damaged` naming the file when its metrics or simtrace cannot be read.
    public func latestEvaluation() throws(ModelError) -> SavedEvaluation? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        guard let latest = names.filter({ $0.hasPrefix("evaluation-") }).max() else { return nil }
        let stamp = latest.dropFirst("evaluation-".count)
        let folder = url.appendingPathComponent(latest)
        let metrics = url.appendingPathComponent("metrics/EvaluationMetrics-\(stamp).json")
        let simtrace = folder.appendingPathComponent("evaluation-simtrace/0-iteration.csv")
        struct MetricsFile: Decodable { var metrics: [SavedEvaluation.Trial] }
        let trials: [SavedEvaluation.Trial]
        do {
            trials = try JSONDecoder().decode(MetricsFile.self, from: try Data(contentsOf: metrics)).metrics
        } catch {
            throw .damaged(path: metrics.path, reason: "it is not an evaluation metrics file as DeepRacer writes it")
        }
        let drive: RecordedDrive
        do {
            drive = try RecordedDrive(csv: try String(contentsOf: simtrace, encoding: .utf8))
        } catch let error as RecordedDriveError {
            throw .damaged(path: simtrace.path, reason: error.description)
        } catch {
            throw .damaged(path: simtrace.path, reason: "it cannot be read (\(error.localizedDescription))")
        }
        return SavedEvaluation(folder: folder, trials: trials, drive: drive)
    }
}
