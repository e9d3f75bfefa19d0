import Imaging
import Simulator

/// Draws a track seen from above: floor, road, borders, dashed centre line, start line,
/// direction arrow and waypoint numbers, with a scale bar.
struct TrackPicture {
    let track: Track
    /// Pixels per metre.
    let scale: Double
    let margin: Double
    let minimum: Vector2
    let width: Int
    let height: Int

    init(track: Track, pixelsPerMetre: Double = 120, margin: Double = 0.6) {
        self.track = track
        self.scale = pixelsPerMetre
        self.margin = margin
        let bounds = track.bounds
        self.minimum = bounds.minimum - Vector2(margin, margin)
        let size = bounds.maximum - bounds.minimum + Vector2(2 * margin, 2 * margin)
        self.width = Int((size.x * pixelsPerMetre).rounded(.up))
        self.height = Int((size.y * pixelsPerMetre).rounded(.up)) + 40
    }

    /// Pixel position of a world point (y up in the world, down in the picture).
    func pixel(_ p: Vector2) -> Point {
        Point((p.x - minimum.x) * scale, Double(height - 40) - (p.y - minimum.y) * scale)
    }

    /// The world point at the centre of pixel (x, y).
    func world(x: Int, y: Int) -> Vector2 {
        Vector2(minimum.x + (Double(x) + 0.5) / scale, minimum.y + (Double(height - 40) - Double(y) - 0.5) / scale)
    }

    /// The picture. `overlay` paints over the road before the lines are drawn (a reward map);
    /// `caption` replaces the line under the track.
    func draw(showWaypointNumbers: Bool = true, caption: String? = nil, overlay: (inout Canvas) -> Void = { _ in })
        -> Canvas
    {
        var canvas = Canvas(width: width, height: height, fill: RGBColor(red: 46, green: 98, blue: 58))
        let outer = track.outerBorder.map(pixel)
        let inner = track.innerBorder.map(pixel)
        let road = RGBColor(red: 58, green: 58, blue: 62)
        if track.isLoop {
            canvas.fillPolygon(rings: [outer, inner], color: road)
        } else {
            canvas.fillPolygon(outer + inner.reversed(), color: road)
        }
        overlay(&canvas)
        let lineWidth = max(0.05 * scale, 1.5)
        canvas.strokePolyline(outer, width: lineWidth, color: .white)
        canvas.strokePolyline(inner, width: lineWidth, color: .white)
        canvas.strokeDashedPolyline(
            track.waypoints.map(pixel), width: max(0.04 * scale, 1.2), dash: 0.15 * scale, gap: 0.15 * scale,
            color: RGBColor(red: 250, green: 200, blue: 20))
        // Start line and driving direction.
        canvas.strokePolyline(
            [pixel(track.innerBorder[0]), pixel(track.outerBorder[0])], width: max(0.06 * scale, 2),
            color: RGBColor(red: 230, green: 40, blue: 40))
        let start = track.pose(atDistance: 0)
        let arrowFrom = start.position + Vector2(angle: start.heading) * 0.15
        let arrowTo = start.position + Vector2(angle: start.heading) * 0.75
        canvas.drawArrow(
            from: pixel(arrowFrom), to: pixel(arrowTo), width: max(0.05 * scale, 2), headLength: 0.2 * scale,
            color: RGBColor(red: 90, green: 200, blue: 255))
        if showWaypointNumbers {
            drawWaypointNumbers(on: &canvas)
        }
        // Caption and a 1 m scale bar.
        let caption =
            caption
            ?? "\(track.id)  \(format(track.length)) m long, \(format(track.averageWidth)) m wide, \(track.waypoints.count) waypoints"
        canvas.fillRectangle(
            origin: Point(0, Double(height - 40)), width: Double(width), height: 40,
            color: RGBColor(red: 24, green: 28, blue: 34))
        canvas.drawText(caption, at: Point(12, Double(height - 20)), size: 14, color: .white, anchor: .left)
        let barRight = Double(width) - 16
        canvas.strokePolyline(
            [Point(barRight - scale, Double(height - 14)), Point(barRight, Double(height - 14))], width: 3,
            color: .white)
        canvas.drawText(
            "1 m", at: Point(barRight - scale / 2, Double(height - 28)), size: 10, color: .white, anchor: .center)
        return canvas
    }

    /// Numbers each waypoint just outside the outer border, skipping any label that would
    /// overlap one already drawn (waypoint 0 always shows).
    private func drawWaypointNumbers(on canvas: inout Canvas) {
        let size = max(min(0.09 * scale, 12), 7)
        var placed: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
        let count = track.waypoints.count - (track.isLoop ? 1 : 0)
        for i in 0..<count {
            let p = pixel(track.waypoints[i])
            canvas.fillCircle(
                center: p, radius: max(0.02 * scale, 1.5), color: RGBColor(red: 255, green: 235, blue: 120))
            let outward = track.outerBorder[i] - track.waypoints[i]
            let label = pixel(track.outerBorder[i] + outward.normalized * 0.18)
            let text = String(i)
            let halfWidth = canvas.textWidth(text, size: size) / 2 + 2
            let box = (
                minX: label.x - halfWidth, minY: label.y - size / 2 - 2, maxX: label.x + halfWidth,
                maxY: label.y + size / 2 + 2
            )
            let overlaps = placed.contains {
                box.minX < $0.maxX && $0.minX < box.maxX && box.minY < $0.maxY && $0.minY < box.maxY
            }
            if overlaps { continue }
            placed.append(box)
            canvas.drawText(text, at: label, size: size, color: .white, anchor: .center)
        }
    }

    private func format(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}
