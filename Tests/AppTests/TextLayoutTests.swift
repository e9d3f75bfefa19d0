import Lessons
import Testing

@testable import App

/// The lesson panel's wrapping, measured with a made-up font: 10 px a character, 12 px in bold.
@Suite struct TextLayoutTests {
    static func measure(_ text: String, _ font: FontStyle) -> Double {
        Double(text.count) * (font == .bodyBold ? 12 : 10)
    }

    static func lineTexts(_ runs: [TextRun], width: Double) -> [String] {
        TextLayout.lines(runs, style: .body, width: width, measure: measure).map { line in
            line.map(\.text).joined(separator: " ")
        }
    }

    @Test func wordsFillLinesUpToTheWidth() {
        // "press" 50 + space 10 + "train" 50 = 110: fits 110, not 100.
        #expect(Self.lineTexts([TextRun("press train now")], width: 110) == ["press train", "now"])
        #expect(Self.lineTexts([TextRun("press train now")], width: 100) == ["press", "train now"])
        // A word wider than the line has a line of its own.
        #expect(Self.lineTexts([TextRun("a reinforcement b")], width: 60) == ["a", "reinforcement", "b"])
        // Line breaks in the text are spaces here; the lesson's paragraphs are blocks.
        #expect(Self.lineTexts([TextRun("one\ntwo")], width: 200) == ["one two"])
    }

    @Test func stylesChangeTheFontAndRunsJoinWithoutASpace() {
        let words = TextLayout.words(
            [TextRun("the "), TextRun("reward", .strong), TextRun("'s sign")], style: .body, measure: Self.measure)
        #expect(words.map(\.text) == ["the", "reward", "'s", "sign"])
        #expect(words.map(\.font) == [.body, .bodyBold, .body, .body])
        #expect(words.map(\.width) == [30, 72, 20, 40])
        // "'s" follows "reward" with no space; "reward" follows "the " with one.
        #expect(words.map(\.spaceBefore) == [false, true, false, true])
        #expect(TextLayout.font(.label, .strong) == .smallBold)
        #expect(TextLayout.font(.body, .code) == .code)
    }
}
