import Imaging
import Simulator

/// The pictures of a run's analysis, as DeepRacer's analysis notebooks draw them: training
/// curves, lap times, the paths of the best episodes, reward and speed heat maps over the track,
/// and the actions chosen along it.
public struct AnalysisPictures: Sendable {
    /// One picture.
    public enum Kind: String, CaseIterable, Sendable {
        case reward, progress, laps
        case bestPaths = "best-paths"
        case rewardMap = "reward-map"
        case speedMap = "speed-map"
        case steering, speed
    }

    public let analysis: RunAnalysis
    public let track: Track?
    /// How many of the best episodes `bestPaths` draws.
    public var bestCount = 5
    public var theme = ChartTheme.standard

    public init(analysis: RunAnalysis, track: Track?) {
        self.analysis = analysis
        self.track = track
    }

    /// Every picture on one sheet, two a row, each `width / 2` wide and 5/8 as high.
    public func sheet(width: Int = 1280) -> Canvas {
        let panelWidth = Double(width / 2)
        let panelHeight = (panelWidth * 0.625).rounded()
        let kinds = Kind.allCases
        let rows = (kinds.count + 1) / 2
        var canvas = Canvas(width: width, height: Int(panelHeight) * rows + 44, fill: .white)
        canvas.fillRectangle(
            origin: Point(0, 0), width: Double(width), height: 44, color: RGBColor(red: 30, green: 34, blue: 42))
        canvas.drawText(heading, at: Point(14, 22), size: 11, color: .white, anchor: .left)
        for (k, kind) in kinds.enumerated() {
            let rect = PanelRect(
                x: Double(k % 2) * panelWidth, y: 44 + Double(k / 2) * panelHeight, width: panelWidth,
                height: panelHeight)
            draw(kind, on: &canvas, in: rect.inset(3))
        }
        return canvas
    }

    /// One picture on its own canvas.
    public func picture(_ kind: Kind, width: Int = 1280, height: Int = 800) -> Canvas {
        var canvas = Canvas(width: width, height: height, fill: .white)
        draw(kind, on: &canvas, in: PanelRect(x: 0, y: 0, width: Double(width), height: Double(height)))
        return canvas
    }

    /// The line over the sheet: where the logs came from and what they hold.
    public var heading: String {
        let episodes = analysis.trainingEpisodes.count
        var parts = [
            analysis.logs.url.lastPathComponent,
            "track \(track?.id ?? "unknown")",
            "\(analysis.iterations.count) iterations, \(episodes) episodes",
        ]
        if !analysis.evaluations.isEmpty { parts.append("\(analysis.evaluations.count) evaluations") }
        parts.append(analysis.isContinuous ? "continuous actions" : "discrete actions")
        return parts.joined(separator: "   ")
    }

    /// Draws one picture into `rect`.
    public func draw(_ kind: Kind, on canvas: inout Canvas, in rect: PanelRect) {
        switch kind {
        case .reward: rewardChart().draw(on: &canvas, in: rect, theme: theme)
        case .progress: progressChart().draw(on: &canvas, in: rect, theme: theme)
        case .laps: lapChart().draw(on: &canvas, in: rect, theme: theme)
        case .bestPaths: drawBestPaths(on: &canvas, in: rect)
        case .rewardMap:
            drawHeatMap(
                on: &canvas, in: rect, title: "Reward a step over the track (mean per cell, all training steps)",
                unit: "reward", value: { $0.reward[$1] })
        case .speedMap:
            drawHeatMap(
                on: &canvas, in: rect, title: "Commanded speed over the track (mean per cell, all training steps)",
                unit: "m/s", value: { $0.throttle[$1] })
        case .steering: actionChart(steering: true).draw(on: &canvas, in: rect, theme: theme)
        case .speed: actionChart(steering: false).draw(on: &canvas, in: rect, theme: theme)
        }
    }

    // MARK: - Charts

    func rewardChart() -> Chart {
        let points = analysis.iterations.map { (x: Double($0.iteration), y: $0.meanReward) }
        return Chart(
            title: "Mean total reward per episode, by training iteration", xLabel: "iteration",
            yLabel: "reward",
            series: [
                Chart.Series(name: "", color: ChartTheme.seriesColors[0], points: points, style: .line(width: 2.5)),
                Chart.Series(name: "", color: ChartTheme.seriesColors[0], points: points, style: .points(radius: 3.5)),
            ])
    }

