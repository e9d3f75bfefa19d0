import CSDL2
import Foundation
import Lessons
import RewardScript
import Simulator

/// The lesson panel: the step's text, its quiz and its task.
extension AppView {
    // MARK: Lesson panel

    func drawLesson(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.paper)
        screen.line(rect.maxX - 1, rect.y, rect.maxX - 1, rect.maxY, Theme.paperLine)
        let pad = 26.0
        let width = rect.width - 2 * pad
        var y = rect.y + 22
        let lesson = model.lesson
        screen.text(
            "LESSON \(model.lessonIndex + 1) · STEP \(model.stepIndex + 1) OF \(lesson.steps.count)", x: rect.x + pad,
            y: y, .label, Theme.accentDark)
        y += 20
        y = wrapped([TextRun(lesson.title)], x: rect.x + pad, y: y, width: width, style: .title, color: Theme.ink)
        y += 6
        // Step dots: done, skipped (gold), to do; a click goes to that step.
        for index in lesson.steps.indices {
            let done = model.progress.isCompleted(lesson: lesson.id, step: index)
            let skipped = model.progress.isSkipped(lesson: lesson.id, step: index)
            let color =
                index == model.stepIndex
                ? Theme.accent : (done ? Theme.accentDark : (skipped ? Theme.gold : Theme.paperLine))
            screen.fillRounded(
                Rect(x: rect.x + pad + Double(index) * 26, y: y, width: 20, height: 5), radius: 2.5, color)
            targets.append(
                (Rect(x: rect.x + pad + Double(index) * 26 - 3, y: y - 8, width: 26, height: 21), .goToStep(index)))
        }
        y += 22
        guard let step = model.currentStep else { return }
        y = wrapped([TextRun(step.title)], x: rect.x + pad, y: y, width: width, style: .heading, color: Theme.ink)
        y += 8
        for block in step.blocks {
            y = drawBlock(block, x: rect.x + pad, y: y, width: width) + 10
        }
        if let quiz = step.quiz { y = drawQuiz(quiz, model: model, x: rect.x + pad, y: y + 4, width: width) }
        if step.task != nil { y = drawTask(model, x: rect.x + pad, y: y + 4, width: width) }

