extension Canvas {
    /// Draws one line of text in the built-in pixel font.
    ///
    /// The font has digits, A-Z, a-z, space and `. , : ; - _ + * / \ | ( ) [ ] % # ' " ! ? = < > °`;
    /// other characters draw as `?`. Glyphs are scaled to any size with exact pixel coverage:
    /// sizes that are multiples of 7 give crisp, whole-pixel strokes, others are smoothed.
    ///
    /// - Parameters:
    ///   - text: One line; line breaks are not interpreted.
    ///   - position: Where the `anchor` point of the text box goes, in pixels. It is rounded to
    ///     a whole pixel so that text stays crisp.
    ///   - size: Height of a capital letter, in pixels (the font's grid cell is `size / 7`).
    ///   - anchor: Which point of the text box (``textWidth(_:size:)`` wide, `size` high, from
    ///     the top of the capitals to the baseline) sits at `position`.
    public mutating func drawText(
        _ text: String, at position: Point, size: Double, color: RGBColor, anchor: TextAnchor = .topLeft,
        alpha: Double = 1
    ) {
        guard size > 0, size.isFinite, position.isFinite, !text.isEmpty else { return }
        let font = BitmapFont.standard
        let cell = size / Double(BitmapFont.capHeight)
        let boxWidth = Double(font.width(of: text)) * cell
        let left = (position.x - anchor.horizontalFraction * boxWidth).rounded()
        let top = (position.y - anchor.verticalFraction * size).rounded()
        paint(color: color, alpha: alpha) { mask in
            var x = left
            for character in text {
                let glyph = font.glyph(for: character)
                for (row, runs) in glyph.runs.enumerated() {
                    let y = top + Double(row) * cell
                    for run in runs {
                        mask.addRectangle(
                            minX: x + Double(run.start) * cell, minY: y,
                            maxX: x + Double(run.start + run.count) * cell, maxY: y + cell)
                    }
                }
                x += Double(glyph.width + 1) * cell
            }
        }
    }

    /// The width in pixels of `text` drawn at `size` (the height of a capital letter, in pixels).
    public func textWidth(_ text: String, size: Double) -> Double {
        Double(BitmapFont.standard.width(of: text)) * size / Double(BitmapFont.capHeight)
    }
}