    func progressChart() -> Chart {
        let progress = analysis.iterations.map { (x: Double($0.iteration), y: $0.meanProgress) }
        let completion = analysis.iterations.map { (x: Double($0.iteration), y: 100 * $0.completionRate) }
        return Chart(
            title: "Progress and finished laps, by training iteration", xLabel: "iteration",
            yLabel: "% of a lap / of episodes",
            series: [
                Chart.Series(
                    name: "mean progress", color: ChartTheme.seriesColors[0], points: progress, style: .line(width: 2.5)
                ),
                Chart.Series(
                    name: "episodes that finished the lap", color: ChartTheme.seriesColors[1], points: completion,
                    style: .line(width: 2.5)),
            ] + evaluationSeries(), yRange: 0...100)
    }

    /// The evaluations after each iteration, as a dotted third line, when the metrics hold them.
    func evaluationSeries() -> [Chart.Series] {
        guard !analysis.trainingEvaluations.isEmpty else { return [] }
        // The metrics count iterations from 0 in order; the simtraces' numbers may start elsewhere.
        let numbers = analysis.iterations.map(\.iteration)
        let points = analysis.trainingEvaluations.compactMap { evaluation -> (x: Double, y: Double)? in
            guard numbers.indices.contains(evaluation.iteration) else { return nil }
            return (x: Double(numbers[evaluation.iteration]), y: 100 * evaluation.completionRate)
        }
        return [
            Chart.Series(
                name: "evaluation laps finished", color: ChartTheme.seriesColors[2], points: points,
                style: .points(radius: 3.5))
        ]
    }

    func lapChart() -> Chart {
        let laps = analysis.trainingEpisodes.compactMap { episode in
            episode.lapTime.map { (x: Double(episode.iteration), y: $0) }
        }
        let best = analysis.iterations.compactMap { summary in
            summary.bestLapTime.map { (x: Double(summary.iteration), y: $0) }
        }
        var chart = Chart(
            title: "Lap times of finished training episodes", xLabel: "iteration", yLabel: "lap time (s)",
            series: [
                Chart.Series(
                    name: "a finished episode", color: ChartTheme.seriesColors[4], points: laps,
                    style: .points(radius: 3),
                    alpha: 0.6),
                Chart.Series(
                    name: "best of the iteration", color: ChartTheme.seriesColors[5], points: best,
                    style: .line(width: 2)),
            ])
        if let first = analysis.iterations.first?.iteration, let last = analysis.iterations.last?.iteration {
            chart.xRange = Chart.fit([Double(first), Double(last)], fromZero: false)
        }
        chart.emptyMessage = "no training episode finished a lap"
        chart.yFromZero = false
        return chart
    }

    /// The steps the action pictures describe: the evaluations when there are any (the model
    /// driving as it races), else the last quarter of the training iterations.
    func actionTraces() -> (traces: [RunAnalysis.Trace], label: String) {
        if !analysis.evaluations.isEmpty {
            return (analysis.evaluations, "evaluation steps")
        }
        let count = max(analysis.training.count / 4, 1)
        if analysis.training.count == 1, let only = analysis.training.first, analysis.iterations.count > 1 {
            // One file split into iterations: its last quarter of iterations.
            let keep = Set(analysis.iterations.suffix(max(analysis.iterations.count / 4, 1)).map(\.iteration))
            var trace = only
            trace.episodes = only.episodes.filter { keep.contains($0.iteration) }
            var rows = Simtrace()
            for episode in trace.episodes { rows.append(only.simtrace, rows: episode.rows) }
            trace.simtrace = rows
            return ([trace], "the last \(keep.count) iterations")
        }
        return (
            Array(analysis.training.suffix(count)), count == 1 ? "the last iteration" : "the last \(count) iterations"
        )
    }

