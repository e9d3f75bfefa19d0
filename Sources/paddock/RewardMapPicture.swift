import Imaging
import RewardScript
import Simulator

/// A reward map drawn over the track: each point of the road coloured by its reward (dark
/// purple low, yellow high), with the borders, centre line, start and a colour key on top.
struct RewardMapPicture {
    let map: RewardMap
    let track: Track
    var objects: [TrackObject] = []

    /// Colours of the scale from the lowest to the highest reward (perceptually even, as viridis).
    static let ramp: [(Double, Double, Double)] = [
        (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]

    static func color(_ fraction: Double) -> RGBColor {
        let f = min(max(fraction, 0), 1) * Double(ramp.count - 1)
        let i = min(Int(f), ramp.count - 2)
        let t = f - Double(i)
        let a = ramp[i]
        let b = ramp[i + 1]
        return RGBColor(
            red: UInt8(a.0 + (b.0 - a.0) * t), green: UInt8(a.1 + (b.1 - a.1) * t), blue: UInt8(a.2 + (b.2 - a.2) * t))
    }

    func draw(title: String) -> Canvas {
        let picture = TrackPicture(track: track)
        let range = map.range ?? 0...1
        let span = range.upperBound - range.lowerBound
        var canvas = picture.draw(showWaypointNumbers: false, caption: title) { canvas in
            for y in 0..<(canvas.height - 40) {
                for x in 0..<canvas.width {
                    guard let value = map.value(at: picture.world(x: x, y: y)) else { continue }
                    canvas[x, y] = Self.color(span > 0 ? (value - range.lowerBound) / span : 1)
                }
            }
            for object in objects {
                canvas.fillPolygon(object.corners.map(picture.pixel), color: RGBColor(red: 230, green: 120, blue: 40))
            }
        }
        // The key: the colour scale with its lowest and highest rewards.
        let keyWidth = 180.0
        for i in 0..<Int(keyWidth) {
            canvas.fillRectangle(
                origin: Point(12 + Double(i), 12), width: 1, height: 12, color: Self.color(Double(i) / (keyWidth - 1)))
        }
        canvas.drawText(Self.label(range.lowerBound), at: Point(12, 30), size: 10, color: .white)
        canvas.drawText(
            Self.label(range.upperBound), at: Point(12 + keyWidth, 30), size: 10, color: .white, anchor: .topRight)
        canvas.drawText("reward", at: Point(12 + keyWidth / 2, 30), size: 10, color: .white, anchor: .top)
        return canvas
    }

    static func label(_ value: Double) -> String {
        abs(value) >= 0.01 || value == 0 ? String((value * 1000).rounded() / 1000) : String(value)
    }
}
