import CSDL2
import Foundation
import Lessons
import RewardScript
import Simulator

/// The side panel: the camera, the reward params, the actions and the training graph.
extension AppView {
    // MARK: Side panel

    func drawSide(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.panel)
        screen.line(rect.x, rect.y, rect.x, rect.maxY, Theme.panelLine)
        let pad = 16.0
        var y = rect.y + 14
        let inner = rect.width - 2 * pad
        // Camera.
        sectionTitle("WHAT THE CAR SEES · 160×120", x: rect.x + pad, y: y)
        y += 20
        let cameraHeight = inner * 120 / 160
        let cameraRect = Rect(x: rect.x + pad, y: y, width: inner, height: cameraHeight)
        if model.cameraOnly {
            screen.fillRounded(cameraRect, radius: 4, Theme.chrome)
            screen.centredText("(shown large in the middle)", in: cameraRect, .small, Theme.inkOnDarkSoft)
        } else {
            drawCameraImage(model, in: cameraRect)
            drawSaliency(model, in: cameraRect)
            let label = model.showsSaliency ? "Looks at: on" : "Looks at"
            let width = screen.measure(label, .small) + 18
            button(
                label, Rect(x: cameraRect.maxX - width - 4, y: cameraRect.y + 4, width: width, height: 22),
                .toggleSaliency,
                primary: model.showsSaliency, light: false)
        }
        y += cameraHeight + 14
        if model.scene.panel == .actions {
            y = drawActions(model, x: rect.x + pad, y: y, width: inner)
        } else {
            y = drawReadout(model, x: rect.x + pad, y: y, width: inner)
        }
        drawGraph(model, Rect(x: rect.x + pad, y: y + 8, width: inner, height: max(rect.maxY - y - 22, 60)))
    }

    func drawCameraImage(_ model: AppModel, in rect: Rect) {
        if cameraTexture == nil { cameraTexture = screen.makeGrayTexture(width: 160, height: 120) }
        guard let cameraTexture else { return }
        screen.upload(gray: model.driving.cameraFrame, width: 160, height: 120, to: cameraTexture)
        screen.draw(texture: cameraTexture, in: rect)
    }

    func drawReadout(_ model: AppModel, x: Double, y: Double, width: Double) -> Double {
        var y = y
        sectionTitle("REWARD PARAMS · LAST STEP", x: x, y: y)
        y += 20
        let driving = model.driving
        let params = driving.lastResult?.params ?? driving.simulation.params(for: driving.simulation.car)
        let rows: [(String, String)] = [
            ("speed", String(format: "%.2f", params.speed)),
            ("steering_angle", String(format: "%.1f", params.steeringAngle)),
            ("progress", String(format: "%.1f", params.progress)),
            ("steps", "\(params.steps)"),
            ("distance_from_center", String(format: "%.3f", params.distanceFromCenter)),
            ("track_width", String(format: "%.2f", params.trackWidth)),
            ("all_wheels_on_track", params.allWheelsOnTrack ? "True" : "False"),
            ("is_offtrack", params.isOfftrack ? "True" : "False"),
            ("closest_waypoints", "[\(params.closestWaypoints.0), \(params.closestWaypoints.1)]"),
            ("heading", String(format: "%.1f", params.heading)),
        ]
        let half = width / 2
        for (index, row) in rows.enumerated() {
            let column = Double(index % 2)
            let rowY = y + Double(index / 2) * 30
            screen.text(row.0, x: x + column * half, y: rowY, .label, Theme.inkOnDarkSoft)
            screen.text(row.1, x: x + column * half, y: rowY + 12, .smallBold, Theme.inkOnDark)
        }
        y += Double((rows.count + 1) / 2) * 30 + 6
        let rewardText: String
        if driving.rewardError != nil {
            rewardText = "reward function error (Reward opens the editor)"
        } else if let reward = driving.lastReward {
            rewardText = String(format: "reward %.3f   ·   this episode %.1f", reward, driving.episodeReward)
        } else {
            rewardText = "reward: drive to see it"
        }
        let box = Rect(x: x, y: y, width: width, height: 30)
        screen.fillRounded(
            box, radius: 6,
            driving.rewardError == nil ? Theme.withAlpha(Theme.accent, 70) : Theme.withAlpha(Theme.warning, 90))
        screen.text(rewardText, x: x + 10, y: y + 7, .smallBold, Theme.inkOnDark)
        y += 36
        if let error = driving.rewardError {
            y =
                wrapped([TextRun(error)], x: x, y: y, width: width, style: .label, color: Theme.inkOnDark, maxLines: 4)
                + 4
        }
        if let value = driving.lastValue {
            // The critic's guess of the reward still to come, beside what has come so far.
            let box = Rect(x: x, y: y, width: width, height: 30)
            screen.fillRounded(box, radius: 6, Theme.withAlpha(Theme.gold, 60))
            screen.text(
                String(format: "value %.1f: what the model expects to earn from here", value), x: x + 10, y: y + 7,
                .smallBold, Theme.inkOnDark)
            y += 36
        }
        if let name = driving.reward?.fileName {
            screen.text((name as NSString).lastPathComponent, x: x, y: y, .label, Theme.inkOnDarkSoft)
            y += 16
        }
        return y
    }

    func drawActions(_ model: AppModel, x: Double, y: Double, width: Double) -> Double {
        var y = y
        sectionTitle("ACTION SPACE · \(model.actions.count) ACTIONS", x: x, y: y)
        y += 20
        for (index, action) in model.actions.enumerated() {
            let row = Rect(x: x, y: y, width: width, height: 22)
            if index % 2 == 0 { screen.fill(row, Theme.withAlpha(Theme.panelLine, 120)) }
            screen.text("\(index)", x: x + 6, y: y + 4, .small, Theme.inkOnDarkSoft)
            screen.text(
                String(format: "steer %+.0f°", action.steeringAngle), x: x + 34, y: y + 4, .small, Theme.inkOnDark)
            screen.text(String(format: "speed %.2f m/s", action.speed), x: x + 140, y: y + 4, .small, Theme.inkOnDark)
            let remove = Rect(x: row.maxX - 26, y: y + 1, width: 22, height: 20)
            screen.centredText(
                "×", in: remove, .bodyBold, hovered == .removeAction(index) ? Theme.warning : Theme.inkOnDarkSoft)
            targets.append((remove, .removeAction(index)))
            y += 22
        }
        y += 6
        let new = model.newAction
        func stepper(_ text: String, _ left: Double, _ down: ClickTarget, _ up: ClickTarget) {
            button("‹", Rect(x: left, y: y, width: 22, height: 26), down, primary: false, light: false)
            screen.centredText(text, in: Rect(x: left + 22, y: y, width: 70, height: 26), .small, Theme.inkOnDark)
            button("›", Rect(x: left + 92, y: y, width: 22, height: 26), up, primary: false, light: false)
        }
        stepper(String(format: "%+.0f°", new.steeringAngle), x, .newActionSteering(-1), .newActionSteering(1))
        stepper(String(format: "%.1f m/s", new.speed), x + 120, .newActionSpeed(-1), .newActionSpeed(1))
        button("Add", Rect(x: x + 240, y: y, width: width - 240, height: 26), .addAction, primary: false, light: false)
        y += 32
        button(
            "Reset to the 10", Rect(x: x, y: y, width: 190, height: 26), .resetActions, primary: false,
            light: false)
        return y + 32
    }

    func drawGraph(_ model: AppModel, _ rect: Rect) {
        guard rect.height > 90 else { return }
        let snapshot = model.snapshot
        var title = "TRAINING"
        if let name = snapshot.model { title += " · \(name)" }
        if !snapshot.points.isEmpty {
            title += " · \(snapshot.points.count) ITERATION\(snapshot.points.count == 1 ? "" : "S")"
        }
        if snapshot.isTraining { title += snapshot.isStopping ? " · STOPPING…" : " · TRAINING…" }
        sectionTitle(title, x: rect.x, y: rect.y)
        // Completion in % on the left axis, the reward on its own scale on the right, iterations below.
        let plot = Rect(x: rect.x + 30, y: rect.y + 24, width: rect.width - 62, height: rect.height - 70)
        guard plot.height > 30 else { return }
        screen.fill(plot, Theme.chrome)
        let points = snapshot.points
        let rewardTop = Self.niceCeiling(points.map(\.reward).max() ?? 1)
        for fraction in [0.0, 0.5, 1.0] {
            let lineY = plot.maxY - fraction * plot.height
            screen.line(plot.x, lineY, plot.maxX, lineY, Theme.panelLine)
            screen.text("\(Int(fraction * 100))%", x: rect.x, y: lineY - 7, .label, Theme.inkOnDarkSoft)
            if !points.isEmpty {
                screen.text(
                    AppModel.number(fraction * rewardTop), x: plot.maxX + 5, y: lineY - 7, .label, Theme.inkOnDarkSoft)
            }
        }
        if points.isEmpty {
            let message =
                snapshot.isTraining
                ? "Iteration 1: \(snapshot.stepsThisIteration) steps so far…"
                : "Press Train (T) to start; the curves appear here."
            _ = wrapped(
                [TextRun(message)], x: plot.x + 10, y: plot.y + plot.height / 2 - 16, width: plot.width - 20,
                style: .small, color: Theme.inkOnDarkSoft)
        } else {
            let count = Double(max(points.count - 1, 1))
            func px(_ i: Int) -> Double {
                points.count == 1 ? plot.x + plot.width / 2 : plot.x + Double(i) / count * plot.width
            }
            func series(_ value: (TrainingController.Point) -> Double, scale: Double) -> [(Double, Double)] {
                points.enumerated().map {
                    (px($0.offset), plot.maxY - min(max(value($0.element), 0) / scale, 1) * plot.height)
                }
            }
            screen.polyline(series({ $0.reward }, scale: rewardTop), width: 2, Theme.inkOnDarkSoft)
            screen.polyline(series({ $0.trainingCompletion }, scale: 100), width: 2, Theme.trail)
            screen.polyline(series({ $0.evaluationCompletion }, scale: 100), width: 2.5, Theme.gold)
            // Iteration numbers: the first (named), the middle and the last.
            let marks = Set([0, (points.count - 1) / 2, points.count - 1])
            for index in marks.sorted() {
                let label = index == 0 ? "iteration \(points[index].iteration)" : "\(points[index].iteration)"
                let width = screen.measure(label, .label)
                let x = index == 0 ? plot.x : min(max(px(index) - width / 2, plot.x), plot.maxX - width)
                guard index == 0 || x > plot.x + screen.measure("iteration 000", .label) else { continue }
                screen.text(label, x: x, y: plot.maxY + 3, .label, Theme.inkOnDarkSoft)
            }
            if let best = points.firstIndex(where: { $0.iteration == snapshot.bestIteration }) {
                let point = (px(best), plot.maxY - min(points[best].evaluationCompletion / 100, 1) * plot.height)
                screen.fillCircle(x: point.0, y: point.1, radius: 5, Theme.gold)
                // Inside the plot, beside the point: below it when it sits at the top.
                let label = "best: iteration \(points[best].iteration)"
                let width = screen.measure(label, .label)
                let x = min(max(point.0 - width / 2, plot.x + 2), plot.maxX - width - 2)
                let y = point.1 - 20 >= plot.y + 2 ? point.1 - 20 : point.1 + 8
                screen.text(label, x: x, y: y, .label, Theme.gold)
            }
        }
        var legendX = plot.x
        let legendY = plot.maxY + 18
        for (label, color) in [
            ("reward", Theme.inkOnDarkSoft), ("training %", Theme.trail), ("evaluation %", Theme.gold),
        ] {
            screen.fill(Rect(x: legendX, y: legendY + 5, width: 10, height: 3), color)
            legendX += 14 + screen.text(label, x: legendX + 14, y: legendY, .label, Theme.inkOnDarkSoft) + 14
        }
        if let error = snapshot.error {
            _ = wrapped(
                [TextRun(error)], x: plot.x + 6, y: plot.y + 6, width: plot.width - 12, style: .label,
                color: Theme.warning, maxLines: 4)
        }
    }

    /// The smallest of 1, 2, 5 times a power of ten at or above `value` (at least 1): the
    /// reward axis's top.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 1 else { return 1 }
        let power = pow(10, floor(log10(value)))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= value } ?? 10 * power
    }
}
