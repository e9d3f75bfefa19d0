import Testing

@testable import Imaging

@Suite("Canvas text")
struct CanvasTextTests {
    static let requiredCharacters =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .,:;-_+/()%#'\"!?=<>[]"

    @Test("the font has every required character, with rectangular glyph tables")
    func fontCoverage() {
        let font = BitmapFont.standard
        for character in Self.requiredCharacters { #expect(font.glyphs[character] != nil, "missing \(character)") }
        var seen: Set<Character> = []
        for (character, rows) in BitmapFont.table {
            #expect(seen.insert(character).inserted, "\(character) defined twice")
            #expect((7...9).contains(rows.count), "\(character) has \(rows.count) rows")
            #expect(Set(rows.map(\.count)).count == 1, "\(character) has rows of different widths")
            #expect(rows.allSatisfy { $0.allSatisfy { $0 == "#" || $0 == "." } })
        }
        // Digits share one width so numbers line up in columns.
        #expect(Set("0123456789".map { font.glyph(for: $0).width }).count == 1)
    }

    @Test("text paints pixels only within its reported width and its line", arguments: [7.0, 14.0, 10.5])
    func textBounds(size: Double) {
        var canvas = Canvas(width: 500, height: 60)
        let text = "Speed: 2.5 m/s (42%) Quick jumpy [fox]!"
        let origin = Point(12, 20)
        canvas.drawText(text, at: origin, size: size, color: .black)
        let width = canvas.textWidth(text, size: size)
        let painted = canvas.paintedPixels()
        #expect(painted.count > 100)
        let cell = size / 7
        for pixel in painted {
            #expect(Double(pixel.x) >= origin.x && Double(pixel.x) < origin.x + width, "x of \(pixel)")
            // From the top of the capitals to the bottom of the descenders (2 cells below the baseline).
            #expect(Double(pixel.y) >= origin.y && Double(pixel.y) < origin.y + size + 2 * cell, "y of \(pixel)")
        }
        // The ink reaches both ends of the box.
        #expect(painted.contains { Double($0.x) < origin.x + cell })
        let rightmost = painted.map(\.x).max() ?? 0
        #expect(
            Double(rightmost) >= origin.x + width - cell - 1, "ink ends at \(rightmost), box at \(origin.x + width)")
    }

    @Test("at multiples of 7 pixels, glyphs are crisp")
    func crispText() {
        var canvas = Canvas(width: 40, height: 30)
        canvas.drawText("H", at: Point(2, 3), size: 14, color: .black)
        // "H" is 5 x 7 cells of 2 x 2 pixels: the left stem fills columns 2 and 3, rows 3 to 16.
        for y in 3..<17 {
            #expect(canvas[2, y] == .black && canvas[3, y] == .black)
            #expect(canvas[4, y] == (y == 9 || y == 10 ? .black : .white))  // the bar in cell row 3
        }
        #expect(canvas.paintedPixels().allSatisfy { canvas[$0.x, $0.y] == .black })
        #expect(canvas.textWidth("H", size: 14) == 10)
        #expect(canvas.textWidth("HH", size: 14) == 22)  // 5 + 1 + 5 cells
        #expect(canvas.textWidth("", size: 14) == 0)
    }

    @Test("anchors place the text box around the position", arguments: TextAnchor.allCases)
    func anchors(anchor: TextAnchor) {
        var canvas = Canvas(width: 200, height: 100)
        let text = "TEST"  // capitals only: the ink fills the box exactly
        let size = 14.0
        canvas.drawText(text, at: Point(100, 50), size: size, color: .black, anchor: anchor)
        let painted = canvas.paintedPixels()
        let minX = painted.map(\.x).min() ?? 0
        let maxX = (painted.map(\.x).max() ?? 0) + 1
        let minY = painted.map(\.y).min() ?? 0
        let maxY = (painted.map(\.y).max() ?? 0) + 1
        let width = canvas.textWidth(text, size: size)
        #expect(Double(maxX - minX) == width)
        #expect(Double(maxY - minY) == size)
        let expectedLeft = 100 - anchor.horizontalFraction * width
        let expectedTop = 50 - anchor.verticalFraction * size
        #expect(abs(Double(minX) - expectedLeft) <= 0.5)
        #expect(abs(Double(minY) - expectedTop) <= 0.5)
    }

    @Test("unknown characters draw as a question mark")
    func fallback() {
        var unknown = Canvas(width: 30, height: 20)
        var question = Canvas(width: 30, height: 20)
        unknown.drawText("€", at: Point(2, 2), size: 7, color: .black)
        question.drawText("?", at: Point(2, 2), size: 7, color: .black)
        #expect(unknown == question)
        #expect(unknown.textWidth("€", size: 7) == question.textWidth("?", size: 7))
    }
}
