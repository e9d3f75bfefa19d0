import Analysis
import Foundation

/// `paddock analyze`'s printed tables.
enum AnalysisText {
    static func summary(_ pictures: AnalysisPictures, trackFrom: String) -> String {
        let analysis = pictures.analysis
        var lines: [String] = []
        let track =
            pictures.track.map { "\($0.id) (\(from(trackFrom)))" } ?? "not known (give --track for the pictures on it)"
        lines.append("\(analysis.logs.url.path): \(analysis.logs.layout.rawValue), track \(track)")
        if let perIteration = analysis.episodesPerIteration {
            lines.append("One simtrace file: its episodes split \(perIteration) to an iteration.")
        }
        lines.append("")
        lines.append("Training")
        lines.append(header)
        for summary in analysis.iterations { lines.append(row(String(summary.iteration), summary)) }
        if !analysis.trainingEvaluations.isEmpty {
            lines.append("")
            lines.append("Evaluations after each iteration (metrics/TrainingMetrics.json)")
            lines.append(
                pad("iteration", 22) + pad("trials", 9, right: true) + pad("progress %", 20, right: true)
                    + pad("finished %", 11, right: true) + pad("best lap", 10, right: true)
                    + pad("mean lap", 10, right: true))
            for evaluation in analysis.trainingEvaluations {
                lines.append(
                    pad(String(evaluation.iteration), 22) + pad(String(evaluation.trials), 9, right: true)
                        + pad(String(format: "%.1f", evaluation.meanProgress), 20, right: true)
                        + pad(String(format: "%.1f", 100 * evaluation.completionRate), 11, right: true)
                        + pad(lap(evaluation.bestLapTime), 10, right: true)
                        + pad(lap(evaluation.meanLapTime), 10, right: true))
            }
        }
        if !analysis.evaluationSummaries.isEmpty {
            lines.append("")
            lines.append("Evaluations")
            lines.append(header.replacingOccurrences(of: "iteration", with: "evaluation"))
            for summary in analysis.evaluationSummaries { lines.append(row(summary.name, summary)) }
        }
        let best = analysis.bestEpisodes(pictures.bestCount)
        if !best.isEmpty {
            lines.append("")
            lines.append(
                "Best episodes: "
                    + best.map { _, episode in
                        "iteration \(episode.iteration) episode \(episode.episode) "
                            + (episode.lapTime.map { String(format: "(%.2f s)", $0) }
                                ?? String(format: "(%.0f %%)", episode.progress))
                    }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func from(_ trackFrom: String) -> String {
        switch trackFrom {
        case "option": "given"
        case "logs": "named in the run's files"
        case "matched": "matched by its length and the recorded positions"
        default: trackFrom
        }
    }

    static let header =
        pad("iteration", 22) + pad("episodes", 9, right: true) + pad("steps", 8, right: true)
        + pad("mean reward", 12, right: true) + pad("progress %", 11, right: true) + pad("finished %", 11, right: true)
        + pad("best lap", 10, right: true) + pad("mean lap", 10, right: true)

    /// `text` padded with spaces to `width` characters, on the left when `right`.
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    static func lap(_ value: Double?) -> String { value.map { String(format: "%.2f s", $0) } ?? "-" }

    static func row(_ name: String, _ summary: EpisodeGroupSummary) -> String {
        return pad(String(name.prefix(21)), 22) + pad(String(summary.episodes), 9, right: true)
            + pad(String(summary.steps), 8, right: true)
            + pad(String(format: "%.2f", summary.meanReward), 12, right: true)
            + pad(String(format: "%.1f", summary.meanProgress), 11, right: true)
            + pad(String(format: "%.1f", 100 * summary.completionRate), 11, right: true)
            + pad(lap(summary.bestLapTime), 10, right: true) + pad(lap(summary.meanLapTime), 10, right: true)
    }

    static func whatIf(_ report: RewardWhatIf.Report) -> String {
        var lines = [
            "", "Re-scored with \(report.rewardFile): \(report.steps) steps of \(report.episodes.count) episodes",
        ]
        func value(_ number: Double?) -> String { number.map { String(format: "%.2f", $0) } ?? "-" }
        lines.append(
            "  mean total, finished laps:   old \(value(report.meanOldRewardFinished))   new \(value(report.meanNewRewardFinished))"
        )
        lines.append(
            "  mean total, unfinished laps: old \(value(report.meanOldRewardUnfinished))   new \(value(report.meanNewRewardUnfinished))"
        )
        lines.append(
            String(
                format: "  rank correlation of the episodes, old against new: %.3f (1: the same order)",
                report.rankCorrelation))
        lines.append("  mean reward a step by stretch of track (metres from the start):")
        for section in report.sections where section.steps > 0 {
            lines.append(
                String(
                    format: "    %5.1f-%5.1f m  old ", section.fromMetres, section.toMetres)
                    + pad(value(section.oldMeanReward), 8, right: true) + "  new "
                    + pad(value(section.newMeanReward), 8, right: true) + "  (\(section.steps) steps)")
        }
        if report.rankedDifferently.isEmpty {
            lines.append("  No episode moves by more than a tenth of the ranking.")
        } else {
            lines.append("  Episodes that would rank differently (rank 1 = highest total):")
            for score in report.rankedDifferently.prefix(10) {
                lines.append(
                    String(
                        format:
                            "    iteration %3d episode %5d  progress %5.1f %%  rank %4d -> %4d  (old %.2f, new %.2f)",
                        score.iteration, score.episode, score.progress, score.oldRank, score.newRank, score.oldReward,
                        score.newReward))
            }
        }
        return lines.joined(separator: "\n")
    }
}
