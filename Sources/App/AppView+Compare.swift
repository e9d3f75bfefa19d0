import CSDL2
import Foundation
import Lessons
import Simulator

/// The comparison sheet: the compared models' curves overlaid, their first evaluation laps
/// driven together, and a table of their latest evaluations.
extension AppView {
    func drawComparison(_ model: AppModel, _ rect: Rect) {
        let (x, top) = sheetHeader(
            "Compare models",
            "Each model's colour is the same in the graph, the replay and the table. Esc goes back to the list.",
            in: rect)
        let width = rect.width - 56
        let graphWidth = (width * 0.55).rounded()
        let upperHeight = max(160, rect.maxY - top - 40 - 40 - Double(model.comparison.count) * 26 - 20)
        drawComparisonGraph(model, Rect(x: x, y: top, width: graphWidth, height: upperHeight))
        drawReplay(
            model, Rect(x: x + graphWidth + 20, y: top - 10, width: width - graphWidth - 20, height: upperHeight + 10))
        drawComparisonTable(model, x: x, y: top + upperHeight + 16, width: width)
    }

    private func color(_ index: Int) -> SDL_Color { Theme.racers[index % Theme.racers.count] }

    /// Evaluation completion by iteration (thick) and training completion (thin), per model.
    private func drawComparisonGraph(_ model: AppModel, _ rect: Rect) {
        screen.text("COMPLETION BY ITERATION", x: rect.x, y: rect.y, .label, Theme.inkSoft)
        let plot = Rect(x: rect.x + 34, y: rect.y + 20, width: rect.width - 40, height: rect.height - 62)
        screen.fillRounded(plot.inset(-4), radius: 6, Theme.chrome)
        let lastIteration = max(model.comparison.compactMap { $0.points.last?.iteration }.max() ?? 1, 1)
        for fraction in [0.0, 0.5, 1.0] {
            let y = plot.maxY - fraction * plot.height
            screen.line(plot.x, y, plot.maxX, y, Theme.panelLine)
            screen.text("\(Int(fraction * 100))%", x: rect.x, y: y - 7, .label, Theme.inkSoft)
        }
        func px(_ iteration: Int) -> Double { plot.x + Double(iteration) / Double(lastIteration) * plot.width }
        for (index, compared) in model.comparison.enumerated() {
            func series(_ value: (TrainingController.Point) -> Double) -> [(Double, Double)] {
                compared.points.map { (px($0.iteration), plot.maxY - min(max(value($0), 0), 100) / 100 * plot.height) }
            }
            screen.polyline(series(\.trainingCompletion), width: 1, Theme.withAlpha(color(index), 150))
            screen.polyline(series(\.evaluationCompletion), width: 2.5, color(index))
            if compared.points.count == 1, let only = series(\.evaluationCompletion).first {
                screen.fillCircle(x: only.0, y: only.1, radius: 3, color(index))
            }
        }
        screen.text("0", x: plot.x, y: plot.maxY + 6, .label, Theme.inkSoft)
        let last = "iteration \(lastIteration)"
        screen.text(last, x: plot.maxX - screen.measure(last, .label), y: plot.maxY + 6, .label, Theme.inkSoft)
        screen.text(
            "thick: evaluation completion · thin: training completion", x: plot.x, y: plot.maxY + 22, .label,
            Theme.inkSoft)
    }

    /// The first evaluation trial of each model on the same track, driven together in time.
    private func drawReplay(_ model: AppModel, _ rect: Rect) {
        screen.fillRounded(rect, radius: 8, Theme.grass)
        guard let track = model.replayTrack else {
            _ = wrapped(
                [TextRun("No evaluation laps to replay yet: evaluate the models (E), then compare again.")],
                x: rect.x + 14, y: rect.y + rect.height / 2 - 20, width: rect.width - 28, style: .small,
                color: Theme.inkOnDark)
            return
        }
        let frame = TrackFrame(track: track, rect: rect.inset(6), margin: 14)
        drawRoad(track, frame)
        let replayed = Set(model.replayedModels.map(\.name))
        for (index, compared) in model.comparison.enumerated() where replayed.contains(compared.name) {
            screen.polyline(
                compared.lap.samples.map { frame.map(Vector2($0.x, $0.y)) }, width: 2,
                Theme.withAlpha(color(index), 110))
        }
        for (index, compared) in model.comparison.enumerated() where replayed.contains(compared.name) {
            guard let pose = compared.lap.pose(at: model.replayTime) else { continue }
            let position = Vector2(pose.x, pose.y)
            let (cx, cy) = frame.map(position)
            let nose = frame.map(position + Vector2(angle: pose.heading) * 0.25)
            screen.polyline([(cx, cy), nose], width: 3, color(index))
            screen.fillCircle(x: cx, y: cy, radius: 6, color(index))
            if model.replayTime >= compared.lap.duration {
                screen.text(compared.name, x: cx + 8, y: cy - 6, .label, Theme.inkOnDark)
            }
        }
        let others = model.comparison.filter { !replayed.contains($0.name) && !$0.lap.samples.isEmpty }.map(\.name)
        let caption = String(format: "%.1f s · trial 1 of each model on %@", model.replayTime, track.id)
        screen.text(caption, x: rect.x + 10, y: rect.maxY - 20, .label, Theme.inkOnDark)
        if !others.isEmpty {
            screen.text(
                "Evaluated on another track: \(others.joined(separator: ", "))", x: rect.x + 10, y: rect.maxY - 36,
                .label, Theme.inkOnDarkSoft)
        }
    }

    /// One row a model: its colour, training, and latest evaluation with the lap times' spread.
    private func drawComparisonTable(_ model: AppModel, x: Double, y: Double, width: Double) {
        let columns: [(String, Double)] = [
            ("MODEL", 22), ("TRACK", 170), ("ITERATIONS", 290), ("BEST", 370), ("EVALUATION LAPS", 430),
            ("MEAN LAP ± SD", 570), ("COMPLETION", 690),
        ]
        for (title, offset) in columns where offset < width {
            screen.text(title, x: x + offset, y: y, .label, Theme.inkSoft)
        }
        var rowY = y + 18
        for (index, compared) in model.comparison.enumerated() {
            screen.fillRounded(Rect(x: x, y: rowY + 3, width: 14, height: 14), radius: 3, color(index))
            var values = [
                compared.name, compared.entry.track, "\(compared.entry.iterations)",
                compared.entry.bestCompletion.map { String(format: "%.0f%%", $0) } ?? "—",
            ]
            if let summary = compared.evaluationSummary {
                let trials = compared.evaluation?.trials.count ?? 0
                values.append(
                    "\(summary.laps.count) of \(trials)"
                        + (summary.offTracks > 0 ? ", \(summary.offTracks) off track" : ""))
                if summary.laps.isEmpty {
                    values.append("—")
                } else {
                    let mean = summary.laps.reduce(0, +) / Double(summary.laps.count)
                    let deviation =
                        (summary.laps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(summary.laps.count))
                        .squareRoot()
                    values.append(String(format: "%.2f ± %.2f s", mean, deviation))
                }
                values.append(String(format: "%.0f%%", summary.completion))
            } else {
                values += ["not evaluated", "", ""]
            }
            for ((_, offset), value) in zip(columns, values) where offset < width {
                screen.text(value, x: x + offset, y: rowY, offset == 22 ? .smallBold : .small, Theme.ink)
            }
            if let problem = compared.problem {
                screen.text(problem, x: x + 22, y: rowY + 14, .label, Theme.warning)
            }
            rowY += 26
        }
    }
}
