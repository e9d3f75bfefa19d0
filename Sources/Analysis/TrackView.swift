import Imaging
import Simulator

/// A track (or, without one, the recorded positions' bounds) fitted into a panel, seen from
/// above: world metres to pixels, and the road drawn under what a picture shows on it.
struct TrackView {
    let track: Track?
    let rect: PanelRect
    let minimum: Vector2
    let scale: Double
    let offset: Point

    /// Fits `track`'s bounds (or `points`' when there is no track) into `rect`, keeping the aspect.
    init(track: Track?, points: [Vector2], rect: PanelRect) {
        self.track = track
        self.rect = rect
        var low: Vector2
        var high: Vector2
        if let track {
            (low, high) = track.bounds
        } else {
            low = Vector2(points.map(\.x).min() ?? 0, points.map(\.y).min() ?? 0)
            high = Vector2(points.map(\.x).max() ?? 1, points.map(\.y).max() ?? 1)
        }
        low = low - Vector2(0.3, 0.3)
        high = high + Vector2(0.3, 0.3)
        minimum = low
        let size = high - low
        scale = min(rect.width / max(size.x, 0.1), rect.height / max(size.y, 0.1))
        offset = Point(
            rect.x + (rect.width - size.x * scale) / 2, rect.y + rect.height - (rect.height - size.y * scale) / 2)
    }

    /// The pixel of a world point (y up in the world, down in the picture).
    func pixel(_ p: Vector2) -> Point {
        Point(offset.x + (p.x - minimum.x) * scale, offset.y - (p.y - minimum.y) * scale)
    }

    /// Grass, road, white borders and the dashed centre line; faded when `muted` (so that what is
    /// drawn over it stands out).
    func drawRoad(on canvas: inout Canvas, muted: Bool) {
        guard let track else { return }
        let outer = track.outerBorder.map(pixel)
        let inner = track.innerBorder.map(pixel)
        let road = muted ? RGBColor(red: 214, green: 216, blue: 220) : RGBColor(red: 58, green: 58, blue: 62)
        if track.isLoop {
            canvas.fillPolygon(rings: [outer, inner], color: road)
        } else {
            canvas.fillPolygon(outer + inner.reversed(), color: road)
        }
        let line = muted ? RGBColor(red: 150, green: 152, blue: 158) : RGBColor.white
        canvas.strokePolyline(outer, width: max(0.04 * scale, 1), color: line, closed: track.isLoop)
        canvas.strokePolyline(inner, width: max(0.04 * scale, 1), color: line, closed: track.isLoop)
        canvas.strokeDashedPolyline(
            track.waypoints.map(pixel), width: max(0.02 * scale, 1), dash: 0.12 * scale, gap: 0.12 * scale,
            color: muted ? RGBColor(red: 180, green: 170, blue: 120) : RGBColor(red: 250, green: 200, blue: 20))
    }

    /// The start line and an arrow in the driving direction.
    func drawStart(on canvas: inout Canvas) {
        guard let track else { return }
        canvas.strokePolyline(
            [pixel(track.innerBorder[0]), pixel(track.outerBorder[0])], width: max(0.05 * scale, 2),
            color: RGBColor(red: 220, green: 40, blue: 40))
        let start = track.pose(atDistance: 0)
        canvas.drawArrow(
            from: pixel(start.position + Vector2(angle: start.heading) * 0.15),
            to: pixel(start.position + Vector2(angle: start.heading) * 0.7), width: max(0.04 * scale, 2),
            headLength: 0.18 * scale, color: RGBColor(red: 220, green: 40, blue: 40))
    }
}
