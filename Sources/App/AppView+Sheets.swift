import CSDL2
import Foundation
import Lessons
import RewardScript
import Simulator

/// The sheets over the simulator: the garage, the new-model form, the reward editor.
extension AppView {
    // MARK: Sheets

    /// A sheet's title and the line under it: the left edge for its content and the y below.
    func sheetHeader(_ title: String, _ subtitle: String, in rect: Rect) -> (x: Double, y: Double) {
        let x = rect.x + 28
        screen.text(title, x: x, y: rect.y + 22, .title, Theme.ink)
        screen.text(subtitle, x: x, y: rect.y + 62, .body, Theme.inkSoft)
        return (x, rect.y + 96)
    }

    func drawGarage(_ model: AppModel, _ rect: Rect) {
        let (x, top) = sheetHeader(
            "Your models",
            "You train and evaluate \(model.modelName). Click a model to use it; tick two to four to compare them.",
            in: rect)
        var y = top
        let columns: [(String, Double)] = [
            ("MODEL", 30), ("TRACK", 210), ("ALGORITHM", 345), ("ACTIONS", 445), ("ITERATIONS", 550),
            ("BEST EVALUATION", 650),
        ]
        for (title, offset) in columns { screen.text(title, x: x + offset, y: y, .label, Theme.inkSoft) }
        y += 20
        if model.garage.isEmpty {
            screen.text("No models yet: press Train, or make one below.", x: x, y: y + 8, .body, Theme.inkSoft)
            y += 40
        }
        for entry in model.garage.prefix(12) {
            let row = Rect(x: x - 8, y: y, width: rect.width - 40, height: 30)
            let current = entry.name == model.modelName
            screen.fillRounded(
                row, radius: 6,
                current
                    ? Theme.withAlpha(Theme.accent, 40)
                    : (hovered == .useModel(entry.name) ? Theme.codeBackground : Theme.paper))
            let values = [
                entry.name, entry.track, entry.algorithm, entry.actions, "\(entry.iterations)",
                entry.bestCompletion.map { String(format: "%.0f%%", $0) } ?? "—",
            ]
            for ((_, offset), value) in zip(columns, values) {
                screen.text(value, x: x + offset, y: y + 6, offset == columns[0].1 ? .bodyBold : .body, Theme.ink)
            }
            targets.append((row, .useModel(entry.name)))
            // The tick box: its own target, over the row's.
            let box = Rect(x: x, y: y + 7, width: 16, height: 16)
            let order = model.compareSelection.firstIndex(of: entry.name)
            if let order {
                screen.fillRounded(box, radius: 3, Theme.racers[order])
                screen.centredText("\(order + 1)", in: box, .label, Theme.chrome)
            } else {
                screen.fillRounded(box, radius: 3, Theme.inkSoft)
                screen.fillRounded(box.inset(2), radius: 2, Theme.paper)
            }
            targets.append((Rect(x: x - 8, y: y, width: 32, height: 30), .toggleCompare(entry.name)))
            y += 34
        }
        button(
            "New model…", Rect(x: x, y: rect.maxY - 58, width: 140, height: 38), .newModel, primary: true, light: true)
        let count = model.compareSelection.count
        button(
            count >= 2 ? "Compare \(count) models" : "Compare…",
            Rect(x: x + 156, y: rect.maxY - 58, width: 170, height: 38),
            .openComparison, primary: count >= 2, light: true)
    }

