import Imaging

/// A reward what-if drawn: where along the track each reward pays (each scaled to its own
/// largest stretch, since two functions' scales need not compare), and what it changes.
public struct WhatIfPicture: Sendable {
    public var report: RewardWhatIf.Report

    public init(report: RewardWhatIf.Report) {
        self.report = report
    }

    /// The summary in a few lines of text.
    public var lines: [String] {
        func value(_ number: Double?) -> String { number.map { Chart.format($0, decimals: 1) } ?? "-" }
        var lines = [
            "\(report.steps) recorded steps of \(report.episodes.count) episodes re-scored with \(report.rewardFile).",
            "Finished laps earn \(value(report.meanOldRewardFinished)) on average with the old reward, "
                + "\(value(report.meanNewRewardFinished)) with yours;",
            "unfinished episodes \(value(report.meanOldRewardUnfinished)) and \(value(report.meanNewRewardUnfinished)).",
            "Rank correlation of the episodes, old against new: \(Chart.format(report.rankCorrelation, decimals: 2)) "
                + "(1: the same order).",
        ]
        if let moved = report.rankedDifferently.first {
            lines.append(
                "\(report.rankedDifferently.count) episodes move by more than a tenth of the ranking; the most: "
                    + "iteration \(moved.iteration) episode \(moved.episode), rank \(moved.oldRank) -> \(moved.newRank)."
            )
        } else {
            lines.append("No episode moves by more than a tenth of the ranking: both rewards favour the same episodes.")
        }
        return lines
    }

    public func draw(width: Int = 1280, height: Int = 800) -> Canvas {
        var canvas = Canvas(width: width, height: height, fill: ChartTheme.standard.background)
        let text = max((Double(width) / 64).rounded(), 9)
        for (k, line) in lines.enumerated() {
            canvas.drawText(
                line, at: Point(12, 12 + Double(k) * text * 1.8), size: text * 0.9, color: ChartTheme.standard.text)
        }
        let top = 12 + Double(lines.count) * text * 1.8 + 6
        func scaled(_ values: [Double?]) -> [(x: Double, y: Double)] {
            let largest = values.compactMap { $0.map(abs) }.max() ?? 1
            return zip(report.sections, values).compactMap { section, value in
                value.map { (x: (section.fromMetres + section.toMetres) / 2, y: largest > 0 ? $0 / largest : 0) }
            }
        }
        let chart = Chart(
            title: "Reward a step along the track, each scaled to its largest", xLabel: "metres from the start line",
            yLabel: "share of the largest",
            series: [
                Chart.Series(
                    name: "old (as recorded)", color: ChartTheme.seriesColors[0],
                    points: scaled(report.sections.map(\.oldMeanReward)), style: .line(width: 2.5)),
                Chart.Series(
                    name: "yours", color: ChartTheme.seriesColors[5],
                    points: scaled(report.sections.map(\.newMeanReward)),
                    style: .line(width: 2.5)),
            ], xRange: 0...(report.sections.last?.toMetres ?? 1))
        chart.draw(
            on: &canvas, in: PanelRect(x: 0, y: top, width: Double(width), height: Double(height) - top))
        return canvas
    }
}
