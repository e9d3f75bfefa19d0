import Lessons

/// Styled text wrapped into lines, given how wide a piece of text is in a font. Pure: no SDL,
/// so the layout is tested with a made-up measure; the window measures with its fonts.
enum TextLayout {
    /// A word and how it is drawn.
    struct Word: Equatable {
        var text: String
        var font: FontStyle
        var style: TextRun.Style
        var width: Double
        /// Whether a space comes before it (a run's words join the previous run's without one).
        var spaceBefore: Bool
    }

    /// The font a run of `style` takes in text set in `base`.
    static func font(_ base: FontStyle, _ style: TextRun.Style) -> FontStyle {
        switch style {
        case .plain: base
        case .strong: base == .small || base == .label ? .smallBold : (base == .body ? .bodyBold : base)
        case .emphasis: base == .body ? .bodyItalic : base
        case .code: base == .body ? .code : base
        }
    }

    /// The runs' words (split at spaces and line breaks), each measured in its font.
    static func words(_ runs: [TextRun], style: FontStyle, measure: (String, FontStyle) -> Double) -> [Word] {
        var result: [Word] = []
        var pendingSpace = false
        for run in runs {
            let font = self.font(style, run.style)
            var current = ""
            var startsWithSpace = pendingSpace
            for character in run.text {
                if character == " " || character == "\n" {
                    if !current.isEmpty {
                        result.append(
                            Word(
                                text: current, font: font, style: run.style, width: measure(current, font),
                                spaceBefore: startsWithSpace))
                        current = ""
                    }
                    startsWithSpace = true
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty {
                result.append(
                    Word(
                        text: current, font: font, style: run.style, width: measure(current, font),
                        spaceBefore: startsWithSpace))
                startsWithSpace = false
            }
            pendingSpace = startsWithSpace
        }
        return result
    }

    /// Words filled into lines at most `width` wide (a word wider than a line gets one of its own).
    static func lines(_ words: [Word], width: Double, space: Double) -> [[Word]] {
        var lines: [[Word]] = [[]]
        var lineWidth = 0.0
        for word in words {
            let gap = lines[lines.count - 1].isEmpty ? 0 : (word.spaceBefore ? space : 0)
            if lineWidth + gap + word.width > width && !lines[lines.count - 1].isEmpty {
                lines.append([word])
                lineWidth = word.width
            } else {
                lines[lines.count - 1].append(word)
                lineWidth += gap + word.width
            }
        }
        return lines
    }

    /// The runs set in `style`, wrapped to `width`.
    static func lines(_ runs: [TextRun], style: FontStyle, width: Double, measure: (String, FontStyle) -> Double)
        -> [[Word]]
    {
        lines(words(runs, style: style, measure: measure), width: width, space: measure(" ", style))
    }
}