        // Back and Next at the bottom.
        let buttonY = rect.maxY - 58
        let back = Rect(x: rect.x + pad, y: buttonY, width: 90, height: 36)
        if model.lessonIndex > 0 || model.stepIndex > 0 {
            button("Back", back, .back, primary: false, light: true)
        }
        let canGo = model.isStepDone || model.progress.isCompleted(lesson: lesson.id, step: model.stepIndex)
        let next = Rect(x: rect.maxX - pad - 120, y: buttonY, width: 120, height: 36)
        button("Next  ›", next, .next, primary: canGo, light: true, enabled: canGo)
        var noticeBottom = buttonY
        if !canGo && !model.isPaced {
            // No dead end: a task the learner cannot do yet can wait (the menu shows it skipped).
            // Between Back and Next when there is room, else above Next.
            let room = next.x - 8 - (back.maxX + 8)
            let skip =
                room >= 136
                ? Rect(x: next.x - 8 - min(room, 142), y: buttonY, width: min(room, 142), height: 36)
                : Rect(x: next.maxX - 142, y: buttonY - 42, width: 142, height: 34)
            button("Skip for now (S)", skip, .skipStep, primary: false, light: true)
            noticeBottom = min(noticeBottom, skip.y)
        }
        if let notice = model.notice {
            _ = wrapped(
                [TextRun(notice)], x: rect.x + pad, y: max(y + 8, noticeBottom - 52), width: width, style: .small,
                color: Theme.inkSoft, maxLines: 3)
        }
    }

    func drawBlock(_ block: TextBlock, x: Double, y: Double, width: Double) -> Double {
        switch block {
        case .paragraph(let runs):
            return wrapped(runs, x: x, y: y, width: width, style: .body, color: Theme.ink)
        case .bulletList(let items), .numberedList(let items):
            var y = y
            let numbered = { if case .numberedList = block { return true } else { return false } }()
            for (index, item) in items.enumerated() {
                screen.text(numbered ? "\(index + 1)." : "•", x: x + 4, y: y, .body, Theme.accentDark)
                y = wrapped(item, x: x + 24, y: y, width: width - 24, style: .body, color: Theme.ink) + 4
            }
            return y
        case .code(let text):
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count > 1 && lines.last == "" { lines.removeLast() }
            let height = Double(lines.count) * screen.lineHeight(.code) + 16
            let box = Rect(x: x, y: y, width: width, height: height)
            screen.fillRounded(box, radius: 6, Theme.codeBackground)
            var lineY = y + 8
            for line in lines {
                screen.text(line, x: x + 10, y: lineY, .code, Theme.ink)
                lineY += screen.lineHeight(.code)
            }
            // A click copies the code, to paste into the reward editor.
            let copyColor = hovered == .copyCode(text) ? Theme.accentDark : Theme.inkSoft
            screen.text("Copy", x: box.maxX - 8 - screen.measure("Copy", .small), y: y + 4, .small, copyColor)
            targets.append((box, .copyCode(text)))
            return y + height
        }
    }

    func drawQuiz(_ quiz: Quiz, model: AppModel, x: Double, y: Double, width: Double) -> Double {
        var y = wrapped([TextRun(quiz.question)], x: x, y: y, width: width, style: .bodyBold, color: Theme.ink) + 6
        for (index, choice) in quiz.choices.enumerated() {
            let picked = model.quizAnswer == index
            let right = index == quiz.correctIndex
            let lines = wrappedHeight([TextRun(choice)], width: width - 40, style: .body)
            let box = Rect(x: x, y: y, width: width, height: lines + 14)
            let fill =
                picked
                ? (right ? Theme.withAlpha(Theme.accent, 60) : Theme.withAlpha(Theme.warning, 50))
                : (hovered == .quizChoice(index) ? Theme.codeBackground : Theme.paper)
            screen.fillRounded(box, radius: 6, fill)
            screen.stroke(box, Theme.paperLine)
            screen.text(
                picked ? (right ? "✓" : "✗") : "○", x: x + 10, y: y + 7, .body,
                picked && !right ? Theme.warning : Theme.accentDark)
            _ = wrapped([TextRun(choice)], x: x + 32, y: y + 7, width: width - 40, style: .body, color: Theme.ink)
            targets.append((box, .quizChoice(index)))
            y += box.height + 6
        }
        if let answer = model.quizAnswer {
            let verdict = answer == quiz.correctIndex ? "Right. " : "Not quite. "
            y =
                wrapped(
                    [TextRun(verdict, .strong), TextRun(quiz.explanation)], x: x, y: y + 2, width: width, style: .small,
                    color: Theme.inkSoft) + 6
        }
        return y
    }

    func drawTask(_ model: AppModel, x: Double, y: Double, width: Double) -> Double {
        let done = model.tracker?.isDone == true
        let description = model.taskLine.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? ""
        var runs = [TextRun(done ? "Done: " : "Your turn: ", .strong), TextRun(description + ".")]
        if !done, let count = model.tracker?.count, count.done > 0 {
            runs.append(TextRun("  \(count.done) of \(count.of) so far.", .strong))
        }
        if !done, (model.tracker?.failedTries ?? 0) > 0, let hint = model.currentStep?.task?.hint {
            runs += [TextRun("  Hint: ", .strong), TextRun(hint)]
        }
        let height = wrappedHeight(runs, width: width - 28, style: .body) + 20
        let box = Rect(x: x, y: y, width: width, height: height)
        screen.fillRounded(box, radius: 8, done ? Theme.withAlpha(Theme.accent, 40) : Theme.withAlpha(Theme.gold, 70))
        screen.fill(Rect(x: x, y: y, width: 4, height: height), done ? Theme.accent : Theme.gold)
        _ = wrapped(runs, x: x + 16, y: y + 10, width: width - 28, style: .body, color: Theme.ink)
        return y + height + 8
    }

    // MARK: Lesson menu

    /// Every lesson with how far the learner got; a click opens it at its first step not done.
    func drawLessonMenu(_ model: AppModel, _ rect: Rect) {
        let (x, top) = sheetHeader(
            "Lessons", "Open any lesson; it starts at its first step you have not done. Skipped steps wait for you.",
            in: rect)
        var y = top
        let rowHeight = min(30.0, (rect.maxY - 20 - y) / Double(max(model.library.lessons.count, 1)))
        for (index, lesson) in model.library.lessons.enumerated() {
            let row = Rect(x: x - 8, y: y, width: rect.width - 40, height: rowHeight - 2)
            let current = index == model.lessonIndex
            screen.fillRounded(
                row, radius: 6,
                current
                    ? Theme.withAlpha(Theme.accent, 40)
                    : (hovered == .openLesson(index) ? Theme.codeBackground : Theme.paper))
            let tally = model.progress.tally(lesson)
            let status: String
            if tally.done == lesson.steps.count {
                status = "done"
            } else {
                var parts = ["\(tally.done) of \(lesson.steps.count) steps"]
                if tally.skipped > 0 { parts.append("\(tally.skipped) skipped") }
                status = parts.joined(separator: ", ")
            }
            let textY = y + (rowHeight - 20) / 2
            screen.text("\(index + 1)", x: x, y: textY, .bodyBold, Theme.inkSoft)
            screen.text(lesson.title, x: x + 34, y: textY, current ? .bodyBold : .body, Theme.ink)
            screen.text(
                status, x: row.maxX - 12 - screen.measure(status, .small), y: textY + 2, .small,
                tally.skipped > 0 ? Theme.accentDark : Theme.inkSoft)
            targets.append((row, .openLesson(index)))
            y += rowHeight
        }
    }
}
