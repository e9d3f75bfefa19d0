import CSDL2
import Foundation
import Lessons
import RewardScript
import Simulator

/// The simulator panel: the track from above, the car, its trail and the reward map.
extension AppView {
    // MARK: Track panel

    func drawTrack(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.grass)
        let driving = model.driving
        let track = driving.track
        if model.cameraOnly {
            screen.fill(rect, Theme.panel)
            drawCameraImage(model, in: fitted(Rect(x: 0, y: 0, width: 160, height: 120), into: rect.inset(30)))
            screen.text("Camera only (V shows the track)", x: rect.x + 16, y: rect.y + 12, .small, Theme.inkOnDarkSoft)
            return
        }
        let frame = TrackFrame(track: track, rect: rect, margin: 28)
        let map = frame.map
        let scale = frame.scale
        let centre = drawRoad(track, frame) {
            if model.overlays.contains(.rewardMap) { drawRewardMap(model, map: map, scale: scale) }
        }
        if model.overlays.contains(.waypoints) {
            for (index, point) in centre.enumerated() {
                screen.fillCircle(x: point.0, y: point.1, radius: 3, Theme.gold)
                if index % 5 == 0 {
                    screen.text("\(index)", x: point.0 + 5, y: point.1 - 14, .label, Theme.inkOnDark)
                }
            }
        }
        if model.overlays.contains(.racingLine) {
            let line = model.racingLine.map(map)
            screen.polyline(
                line, width: max(2, 0.04 * scale), Theme.withAlpha(Theme.racingLine, 230), closed: track.isLoop)
            let label = "Copy the racing line as a reward function"
            let width = screen.measure(label, .small) + 20
            let button = Rect(x: rect.maxX - width - 14, y: rect.maxY - 44, width: width, height: 30)
            screen.fillRounded(
                button, radius: 7,
                hovered == .copyRacingLine ? Theme.racingLine : Theme.withAlpha(Theme.racingLine, 200))
            screen.centredText(label, in: button, .small, Theme.inkOnDark)
            targets.append((button, .copyRacingLine))
        }
        // Objects.
        for object in driving.simulation.objects {
            screen.fillConvex(object.corners.map(map), Theme.box)
        }
        if model.overlays.contains(.trail) || model.overlays.isEmpty {
            // The last few tries, fainter the older they are, under this one.
            for (age, earlier) in driving.earlierTrails.reversed().enumerated() {
                screen.polyline(
                    earlier.map(map), width: 1.5, Theme.withAlpha(Theme.trail, UInt8(max(120 - 25 * age, 40))))
            }
            screen.polyline(driving.trail.map(map), width: 2, Theme.withAlpha(Theme.trail, 200))
        }
        let car = driving.simulation.car
        if model.overlays.contains(.cameraFrustum) {
            let eye = car.worldPoint(Vector2(0.14, 0))
            let left = car.worldPoint(Vector2(0.14 + 1.4, 0.9))
            let right = car.worldPoint(Vector2(0.14 + 1.4, -0.9))
            screen.fillConvex([map(eye), map(left), map(right)], Theme.withAlpha(Theme.trail, 50))
        }
        screen.fillConvex(car.corners.map(map), Theme.car)
        let nose = map(car.worldPoint(Vector2(0.16, 0)))
        screen.fillCircle(x: nose.0, y: nose.1, radius: max(2, 0.03 * scale), Theme.chrome)