    func drawForm(_ model: AppModel, _ rect: Rect) {
        let x = rect.x + 28
        var y = rect.y + 22
        screen.text("A new model", x: x, y: y, .title, Theme.ink)
        y += 40
        screen.text("Name", x: x, y: y + 8, .bodyBold, Theme.ink)
        let nameBox = Rect(x: x + 250, y: y, width: 260, height: 34)
        screen.fillRounded(nameBox, radius: 6, Theme.codeBackground)
        let nameWidth = screen.text(model.form.name, x: nameBox.x + 10, y: nameBox.y + 8, .code, Theme.ink)
        screen.fill(Rect(x: nameBox.x + 11 + nameWidth, y: nameBox.y + 7, width: 2, height: 20), Theme.accent)
        screen.text("letters, digits, - and _", x: nameBox.maxX + 12, y: y + 9, .small, Theme.inkSoft)
        y += 44
        let fields = model.form.fields
        let columnWidth = (rect.width - 56) / 2
        let rowsPerColumn = (fields.count + 1) / 2
        for (index, field) in fields.enumerated() {
            let column = Double(index / rowsPerColumn)
            let rowY = y + Double(index % rowsPerColumn) * 40
            let left = x + column * columnWidth
            let box = Rect(x: left + columnWidth - 196, y: rowY, width: 184, height: 32)
            let label = ModelForm.label(field)
            let labelStyle: FontStyle = screen.measure(label, .body) < box.x - left - 8 ? .body : .small
            if let key = ModelForm.deepRacerKey(field) {
                screen.text(label, x: left, y: rowY - 1, labelStyle, Theme.ink)
                screen.text(key, x: left, y: rowY + 17, .label, Theme.inkSoft)
            } else {
                screen.text(label, x: left, y: rowY + 7, labelStyle, Theme.ink)
            }
            screen.fillRounded(box, radius: 6, Theme.codeBackground)
            let value = model.form.value(field)
            let valueFits = screen.measure(value, .bodyBold) < box.width - 64
            screen.centredText(value, in: box, valueFits ? .bodyBold : .small, Theme.ink)
            button(
                "‹", Rect(x: box.x, y: box.y, width: 30, height: 32), .formStep(field, -1), primary: false, light: true)
            button(
                "›", Rect(x: box.maxX - 30, y: box.y, width: 30, height: 32), .formStep(field, 1), primary: false,
                light: true)
        }
        y += Double(rowsPerColumn) * 40 + 8
        var summary = ""
        do {
            let settings = try model.form.settings()
            summary =
                "\(settings.actionSpace.isContinuous ? "Continuous steering and speed" : "\(settings.actionSpace.outputCount) actions"), DeepRacer would accept these settings. Seed \(settings.seed): this model's own random start."
        } catch {
            summary = "\(error)"
        }
        _ = wrapped([TextRun(summary)], x: x, y: y, width: rect.width - 56, style: .small, color: Theme.inkSoft)
        button(
            "Create and train", Rect(x: x, y: rect.maxY - 58, width: 170, height: 38), .createModel, primary: true,
            light: true)
    }

    func drawEditor(_ model: AppModel, _ rect: Rect) {
        let x = rect.x + 24
        var y = rect.y + 20
        screen.text("Your reward function", x: x, y: y, .title, Theme.ink)
        y += 34
        screen.text(
            model.home.rewardFile.path + (model.editor.isModified ? "  (not saved)" : ""), x: x, y: y, .small,
            Theme.inkSoft)
        y += 24
        let bottom = rect.maxY - 70 - (model.editorError == nil ? 0 : 48)
        let code = Rect(x: x, y: y, width: rect.width - 48, height: bottom - y)
        drawCode(model.editor, errorLine: model.editorError?.line, in: code)
        if let error = model.editorError {
            let box = Rect(x: x, y: bottom + 6, width: rect.width - 48, height: 40)
            screen.fillRounded(box, radius: 6, Theme.withAlpha(Theme.warning, 40))
            let place = error.line.map { "Line \($0): " } ?? ""
            _ = wrapped(
                [TextRun(place, .strong), TextRun(error.message)], x: box.x + 10, y: box.y + 4, width: box.width - 20,
                style: .small, color: Theme.ink, maxLines: 2)
        }
        button(
            "Save (Ctrl+S)", Rect(x: x, y: rect.maxY - 56, width: 140, height: 36), .saveReward,
            primary: model.editor.isModified, light: true)
        screen.text(
            "Shift+arrows or drag: select · Ctrl+A all · Ctrl+C, X, V: copy, cut, paste · Ctrl+Z: undo, Ctrl+Y: redo",
            x: x + 156, y: rect.maxY - 54, .small, Theme.inkSoft)
        screen.text(
            "Paddock also reloads this file when you save it in another editor.", x: x + 156, y: rect.maxY - 34, .small,
            Theme.inkSoft)
    }