    func actionChart(steering: Bool) -> Chart {
        let what = steering ? "Steering" : "Speed"
        guard let track else {
            var chart = Chart(
                title: "\(what) along the track", xLabel: "metres from the start line", yLabel: "", series: [])
            chart.emptyMessage = "the track is not known: give --track"
            return chart
        }
        let (traces, label) = actionTraces()
        let sections = SectionSummary.sections(of: traces, track: track, count: 40).filter { $0.steps > 0 }
        let x = sections.map { ($0.fromMetres + $0.toMetres) / 2 }
        let mean = steering ? sections.map(\.meanSteering) : sections.map(\.meanSpeed)
        let low = steering ? sections.map(\.lowSteering) : sections.map(\.lowSpeed)
        let high = steering ? sections.map(\.highSteering) : sections.map(\.highSpeed)
        let color = ChartTheme.seriesColors[steering ? 2 : 5]
        var chart = Chart(
            title: "\(what) chosen along the track (\(label))", xLabel: "metres from the start line",
            yLabel: steering ? "steering (degrees, + is left)" : "commanded speed (m/s)",
            series: [
                Chart.Series(
                    name: "10th to 90th percentile", color: color, points: Array(zip(x, low)).map { (x: $0, y: $1) },
                    style: .band(upper: high), alpha: 0.25),
                Chart.Series(
                    name: "mean", color: color, points: Array(zip(x, mean)).map { (x: $0, y: $1) },
                    style: .line(width: 2.5)),
            ], xRange: 0...track.length)
        if steering {
            chart.yRange = -30...30
        }
        return chart
    }

    // MARK: - Track pictures

    /// Every recorded position with its trace and row.
    func positions(_ traces: [RunAnalysis.Trace]) -> [Vector2] {
        traces.flatMap { trace in
            (0..<trace.simtrace.count).compactMap { i in
                trace.simtrace.x[i].isFinite && trace.simtrace.y[i].isFinite
                    ? Vector2(trace.simtrace.x[i], trace.simtrace.y[i]) : nil
            }
        }
    }

    func drawFrame(_ title: String, on canvas: inout Canvas, in rect: PanelRect) -> (text: Double, area: PanelRect) {
        let text = theme.textSize(for: rect)
        canvas.fillRectangle(
            origin: Point(rect.x, rect.y), width: rect.width, height: rect.height, color: theme.background)
        canvas.drawText(title, at: Point(rect.x + 12, rect.y + 10), size: text * 1.15, color: theme.text)
        return (
            text,
            PanelRect(x: rect.x + 10, y: rect.y + text * 3.2, width: rect.width - 20, height: rect.height - text * 7.6)
        )
    }

    func drawBestPaths(on canvas: inout Canvas, in rect: PanelRect) {
        let best = analysis.bestEpisodes(bestCount)
        let (text, area) = drawFrame(
            "The best \(best.count) training episodes (fastest laps first)", on: &canvas, in: rect)
        var points: [Vector2] = []
        for (trace, episode) in best {
            for i in episode.rows where trace.simtrace.x[i].isFinite {
                points.append(Vector2(trace.simtrace.x[i], trace.simtrace.y[i]))
            }
        }
        let view = TrackView(track: track, points: points, rect: area)
        view.drawRoad(on: &canvas, muted: true)
        view.drawStart(on: &canvas)
        for (k, (trace, episode)) in best.enumerated().reversed() {
            let color = ChartTheme.seriesColors[k % ChartTheme.seriesColors.count]
            let path = episode.rows.compactMap { i -> Point? in
                let s = trace.simtrace
                return s.x[i].isFinite && s.y[i].isFinite ? view.pixel(Vector2(s.x[i], s.y[i])) : nil
            }
            canvas.strokePolyline(path, width: 2, color: color, alpha: 0.9)
        }
        for (k, (_, episode)) in best.enumerated() {
            let color = ChartTheme.seriesColors[k % ChartTheme.seriesColors.count]
            let outcome =
                episode.lapTime.map { "\(Chart.format($0, decimals: 2)) s" }
                ?? "\(Chart.format(episode.progress, decimals: 0)) %"
            let label = "it \(episode.iteration) ep \(episode.episode): \(outcome)"
            // Three to a row under the track.
            let x = rect.x + 12 + Double(k % 3) * (rect.width - 24) / 3
            let y = rect.y + rect.height - text * (k < 3 && best.count > 3 ? 3.2 : 1.4)
            canvas.strokePolyline([Point(x, y), Point(x + 16, y)], width: 3, color: color)
            canvas.drawText(label, at: Point(x + 21, y), size: text * 0.85, color: theme.text, anchor: .left)
        }
        if best.isEmpty {
            canvas.drawText(
                "no episodes", at: Point(area.x + area.width / 2, area.y + area.height / 2), size: text,
                color: theme.mutedText, anchor: .center)
        }
    }

