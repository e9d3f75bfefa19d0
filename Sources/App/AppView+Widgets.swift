import CSDL2
import Foundation
import Lessons
import RewardScript
import Simulator

/// Widgets and rich text: section titles, chips, buttons, and text wrapped into lines.
extension AppView {
    // MARK: Pieces

    func sectionTitle(_ text: String, x: Double, y: Double) {
        screen.text(text, x: x, y: y, .label, Theme.inkOnDarkSoft)
    }

    func chip(_ text: String, x: Double, y: Double, _ fill: SDL_Color, _ color: SDL_Color) {
        let width = screen.measure(text, .small) + 20
        screen.fillRounded(Rect(x: x, y: y, width: width, height: 26), radius: 13, fill)
        screen.text(text, x: x + 10, y: y + 5, .small, color)
    }

    func button(
        _ title: String, _ rect: Rect, _ target: ClickTarget, primary: Bool, light: Bool, enabled: Bool = true
    ) {
        let isHovered = hovered == target && enabled
        let fill: SDL_Color
        let ink: SDL_Color
        if primary {
            fill = isHovered ? Theme.accentDark : Theme.accent
            ink = Theme.inkOnDark
        } else if light {
            fill = isHovered ? Theme.paperLine : Theme.codeBackground
            ink = Theme.ink
        } else {
            fill = isHovered ? Theme.inkOnDarkSoft : Theme.panelLine
            ink = Theme.inkOnDark
        }
        screen.fillRounded(rect, radius: 7, enabled ? fill : Theme.withAlpha(fill, 110))
        screen.centredText(title, in: rect, primary ? .smallBold : .small, enabled ? ink : Theme.withAlpha(ink, 120))
        if enabled { targets.append((rect, target)) }
    }

    func fitted(_ content: Rect, into box: Rect) -> Rect {
        let scale = min(box.width / content.width, box.height / content.height)
        let width = content.width * scale
        let height = content.height * scale
        return Rect(
            x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width: width, height: height)
    }

    // MARK: Rich text (laid out by TextLayout)

    func wrappedHeight(_ runs: [TextRun], width: Double, style: FontStyle) -> Double {
        Double(TextLayout.lines(runs, style: style, width: width, measure: screen.measure).count)
            * screen.lineHeight(style) * 1.15
    }

    /// Draws styled runs wrapped to `width`; returns the y below the last line.
    func wrapped(
        _ runs: [TextRun], x: Double, y: Double, width: Double, style: FontStyle, color: SDL_Color, maxLines: Int = 100
    ) -> Double {
        let space = screen.measure(" ", style)
        let lineHeight = screen.lineHeight(style) * 1.15
        var y = y
        for line in TextLayout.lines(runs, style: style, width: width, measure: screen.measure).prefix(maxLines) {
            var lineX = x
            for (index, word) in line.enumerated() {
                if index > 0 && word.spaceBefore { lineX += space }
                if word.style == .code {
                    screen.fillRounded(
                        Rect(x: lineX - 2, y: y, width: word.width + 4, height: screen.lineHeight(word.font)),
                        radius: 3,
                        color.r < 128 ? Theme.codeBackground : Theme.panelLine)
                }
                screen.text(
                    word.text, x: lineX, y: y, word.font, word.style == .strong && color.r < 128 ? Theme.ink : color)
                lineX += word.width
            }
            y += lineHeight
        }
        return y
    }
}