    /// The code with line numbers, the selection, the cursor and the error's line; keeps where
    /// it drew so a click finds its line and column.
    private func drawCode(_ editor: TextEditorState, errorLine: Int?, in code: Rect) {
        screen.fillRounded(code, radius: 8, Theme.chrome)
        let lineHeight = screen.lineHeight(.code) + 2
        let gutter = 44.0
        // The code font is monospaced; a long run gives the advance without rounding.
        let charWidth = max(1, screen.measure(String(repeating: "M", count: 64), .code) / 64)
        let visibleLines = max(1, Int((code.height - 16) / lineHeight))
        let visibleColumns = max(1, Int((code.width - gutter - 16) / charWidth))
        let first = min(editor.firstVisibleLine, max(0, editor.lines.count - 1))
        let firstColumn = editor.firstVisibleColumn
        editorGeometry = EditorGeometry(
            origin: (code.x + gutter, code.y + 8), lineHeight: lineHeight, charWidth: charWidth, firstLine: first,
            firstColumn: firstColumn, visibleLines: visibleLines, visibleColumns: visibleColumns)
        targets.append((code, .editorText))
        let selection = editor.selection
        screen.clip(code)
        for index in first..<min(editor.lines.count, first + visibleLines) {
            let lineY = code.y + 8 + Double(index - first) * lineHeight
            let textX = code.x + gutter
            if errorLine == index + 1 {
                screen.fill(
                    Rect(x: code.x, y: lineY - 1, width: code.width, height: lineHeight),
                    Theme.withAlpha(Theme.warning, 90))
            }
            let text = editor.lines[index]
            if let (start, end) = selection, index >= start.line, index <= end.line {
                let from = index == start.line ? start.column : 0
                // A selected line break shows as one selected space past the line's end.
                let to = index == end.line ? end.column : text.count + 1
                let left = max(Double(from - firstColumn), 0)
                let right = max(Double(to - firstColumn), 0)
                if right > left {
                    screen.fill(
                        Rect(
                            x: textX + left * charWidth, y: lineY - 1, width: (right - left) * charWidth,
                            height: lineHeight),
                        Theme.withAlpha(Theme.accent, 120))
                }
            }
            screen.text(String(format: "%3d", index + 1), x: code.x + 6, y: lineY, .code, Theme.inkOnDarkSoft)
            screen.clip(Rect(x: textX, y: code.y, width: code.maxX - textX, height: code.height))
            screen.text(String(text.dropFirst(firstColumn)), x: textX, y: lineY, .code, Theme.inkOnDark)
            if index == editor.line && editor.column >= firstColumn {
                screen.fill(
                    Rect(
                        x: textX + Double(editor.column - firstColumn) * charWidth, y: lineY, width: 2,
                        height: lineHeight - 2),
                    Theme.gold)
            }
            screen.clip(code)
        }
        // Where the view is in a text longer than it: a bar on the right edge.
        if editor.lines.count > visibleLines {
            let track = code.height - 16
            let barHeight = max(24, track * Double(visibleLines) / Double(editor.lines.count))
            let barY =
                code.y + 8 + (track - barHeight) * Double(first) / Double(max(1, editor.lines.count - visibleLines))
            screen.fillRounded(
                Rect(x: code.maxX - 8, y: barY, width: 4, height: barHeight), radius: 2, Theme.inkOnDarkSoft)
        }
        screen.unclip()
    }

    /// The line and column under a point of the code, from the last frame drawn.
    func editorPosition(x: Double, y: Double) -> TextPosition? {
        guard let geometry = editorGeometry else { return nil }
        let line = geometry.firstLine + Int(((y - geometry.origin.y) / geometry.lineHeight).rounded(.down))
        let column = geometry.firstColumn + Int(((x - geometry.origin.x) / geometry.charWidth).rounded())
        return TextPosition(line: max(0, line), column: max(0, column))
    }
}