    /// A heat map of `value` over the track: the mean of the training steps in each cell of a grid
    /// about 0.08 m wide, coloured from the 5th to the 95th percentile of the cells.
    func drawHeatMap(
        on canvas: inout Canvas, in rect: PanelRect, title: String, unit: String, value: (Simtrace, Int) -> Double
    ) {
        let (text, frame) = drawFrame(title, on: &canvas, in: rect)
        let area = PanelRect(x: frame.x, y: frame.y, width: frame.width - text * 7, height: frame.height + text * 1.6)
        let points = positions(analysis.training)
        let view = TrackView(track: track, points: points, rect: area)
        view.drawRoad(on: &canvas, muted: true)
        let cell = max(0.08, 3 / view.scale)
        var sums: [Int: (sum: Double, count: Int)] = [:]
        for trace in analysis.training {
            let s = trace.simtrace
            for i in 0..<s.count where s.x[i].isFinite && s.y[i].isFinite && SectionSummary.isDriving(s.status[i]) {
                let v = value(s, i)
                guard v.isFinite else { continue }
                let column = Int(((s.x[i] - view.minimum.x) / cell).rounded(.down))
                let row = Int(((s.y[i] - view.minimum.y) / cell).rounded(.down))
                guard column >= 0, row >= 0, row < 100_000, column < 100_000 else { continue }
                let key = column * 100_000 + row
                let old = sums[key] ?? (0, 0)
                sums[key] = (old.sum + v, old.count + 1)
            }
        }
        let means = sums.mapValues { $0.sum / Double($0.count) }
        let sorted = means.values.sorted()
        guard !sorted.isEmpty else {
            canvas.drawText(
                "no steps", at: Point(area.x + area.width / 2, area.y + area.height / 2), size: text,
                color: theme.mutedText, anchor: .center)
            return
        }
        let low = SectionSummary.percentile(sorted, 0.05)
        var high = SectionSummary.percentile(sorted, 0.95)
        if high <= low { high = low + 1 }
        let side = cell * view.scale
        for (key, mean) in means {
            let corner = Vector2(
                view.minimum.x + Double(key / 100_000) * cell, view.minimum.y + Double(key % 100_000 + 1) * cell)
            let p = view.pixel(corner)
            canvas.fillRectangle(
                origin: p, width: side + 0.5, height: side + 0.5, color: ChartTheme.heat((mean - low) / (high - low)))
        }
        view.drawStart(on: &canvas)
        // The colour scale.
        let barX = area.x + area.width + text * 1.5
        let barTop = area.y + text
        let barHeight = area.height - text * 2
        let steps = 48
        for k in 0..<steps {
            let t = 1 - Double(k) / Double(steps - 1)
            canvas.fillRectangle(
                origin: Point(barX, barTop + Double(k) * barHeight / Double(steps)), width: text * 1.4,
                height: barHeight / Double(steps) + 0.5, color: ChartTheme.heat(t))
        }
        let decimals = high - low < 2 ? 2 : (high - low < 20 ? 1 : 0)
        canvas.drawText(
            Chart.format(high, decimals: decimals), at: Point(barX, barTop - 4), size: text * 0.85, color: theme.text,
            anchor: .bottomLeft)
        canvas.drawText(
            Chart.format(low, decimals: decimals), at: Point(barX, barTop + barHeight + 6), size: text * 0.85,
            color: theme.text)
        canvas.drawText(
            unit, at: Point(barX, barTop + barHeight + text * 2.3), size: text * 0.85, color: theme.mutedText)
    }
}

extension Simtrace {
    /// Appends `rows` of `other`.
    mutating func append(_ other: Simtrace, rows: Range<Int>) {
        episode += other.episode[rows]
        step += other.step[rows]
        x += other.x[rows]
        y += other.y[rows]
        yaw += other.yaw[rows]
        steer += other.steer[rows]
        throttle += other.throttle[rows]
        action += other.action[rows]
        reward += other.reward[rows]
        allWheelsOnTrack += other.allWheelsOnTrack[rows]
        progress += other.progress[rows]
        closestWaypoint += other.closestWaypoint[rows]
        time += other.time[rows]
        status += other.status[rows]
        trackLength = trackLength ?? other.trackLength
    }
}