        // Status chip: driver, progress, episode end.
        var status = "\(Self.driverName(driving.driver)) · \(track.id)"
        if let live = model.liveIteration {
            let learning = model.snapshot.isTraining ? "Learning: " : ""
            status = "\(learning)the policy after iteration \(live) · \(track.id)"
            status = status.prefix(1).uppercased() + status.dropFirst()
        }
        if let result = driving.lastResult {
            status += String(
                format: " · progress %.0f%% · %.1f s", max(result.params.progress, 0), driving.simulation.episodeTime)
        }
        chip(status, x: rect.x + 14, y: rect.y + 12, Theme.withAlpha(Theme.chrome, 210), Theme.inkOnDark)
        if let ended = driving.endedEpisode {
            let text = Self.endText(ended)
            let width = screen.measure(text, .heading) + 40
            let box = Rect(
                x: rect.x + (rect.width - width) / 2, y: rect.y + rect.height / 2 - 24, width: width, height: 48)
            screen.fillRounded(
                box, radius: 10, Theme.withAlpha(ended == .lapComplete ? Theme.accentDark : Theme.warning, 235))
            screen.centredText(text, in: box, .heading, Theme.inkOnDark)
        }
        if case .keyboard = driving.driver, driving.lastResult == nil {
            chip(
                "Up to drive, Left/Right to steer, R to restart", x: rect.x + 14, y: rect.maxY - 40,
                Theme.withAlpha(Theme.chrome, 210), Theme.inkOnDarkSoft)
        }
        if model.isPaused {
            chip("Paused (P)", x: rect.maxX - 110, y: rect.y + 12, Theme.withAlpha(Theme.gold, 230), Theme.ink)
        }
        let snapshot = model.snapshot
        if !snapshot.trials.isEmpty && !snapshot.isTraining {
            drawEvaluationTable(snapshot, in: rect)
        }
    }

    /// The latest evaluation, trial by trial as DeepRacer's console lists it, with the spread of
    /// the lap times; at the bottom of the simulator panel until training starts again.
    func drawEvaluationTable(_ snapshot: TrainingController.Snapshot, in rect: Rect) {
        let columns: [(String, Double)] = [
            ("TRIAL", 0), ("LAP TIME", 52), ("COMPLETION", 132), ("OFF TRACK", 222), ("PENALTIES", 300),
        ]
        let rowHeight = 20.0
        let width = min(rect.width - 28, 390)
        let height = 34 + Double(snapshot.trials.count) * rowHeight + 26
        let box = Rect(x: rect.x + 14, y: rect.maxY - height - 14, width: width, height: height)
        screen.fillRounded(box, radius: 8, Theme.withAlpha(Theme.chrome, 225))
        let x = box.x + 12
        var y = box.y + 8
        screen.text("EVALUATION · \(snapshot.model ?? "")", x: x, y: y, .label, Theme.inkOnDarkSoft)
        y += 16
        for (title, offset) in columns { screen.text(title, x: x + offset, y: y, .label, Theme.inkOnDarkSoft) }
        y += 16
        for trial in snapshot.trials {
            let values = [
                "\(trial.trial)", trial.lapTime.map { String(format: "%.2f s", $0) } ?? "—",
                String(format: "%.0f%%", trial.completion), "\(trial.offTrackCount)",
                String(format: "%.0f s", trial.penaltySeconds),
            ]
            for ((_, offset), value) in zip(columns, values) {
                screen.text(value, x: x + offset, y: y, .small, Theme.inkOnDark)
            }
            y += rowHeight
        }
        let laps = snapshot.trials.compactMap(\.lapTime)
        let summary: String
        if laps.count >= 2, let fastest = laps.min(), let slowest = laps.max() {
            let mean = laps.reduce(0, +) / Double(laps.count)
            let deviation = (laps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(laps.count)).squareRoot()
            summary = String(
                format: "Laps %.2f to %.2f s: spread %.2f s, standard deviation %.1f %%", fastest, slowest,
                slowest - fastest, deviation / mean * 100)
        } else if laps.count == 1 {
            summary = "One lap finished: evaluate again to see how much the time varies."
        } else {
            summary = "No lap finished: the car did not get round."
        }
        screen.text(summary, x: x, y: y + 2, .label, Theme.gold)
    }

    /// Where a track lies in a rectangle: metres to pixels, north up, centred.
    struct TrackFrame {
        let minimum: Vector2
        let maximum: Vector2
        let scale: Double
        let offsetX: Double
        let offsetY: Double

        init(track: Track, rect: Rect, margin: Double) {
            let bounds = track.bounds
            minimum = bounds.minimum
            maximum = bounds.maximum
            scale = min(
                (rect.width - 2 * margin) / (maximum.x - minimum.x),
                (rect.height - 2 * margin) / (maximum.y - minimum.y))
            offsetX = rect.x + (rect.width - (maximum.x - minimum.x) * scale) / 2
            offsetY = rect.y + (rect.height - (maximum.y - minimum.y) * scale) / 2
        }

        func map(_ p: Vector2) -> (Double, Double) {
            (offsetX + (p.x - minimum.x) * scale, offsetY + (maximum.y - p.y) * scale)
        }
    }

    /// The road between its borders and the dashed centre line; `under` draws between the road
    /// and its borders (the reward map). Returns the centre line's points on screen.
    @discardableResult
    func drawRoad(_ track: Track, _ frame: TrackFrame, under: () -> Void = {}) -> [(Double, Double)] {
        let scale = frame.scale
        let inner = track.innerBorder.map(frame.map)
        let outer = track.outerBorder.map(frame.map)
        if inner.count == outer.count && inner.count > 1 {
            var strip: [(Double, Double)] = []
            for i in 0..<(inner.count - 1) {
                strip += [inner[i], outer[i], inner[i + 1], inner[i + 1], outer[i], outer[i + 1]]
            }
            screen.triangles(strip, Theme.road)
        }
        under()
        screen.polyline(inner, width: max(2, 0.05 * scale), Theme.border)
        screen.polyline(outer, width: max(2, 0.05 * scale), Theme.border)
        let centre = track.waypoints.map(frame.map)
        var dashes: [(Double, Double)] = []
        for i in stride(from: 0, to: centre.count - 1, by: 2) { dashes += [centre[i], centre[i + 1]] }
        for k in stride(from: 0, to: dashes.count - 1, by: 2) {
            screen.polyline(
                [dashes[k], dashes[k + 1]], width: max(1.5, 0.03 * scale), Theme.withAlpha(Theme.centreLine, 200))
        }
        if let first = track.innerBorder.first, let second = track.outerBorder.first {
            screen.polyline([frame.map(first), frame.map(second)], width: 3, Theme.withAlpha(Theme.border, 220))
        }
        return centre
    }

    func drawRewardMap(
        _ model: AppModel, map: (Vector2) -> (Double, Double), scale: Double
    ) {
        // The map is computed off the frame (AppModel.rewardMap); here it only becomes a texture,
        // once per map.
        guard let (key, computed) = model.rewardMap, key == model.rewardMapKey else { return }
        if rewardMapKey != key {
            if let rewardMapTexture { SDL_DestroyTexture(rewardMapTexture) }
            rewardMapTexture = nil
            rewardMapKey = key
            if let range = computed.range {
                var rgba = [UInt8](repeating: 0, count: computed.columns * computed.rows * 4)
                let span = max(range.upperBound - range.lowerBound, 1e-9)
                for row in 0..<computed.rows {
                    for column in 0..<computed.columns {
                        guard let value = computed.values[row * computed.columns + column] else { continue }
                        let t = (value - range.lowerBound) / span
                        let (r, g, b) = Self.heat(t)
                        // Texture rows run top-down; map rows run up the y axis.
                        let index = ((computed.rows - 1 - row) * computed.columns + column) * 4
                        rgba[index] = r
                        rgba[index + 1] = g
                        rgba[index + 2] = b
                        rgba[index + 3] = 200
                    }
                }
                rewardMapTexture = screen.makeRGBATexture(width: computed.columns, height: computed.rows, rgba: rgba)
                rewardMapGrid = (computed.origin, computed.columns, computed.rows)
            }
        }
        guard let rewardMapTexture, let grid = rewardMapGrid else { return }
        let resolution = 0.05
        let topLeft = map(
            Vector2(grid.origin.x - resolution / 2, grid.origin.y + (Double(grid.rows) - 0.5) * resolution))
        screen.draw(
            texture: rewardMapTexture,
            in: Rect(
                x: topLeft.0, y: topLeft.1, width: Double(grid.columns) * resolution * scale,
                height: Double(grid.rows) * resolution * scale))
    }

    /// Dark blue (low) through teal to yellow (high).
    static func heat(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let stops: [(Double, Double, Double)] = [(38, 70, 120), (42, 157, 143), (233, 196, 106), (250, 240, 180)]
        let x = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Double(i)
        let a = stops[i]
        let b = stops[i + 1]
        return (UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }

    static func driverName(_ driver: SceneDriver) -> String {
        switch driver {
        case .keyboard: "You drive"
        case .untrained: "Untrained car"
        case .centreLine: "Scripted driver"
        case .model(let model): "Model \(model.name)"
        }
    }

    static func endText(_ status: EpisodeStatus) -> String {
        switch status {
        case .lapComplete: "Lap complete!"
        case .offTrack: "Off track: episode over"
        case .reversed: "Wrong way: episode over"
        case .crashed: "Crashed: episode over"
        case .immobilized: "Stopped moving: episode over"
        default: "Episode over"
        }
    }
}
