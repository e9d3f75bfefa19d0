import Testing

@testable import Imaging

@Suite("Canvas drawing")
struct CanvasTests {
    /// How much of a pixel is painted black on white: 0 untouched ... 1 fully black.
    static func darkness(_ canvas: Canvas, _ x: Int, _ y: Int) -> Double {
        1 - Double(canvas[x, y].luminance) / 255
    }

    static func totalDarkness(_ canvas: Canvas) -> Double {
        var total = 0.0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width { total += darkness(canvas, x, y) }
        }
        return total
    }

    static func square(_ minimum: Double, _ maximum: Double, clockwise: Bool = true) -> [Point] {
        let points = [
            Point(minimum, minimum), Point(maximum, minimum), Point(maximum, maximum), Point(minimum, maximum),
        ]
        return clockwise ? points : points.reversed()
    }

    @Test("a canvas starts in one colour and reads back pixels")
    func basics() {
        var canvas = Canvas(width: 4, height: 3, fill: .blue)
        #expect(canvas.pixels.count == 36)
        #expect(canvas[3, 2] == .blue)
        canvas[1, 2] = .red
        #expect(Array(canvas.pixels[((2 * 4 + 1) * 3)..<((2 * 4 + 1) * 3 + 3)]) == [255, 0, 0])
        canvas.fill(.white)
        #expect(canvas.pixels.allSatisfy { $0 == 255 })
    }

    @Test("a ring with a hole paints the ring and leaves the hole", arguments: [true, false])
    func ringWithHole(innerClockwise: Bool) {
        var canvas = Canvas(width: 100, height: 100)
        canvas.fillPolygon(rings: [Self.square(10, 90), Self.square(30, 70, clockwise: innerClockwise)], color: .black)
        #expect(canvas[50, 50] == .white)  // the hole
        #expect(canvas[31, 31] == .white)
        #expect(canvas[20, 50] == .black)  // the ring
        #expect(canvas[50, 85] == .black)
        #expect(canvas[5, 5] == .white)  // outside
        // Edges on pixel boundaries are exact: pixel 10 is in, pixel 9 is out; 29 in, 30 out.
        #expect(canvas[10, 50] == .black && canvas[9, 50] == .white)
        #expect(canvas[29, 50] == .black && canvas[30, 50] == .white)
        #expect(canvas[89, 50] == .black && canvas[90, 50] == .white)
        // The painted area is the ring's area, 80^2 - 40^2.
        #expect(abs(Self.totalDarkness(canvas) - 4800) < 1)
    }

    @Test("polygon edges are anti-aliased by the area they cover")
    func antiAliasedPolygon() {
        var canvas = Canvas(width: 40, height: 40)
        canvas.fillPolygon(Self.square(10.5, 20.25), color: .black)
        #expect(abs(Self.darkness(canvas, 10, 15) - 0.5) < 0.01)  // half of pixel 10 covered
        #expect(abs(Self.darkness(canvas, 20, 15) - 0.25) < 0.01)  // a quarter of pixel 20
        #expect(abs(Self.darkness(canvas, 10, 20) - 0.125) < 0.02)  // corner: half times a quarter
        var triangle = Canvas(width: 60, height: 60)
        triangle.fillPolygon([Point(3.3, 5.1), Point(55.2, 17.9), Point(20.7, 52.4)], color: .black)
        let area = abs((55.2 - 3.3) * (52.4 - 5.1) - (20.7 - 3.3) * (17.9 - 5.1)) / 2
        #expect(abs(Self.totalDarkness(triangle) - area) < area * 0.005)
    }

    @Test("even-odd: a self-overlapping star leaves its centre empty")
    func evenOddStar() {
        var canvas = Canvas(width: 100, height: 100)
        // A pentagram drawn in one ring: the centre pentagon is crossed twice.
        let star = [Point(50, 5), Point(76.5, 86.4), Point(7.2, 36.1), Point(92.8, 36.1), Point(23.5, 86.4)]
        canvas.fillPolygon(star, color: .black)
        #expect(canvas[50, 52] == .white)
        #expect(canvas[50, 15] == .black)  // the top point
    }

    @Test("a line paints the pixels along it and nothing far from it")
    func line() {
        var canvas = Canvas(width: 100, height: 80)
        let start = Point(10.3, 12.7)
        let end = Point(88.1, 61.2)
        let width = 3.0
        canvas.strokePolyline([start, end], width: width, color: .red)
        for step in 0...20 {
            let t = Double(step) / 20
            let x = Int(start.x + (end.x - start.x) * t)
            let y = Int(start.y + (end.y - start.y) * t)
            #expect(canvas[x, y] == .red, "pixel (\(x), \(y)) on the line")
        }
        let painted = canvas.paintedPixels()
        #expect(!painted.isEmpty)
        for pixel in painted {
            let distance = Self.distance(from: Point(Double(pixel.x) + 0.5, Double(pixel.y) + 0.5), to: start, end)
            #expect(distance <= width / 2 + 0.5, "pixel \(pixel) is \(distance) px from the line")
        }
        // The painted area is width x length plus the two round half-disc caps.
        let area = width * (end - start).length + Double.pi * width * width / 4
        let darknessOfRed = 1 - 76.0 / 255
        #expect(abs(Self.totalDarkness(canvas) / darknessOfRed - area) < 2)
    }

    @Test("a translucent polyline is painted once where its pieces overlap")
    func translucentOverlap() {
        var canvas = Canvas(width: 60, height: 60)
        let points = [Point(10, 30), Point(50, 30), Point(30, 10), Point(30, 50)]  // crosses itself
        canvas.strokePolyline(points, width: 4, color: .black, alpha: 0.5)
        for pixel in canvas.paintedPixels() {
            #expect(canvas[pixel.x, pixel.y].red >= 127, "pixel \(pixel) painted twice")
        }
        #expect(canvas[30, 30].red == 128)  // the crossing: one half-opaque coat
        #expect(canvas[20, 30].red == 128)
    }

    @Test("a closed polyline joins its last point to its first")
    func closedPolyline() {
        var open = Canvas(width: 50, height: 50)
        var closed = Canvas(width: 50, height: 50)
        let points = Self.square(10, 40)
        open.strokePolyline(points, width: 2, color: .black)
        closed.strokePolyline(points, width: 2, color: .black, closed: true)
        #expect(open[10, 25] == .white)
        #expect(closed[9, 25] == .black || closed[10, 25] == .black)
    }

    @Test("a dashed line alternates painted dashes and empty gaps")
    func dashedLine() {
        var canvas = Canvas(width: 200, height: 20)
        canvas.strokeDashedPolyline(
            [Point(10, 10), Point(100, 10), Point(190, 10)], width: 2, dash: 10, gap: 10, color: .black)
        var runs = 0
        var previous = false
        for x in 0..<200 {
            let painted = canvas.isPainted(x, 9)
            if painted && !previous { runs += 1 }
            previous = painted
        }
        #expect(runs == 9)  // 180 px of line: dashes at 0, 20, ..., 160
        #expect(canvas.isPainted(15, 9))  // in the first dash
        #expect(!canvas.isPainted(25, 9))  // in the first gap
        #expect(canvas.isPainted(95, 9))  // the fifth dash, 80 to 90 px along the line
        #expect(!canvas.isPainted(105, 9))  // the gap after it, across the join at x = 100
    }

    @Test("dash cutting follows the pattern along the path")
    func dashPieces() {
        let pieces = Canvas.dashes(along: [Point(0, 0), Point(25, 0), Point(25, 10)], dash: 10, gap: 5)
        #expect(pieces.count == 3)
        #expect(pieces[0] == [Point(0, 0), Point(10, 0)])
        #expect(pieces[1] == [Point(15, 0), Point(25, 0)])
        #expect(pieces[2] == [Point(25, 5), Point(25, 10)])
        // A dash that starts exactly at a corner continues around it; none is left at the very end.
        let turning = Canvas.dashes(along: [Point(0, 0), Point(15, 0), Point(15, 15)], dash: 10, gap: 5)
        #expect(turning == [[Point(0, 0), Point(10, 0)], [Point(15, 0), Point(15, 10)]])
    }

    @Test("circles: a filled disc covers pi r^2; a stroked circle leaves its centre")
    func circles() {
        var disc = Canvas(width: 100, height: 100)
        disc.fillCircle(center: Point(50.3, 49.6), radius: 20, color: .black)
        #expect(disc[50, 50] == .black)
        #expect(disc[50, 25] == .white)
        #expect(abs(Self.totalDarkness(disc) - Double.pi * 400) < 5)

        var ring = Canvas(width: 100, height: 100)
        ring.strokeCircle(center: Point(50, 50), radius: 30, width: 4, color: .black)
        #expect(ring[50, 50] == .white)
        #expect(ring[80, 50] == .black)
        #expect(ring[50, 19] == .black)
        #expect(abs(Self.totalDarkness(ring) - 2 * Double.pi * 30 * 4) < 8)
    }

    @Test("an arrow paints its shaft and head up to the tip")
    func arrow() {
        var canvas = Canvas(width: 100, height: 60)
        canvas.drawArrow(from: Point(10, 30), to: Point(90, 30), width: 3, headLength: 16, color: .black)
        #expect(canvas[15, 30] == .black)  // shaft
        #expect(canvas[80, 30] == .black)  // head
        #expect(canvas[75, 24] == .black)  // head wider than the shaft
        #expect(canvas[15, 24] == .white)  // beside the shaft
        #expect(canvas[92, 30] == .white)  // beyond the tip
        for pixel in canvas.paintedPixels() { #expect(pixel.x <= 90) }
    }

    @Test("a rectangle covers whole and partial pixels exactly")
    func rectangle() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.fillRectangle(origin: Point(2, 3), width: 5.5, height: 4, color: .black)
        #expect(canvas[2, 3] == .black && canvas[6, 6] == .black)
        #expect(canvas[1, 3] == .white && canvas[2, 7] == .white)
        #expect(abs(Self.darkness(canvas, 7, 4) - 0.5) < 0.01)
        #expect(abs(Self.totalDarkness(canvas) - 22) < 0.05)
    }

    @Test("shapes partly or wholly outside the canvas, or with bad numbers, are clipped safely")
    func clipping() {
        var canvas = Canvas(width: 30, height: 30)
        canvas.fillPolygon([Point(-50, -50), Point(15, -50), Point(15, 80), Point(-50, 80)], color: .black)
        #expect(canvas[0, 0] == .black && canvas[14, 29] == .black && canvas[15, 15] == .white)
        var untouched = Canvas(width: 30, height: 30)
        untouched.strokePolyline([Point(-100, -100), Point(-50, -40)], width: 5, color: .black)
        untouched.fillCircle(center: Point(1e300, 5), radius: 3, color: .black)
        untouched.fillPolygon([Point(.nan, 1), Point(5, 5), Point(1, 9)], color: .black)
        untouched.strokePolyline([Point(.infinity, 1), Point(5, 5)], width: 2, color: .black)
        untouched.drawText("abc", at: Point(-1e12, 3), size: 7, color: .black)
        #expect(untouched == Canvas(width: 30, height: 30))
        var empty = Canvas(width: 0, height: 0)
        empty.fillCircle(center: Point(0, 0), radius: 4, color: .black)
        #expect(empty.pixels.isEmpty)
    }

    @Test("blit pastes a gray image, clipped at the edges")
    func blit() {
        var canvas = Canvas(width: 10, height: 10, fill: .red)
        let gray = GrayImage(width: 4, height: 3, pixels: Array(0..<12).map { UInt8($0 * 20) })
        canvas.blit(gray, at: 8, y: -1)
        #expect(canvas[8, 0] == RGBColor(gray: 80))  // gray pixel (0, 1)
        #expect(canvas[9, 1] == RGBColor(gray: 180))  // gray pixel (1, 2)
        #expect(canvas[7, 0] == .red && canvas[8, 2] == .red)
        var other = Canvas(width: 3, height: 3, fill: .blue)
        other.blit(Canvas(width: 1, height: 1, fill: .green), at: 1, y: 1)
        #expect(other[1, 1] == .green && other[0, 0] == .blue)
    }

    @Test("the gray version of a canvas uses the luminance rule")
    func grayConversion() {
        var canvas = Canvas(width: 3, height: 1)
        canvas[0, 0] = .red
        canvas[1, 0] = .black
        canvas[2, 0] = RGBColor(red: 10, green: 20, blue: 30)
        #expect(canvas.grayImage == GrayImage(width: 3, height: 1, pixels: [76, 0, 18]))
    }

    @Test("drawing is deterministic")
    func deterministic() {
        func picture() -> Canvas {
            var canvas = Canvas(width: 120, height: 90, fill: .darkGray)
            canvas.fillPolygon(rings: [Self.square(5, 85), Self.square(25, 65)], color: .gray)
            canvas.strokeDashedPolyline(
                [Point(15, 15), Point(75, 15), Point(75, 75)], width: 1.5, dash: 6, gap: 4, color: .white)
            canvas.drawText("Lap 1: 12.3 s", at: Point(60, 45), size: 7, color: .yellow, anchor: .center)
            return canvas
        }
        #expect(picture() == picture())
    }

    static func distance(from point: Point, to a: Point, _ b: Point) -> Double {
        let direction = b - a
        let t = min(max((point - a).dot(direction) / direction.dot(direction), 0), 1)
        return (point - (a + direction * t)).length
    }
}
