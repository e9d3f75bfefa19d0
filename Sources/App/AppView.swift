import CSDL2
import Foundation
import Lessons
import RewardScript
import Simulator

/// Something on screen that responds to a click.
enum ClickTarget: Equatable {
    case next, back, quizChoice(Int), train, evaluate, clone, speed(Int), pause, restart, removeAction(Int),
        resetActions
    case toggleRewardMap, toggleWaypoints, toggleCameraView
    case openGarage, newModel, useModel(String), formStep(ModelForm.Field, Int), createModel, closeSheet
    case openRewardEditor, saveReward, editorPlace(line: Int, column: Int)
    case newActionSteering(Int), newActionSpeed(Int), addAction, export
    case openWorkshop, workshopField(Int), joinWorkshop, submitToWorkshop
    case hostWorkshop, stopHosting, moveRoom(Int), bringRoomHere, toggleSelfPaced, raceTrack(Int), raceLaps(Int),
        startRace, openProjector, selectStudent(Int64?), cancelSubmission(Int64)
}

/// Draws the app from an `AppModel`, and finds what a click hit. Layout (1280x800 default):
/// the lesson on the left, the simulator in the middle, camera, readout and graph on the
/// right, controls along the bottom.
@MainActor
final class AppView {
    let screen: Screen
    var targets: [(Rect, ClickTarget)] = []
    private var cameraTexture: OpaquePointer?
    private var rewardMapTexture: OpaquePointer?
    private var rewardMapKey: String?
    /// Where the reward map's texture lies on the track: its lower-left cell centre and size in cells.
    private var rewardMapGrid: (origin: Vector2, columns: Int, rows: Int)?
    var hovered: ClickTarget?
    private var mouseX = 0.0
    /// Lines the editor showed in the last frame (the model scrolls by it).
    private(set) var editorVisibleLines = 20

    init(screen: Screen) {
        self.screen = screen
    }

    func tearDown() {
        if let cameraTexture { SDL_DestroyTexture(cameraTexture) }
        if let rewardMapTexture { SDL_DestroyTexture(rewardMapTexture) }
    }

    func target(atX x: Double, y: Double) -> ClickTarget? {
        targets.last { $0.0.contains(x, y) }?.1
    }

    func hover(x: Double, y: Double) {
        hovered = target(atX: x, y: y)
        mouseX = x
    }

    // MARK: Layout

    struct Layout {
        var top: Rect
        var lesson: Rect
        var track: Rect
        var side: Rect
        var controls: Rect
    }

    func layout() -> Layout {
        let w = Double(screen.width)
        let h = Double(screen.height)
        let topHeight = 44.0
        let controlsHeight = 56.0
        let lessonWidth = max(340, min(460, w * 0.32))
        let sideWidth = max(300, min(360, w * 0.27))
        let middleHeight = h - topHeight - controlsHeight
        return Layout(
            top: Rect(x: 0, y: 0, width: w, height: topHeight),
            lesson: Rect(x: 0, y: topHeight, width: lessonWidth, height: h - topHeight),
            track: Rect(x: lessonWidth, y: topHeight, width: w - lessonWidth - sideWidth, height: middleHeight),
            side: Rect(x: w - sideWidth, y: topHeight, width: sideWidth, height: middleHeight),
            controls: Rect(x: lessonWidth, y: h - controlsHeight, width: w - lessonWidth, height: controlsHeight))
    }

    // MARK: Frame

    func draw(_ model: AppModel) {
        targets = []
        if let projector = model.instructor.projector {
            drawProjector(model, projector)
            return
        }
        screen.clear(Theme.chrome)
        let layout = layout()
        drawTopBar(model, layout.top)
        drawTrack(model, layout.track)
        drawSide(model, layout.side)
        drawControls(model, layout.controls)
        drawLesson(model, layout.lesson)
        if let sheet = model.sheet {
            let area = Rect(
                x: layout.track.x, y: layout.track.y, width: layout.track.width + layout.side.width,
                height: layout.track.height)
            screen.fill(area, Theme.withAlpha(Theme.chrome, 200))
            let panel = area.inset(24)
            screen.fillRounded(panel, radius: 12, Theme.paper)
            switch sheet {
            case .garage: drawGarage(model, panel)
            case .newModel: drawForm(model, panel)
            case .rewardEditor: drawEditor(model, panel)
            case .workshop: drawWorkshop(model, panel)
            case .instructor: drawInstructor(model, panel)
            }
            button(
                "Close (Esc)", Rect(x: panel.maxX - 124, y: panel.y + 16, width: 108, height: 32), .closeSheet,
                primary: false, light: true)
        }
    }

    // MARK: Sheets

    private func drawGarage(_ model: AppModel, _ rect: Rect) {
        let x = rect.x + 28
        var y = rect.y + 22
        screen.text("Your models", x: x, y: y, .title, Theme.ink)
        y += 40
        screen.text(
            "The model you train and evaluate is \(model.modelName). Pick another, or make a new one.", x: x, y: y,
            .body, Theme.inkSoft)
        y += 34
        let columns: [(String, Double)] = [
            ("MODEL", 0), ("TRACK", 200), ("ALGORITHM", 340), ("ACTIONS", 440), ("ITERATIONS", 550),
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
                screen.text(value, x: x + offset, y: y + 6, offset == 0 ? .bodyBold : .body, Theme.ink)
            }
            targets.append((row, .useModel(entry.name)))
            y += 34
        }
        button(
            "New model…", Rect(x: x, y: rect.maxY - 58, width: 140, height: 38), .newModel, primary: true, light: true)
    }

    private func drawForm(_ model: AppModel, _ rect: Rect) {
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
                "\(settings.actionSpace.isContinuous ? "Continuous steering and speed" : "\(settings.actionSpace.outputCount) actions"), DeepRacer would accept these settings."
        } catch {
            summary = "\(error)"
        }
        _ = wrapped([TextRun(summary)], x: x, y: y, width: rect.width - 56, style: .small, color: Theme.inkSoft)
        button(
            "Create and train", Rect(x: x, y: rect.maxY - 58, width: 170, height: 38), .createModel, primary: true,
            light: true)
    }

    private func drawEditor(_ model: AppModel, _ rect: Rect) {
        let x = rect.x + 24
        var y = rect.y + 20
        screen.text("Your reward function", x: x, y: y, .title, Theme.ink)
        y += 34
        screen.text(
            model.home.rewardFile.path + (model.editor.isModified ? "  (not saved)" : ""), x: x, y: y, .small,
            Theme.inkSoft)
        y += 24
        let bottom = rect.maxY - 70 - (model.editorError == nil ? 0 : 40)
        let code = Rect(x: x, y: y, width: rect.width - 48, height: bottom - y)
        screen.fillRounded(code, radius: 8, Theme.chrome)
        let lineHeight = screen.lineHeight(.code) + 2
        let visible = max(1, Int((code.height - 16) / lineHeight))
        editorVisibleLines = visible
        let editor = model.editor
        let first = min(editor.firstVisibleLine, max(0, editor.lines.count - 1))
        let gutter = 44.0
        let charWidth = screen.measure("M", .code)
        screen.clip(code)
        defer { screen.unclip() }
        for index in first..<min(editor.lines.count, first + visible) {
            let lineY = code.y + 8 + Double(index - first) * lineHeight
            if model.editorError?.line == index + 1 {
                screen.fill(
                    Rect(x: code.x, y: lineY - 1, width: code.width, height: lineHeight),
                    Theme.withAlpha(Theme.warning, 90))
            }
            screen.text(String(format: "%3d", index + 1), x: code.x + 6, y: lineY, .code, Theme.inkOnDarkSoft)
            screen.text(editor.lines[index], x: code.x + gutter, y: lineY, .code, Theme.inkOnDark)
            let lineRect = Rect(x: code.x, y: lineY, width: code.width, height: lineHeight)
            let column = max(0, Int(((Double(mouseX) - code.x - gutter) / charWidth).rounded()))
            targets.append((lineRect, .editorPlace(line: index, column: column)))
            if index == editor.line {
                let prefix = String(editor.lines[index].prefix(editor.column))
                screen.fill(
                    Rect(
                        x: code.x + gutter + screen.measure(prefix, .code), y: lineY, width: 2, height: lineHeight - 2),
                    Theme.gold)
            }
        }
        if let error = model.editorError {
            let place = error.line.map { "Line \($0): " } ?? ""
            _ = wrapped(
                [TextRun(place, .strong), TextRun(error.message)], x: x, y: bottom + 8, width: rect.width - 48,
                style: .small, color: Theme.warning, maxLines: 2)
        }
        button(
            "Save (Ctrl+S)", Rect(x: x, y: rect.maxY - 56, width: 140, height: 36), .saveReward,
            primary: model.editor.isModified, light: true)
        screen.text(
            "Paddock also reloads this file when you save it in another editor.", x: x + 156, y: rect.maxY - 46, .small,
            Theme.inkSoft)
    }

    // MARK: Top bar

    private func drawTopBar(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.chrome)
        var x = rect.x + 18
        x += screen.text("Paddock", x: x, y: rect.y + 11, .heading, Theme.inkOnDark) + 14
        let count = model.library.lessons.count
        screen.text(
            "Lesson \(model.lessonIndex + 1) of \(count) · \(model.lesson.title)", x: x, y: rect.y + 15, .small,
            Theme.inkOnDarkSoft)
        // Progress: one dot per lesson, filled when finished.
        let dots = Double(count)
        var dotX = rect.maxX - 18 - dots * 14
        for (index, lesson) in model.library.lessons.enumerated() {
            let finished = model.progress.isFinished(lesson)
            let color = index == model.lessonIndex ? Theme.gold : (finished ? Theme.accent : Theme.panelLine)
            screen.fillCircle(x: dotX + 5, y: rect.y + 22, radius: index == model.lessonIndex ? 5 : 4, color)
            dotX += 14
        }
        screen.line(rect.x, rect.maxY - 1, rect.maxX, rect.maxY - 1, Theme.panelLine)
    }

    // MARK: Lesson panel

    private func drawLesson(_ model: AppModel, _ rect: Rect) {
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
        // Step dots.
        for index in lesson.steps.indices {
            let done = model.progress.isCompleted(lesson: lesson.id, step: index)
            let color = index == model.stepIndex ? Theme.accent : (done ? Theme.accentDark : Theme.paperLine)
            screen.fillRounded(
                Rect(x: rect.x + pad + Double(index) * 26, y: y, width: 20, height: 5), radius: 2.5, color)
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
        if let notice = model.notice {
            _ = wrapped(
                [TextRun(notice)], x: rect.x + pad, y: max(y + 8, buttonY - 52), width: width, style: .small,
                color: Theme.inkSoft, maxLines: 3)
        }
    }

    private func drawBlock(_ block: TextBlock, x: Double, y: Double, width: Double) -> Double {
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
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let height = Double(lines.count) * screen.lineHeight(.code) + 16
            screen.fillRounded(Rect(x: x, y: y, width: width, height: height), radius: 6, Theme.codeBackground)
            var lineY = y + 8
            for line in lines {
                screen.text(line, x: x + 10, y: lineY, .code, Theme.ink)
                lineY += screen.lineHeight(.code)
            }
            return y + height
        }
    }

    private func drawQuiz(_ quiz: Quiz, model: AppModel, x: Double, y: Double, width: Double) -> Double {
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

    private func drawTask(_ model: AppModel, x: Double, y: Double, width: Double) -> Double {
        let done = model.tracker?.isDone == true
        let description = model.taskLine.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? ""
        var runs = [TextRun(done ? "Done: " : "Your turn: ", .strong), TextRun(description + ".")]
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

    // MARK: Track panel

    private func drawTrack(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.grass)
        let driving = model.driving
        let track = driving.track
        if model.cameraOnly {
            screen.fill(rect, Theme.panel)
            drawCameraImage(model, in: fitted(Rect(x: 0, y: 0, width: 160, height: 120), into: rect.inset(30)))
            screen.text("Camera only (V shows the track)", x: rect.x + 16, y: rect.y + 12, .small, Theme.inkOnDarkSoft)
            return
        }
        let frame = TrackFrame(track: track, rect: rect, margin: 28)
        let map = frame.map
        let scale = frame.scale
        let centre = drawRoad(track, frame) {
            if model.overlays.contains(.rewardMap) { drawRewardMap(model, map: map, scale: scale) }
        }
        if model.overlays.contains(.waypoints) {
            for (index, point) in centre.enumerated() {
                screen.fillCircle(x: point.0, y: point.1, radius: 3, Theme.gold)
                if index % 5 == 0 {
                    screen.text("\(index)", x: point.0 + 5, y: point.1 - 14, .label, Theme.inkOnDark)
                }
            }
        }
        // Objects.
        for object in driving.simulation.objects {
            screen.fillConvex(object.corners.map(map), Theme.box)
        }
        if model.overlays.contains(.trail) || model.overlays.isEmpty {
            screen.polyline(driving.trail.map(map), width: 2, Theme.withAlpha(Theme.trail, 200))
        }
        let car = driving.simulation.car
        if model.overlays.contains(.cameraFrustum) {
            let eye = car.worldPoint(Vector2(0.14, 0))
            let left = car.worldPoint(Vector2(0.14 + 1.4, 0.9))
            let right = car.worldPoint(Vector2(0.14 + 1.4, -0.9))
            screen.fillConvex([map(eye), map(left), map(right)], Theme.withAlpha(Theme.trail, 50))
        }
        screen.fillConvex(car.corners.map(map), Theme.car)
        let nose = map(car.worldPoint(Vector2(0.16, 0)))
        screen.fillCircle(x: nose.0, y: nose.1, radius: max(2, 0.03 * scale), Theme.chrome)

        // Status chip: driver, progress, episode end.
        var status = "\(Self.driverName(driving.driver)) · \(track.id)"
        if let result = driving.lastResult {
            status += String(
                format: " · progress %.0f%% · %.1f s", max(result.params.progress, 0), driving.simulation.episodeTime)
        }
        chip(status, x: rect.x + 14, y: rect.y + 12, Theme.withAlpha(Theme.chrome, 210), Theme.inkOnDark)
        if let ended = driving.endedEpisode {
            let text = Self.endText(ended)
            let width = screen.measure(text, .heading) + 40
            let box = Rect(
                x: rect.x + (rect.width - width) / 2, y: rect.y + rect.height / 2 - 24, width: width, height: 48)
            screen.fillRounded(
                box, radius: 10, Theme.withAlpha(ended == .lapComplete ? Theme.accentDark : Theme.warning, 235))
            screen.centredText(text, in: box, .heading, Theme.inkOnDark)
        }
        if case .keyboard = driving.driver, driving.lastResult == nil {
            chip(
                "Up to drive, Left/Right to steer, R to restart", x: rect.x + 14, y: rect.maxY - 40,
                Theme.withAlpha(Theme.chrome, 210), Theme.inkOnDarkSoft)
        }
        if model.isPaused {
            chip("Paused (P)", x: rect.maxX - 110, y: rect.y + 12, Theme.withAlpha(Theme.gold, 230), Theme.ink)
        }
    }

    /// Where a track lies in a rectangle: metres to pixels, north up, centred.
    struct TrackFrame {
        let minimum: Vector2
        let maximum: Vector2
        let scale: Double
        let offsetX: Double
        let offsetY: Double

        init(track: Track, rect: Rect, margin: Double) {
            let bounds = track.bounds
            minimum = bounds.minimum
            maximum = bounds.maximum
            scale = min(
                (rect.width - 2 * margin) / (maximum.x - minimum.x),
                (rect.height - 2 * margin) / (maximum.y - minimum.y))
            offsetX = rect.x + (rect.width - (maximum.x - minimum.x) * scale) / 2
            offsetY = rect.y + (rect.height - (maximum.y - minimum.y) * scale) / 2
        }

        func map(_ p: Vector2) -> (Double, Double) {
            (offsetX + (p.x - minimum.x) * scale, offsetY + (maximum.y - p.y) * scale)
        }
    }

    /// The road between its borders and the dashed centre line; `under` draws between the road
    /// and its borders (the reward map). Returns the centre line's points on screen.
    @discardableResult
    func drawRoad(_ track: Track, _ frame: TrackFrame, under: () -> Void = {}) -> [(Double, Double)] {
        let scale = frame.scale
        let inner = track.innerBorder.map(frame.map)
        let outer = track.outerBorder.map(frame.map)
        if inner.count == outer.count && inner.count > 1 {
            var strip: [(Double, Double)] = []
            for i in 0..<(inner.count - 1) {
                strip += [inner[i], outer[i], inner[i + 1], inner[i + 1], outer[i], outer[i + 1]]
            }
            screen.triangles(strip, Theme.road)
        }
        under()
        screen.polyline(inner, width: max(2, 0.05 * scale), Theme.border)
        screen.polyline(outer, width: max(2, 0.05 * scale), Theme.border)
        let centre = track.waypoints.map(frame.map)
        var dashes: [(Double, Double)] = []
        for i in stride(from: 0, to: centre.count - 1, by: 2) { dashes += [centre[i], centre[i + 1]] }
        for k in stride(from: 0, to: dashes.count - 1, by: 2) {
            screen.polyline(
                [dashes[k], dashes[k + 1]], width: max(1.5, 0.03 * scale), Theme.withAlpha(Theme.centreLine, 200))
        }
        if let first = track.innerBorder.first, let second = track.outerBorder.first {
            screen.polyline([frame.map(first), frame.map(second)], width: 3, Theme.withAlpha(Theme.border, 220))
        }
        return centre
    }

    private func drawRewardMap(
        _ model: AppModel, map: (Vector2) -> (Double, Double), scale: Double
    ) {
        // The map is computed off the frame (AppModel.rewardMap); here it only becomes a texture,
        // once per map.
        guard let (key, computed) = model.rewardMap, key == model.rewardMapKey else { return }
        if rewardMapKey != key {
            if let rewardMapTexture { SDL_DestroyTexture(rewardMapTexture) }
            rewardMapTexture = nil
            rewardMapKey = key
            if let range = computed.range {
                var rgba = [UInt8](repeating: 0, count: computed.columns * computed.rows * 4)
                let span = max(range.upperBound - range.lowerBound, 1e-9)
                for row in 0..<computed.rows {
                    for column in 0..<computed.columns {
                        guard let value = computed.values[row * computed.columns + column] else { continue }
                        let t = (value - range.lowerBound) / span
                        let (r, g, b) = Self.heat(t)
                        // Texture rows run top-down; map rows run up the y axis.
                        let index = ((computed.rows - 1 - row) * computed.columns + column) * 4
                        rgba[index] = r
                        rgba[index + 1] = g
                        rgba[index + 2] = b
                        rgba[index + 3] = 200
                    }
                }
                rewardMapTexture = screen.makeRGBATexture(width: computed.columns, height: computed.rows, rgba: rgba)
                rewardMapGrid = (computed.origin, computed.columns, computed.rows)
            }
        }
        guard let rewardMapTexture, let grid = rewardMapGrid else { return }
        let resolution = 0.05
        let topLeft = map(
            Vector2(grid.origin.x - resolution / 2, grid.origin.y + (Double(grid.rows) - 0.5) * resolution))
        screen.draw(
            texture: rewardMapTexture,
            in: Rect(
                x: topLeft.0, y: topLeft.1, width: Double(grid.columns) * resolution * scale,
                height: Double(grid.rows) * resolution * scale))
    }

    /// Dark blue (low) through teal to yellow (high).
    static func heat(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let stops: [(Double, Double, Double)] = [(38, 70, 120), (42, 157, 143), (233, 196, 106), (250, 240, 180)]
        let x = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Double(i)
        let a = stops[i]
        let b = stops[i + 1]
        return (UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }

    static func driverName(_ driver: SceneDriver) -> String {
        switch driver {
        case .keyboard: "You drive"
        case .untrained: "Untrained car"
        case .centreLine: "Scripted driver"
        case .model(let model): "Model \(model.folder.name)"
        }
    }

    static func endText(_ status: EpisodeStatus) -> String {
        switch status {
        case .lapComplete: "Lap complete!"
        case .offTrack: "Off track: episode over"
        case .reversed: "Wrong way: episode over"
        case .crashed: "Crashed: episode over"
        case .immobilized: "Stopped moving: episode over"
        default: "Episode over"
        }
    }

    // MARK: Side panel

    private func drawSide(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.panel)
        screen.line(rect.x, rect.y, rect.x, rect.maxY, Theme.panelLine)
        let pad = 16.0
        var y = rect.y + 14
        let inner = rect.width - 2 * pad
        // Camera.
        sectionTitle("WHAT THE CAR SEES · 160×120", x: rect.x + pad, y: y)
        y += 20
        let cameraHeight = inner * 120 / 160
        let cameraRect = Rect(x: rect.x + pad, y: y, width: inner, height: cameraHeight)
        if model.cameraOnly {
            screen.fillRounded(cameraRect, radius: 4, Theme.chrome)
            screen.centredText("(shown large in the middle)", in: cameraRect, .small, Theme.inkOnDarkSoft)
        } else {
            drawCameraImage(model, in: cameraRect)
        }
        y += cameraHeight + 14
        if model.scene.panel == .actions {
            y = drawActions(model, x: rect.x + pad, y: y, width: inner)
        } else {
            y = drawReadout(model, x: rect.x + pad, y: y, width: inner)
        }
        drawGraph(model, Rect(x: rect.x + pad, y: y + 8, width: inner, height: max(rect.maxY - y - 22, 60)))
    }

    private func drawCameraImage(_ model: AppModel, in rect: Rect) {
        if cameraTexture == nil { cameraTexture = screen.makeGrayTexture(width: 160, height: 120) }
        guard let cameraTexture else { return }
        screen.upload(gray: model.driving.cameraFrame, width: 160, height: 120, to: cameraTexture)
        screen.draw(texture: cameraTexture, in: rect)
    }

    private func drawReadout(_ model: AppModel, x: Double, y: Double, width: Double) -> Double {
        var y = y
        sectionTitle("REWARD PARAMS · LAST STEP", x: x, y: y)
        y += 20
        let driving = model.driving
        let params = driving.lastResult?.params ?? driving.simulation.params(for: driving.simulation.car)
        let rows: [(String, String)] = [
            ("speed", String(format: "%.2f", params.speed)),
            ("steering_angle", String(format: "%.1f", params.steeringAngle)),
            ("progress", String(format: "%.1f", params.progress)),
            ("steps", "\(params.steps)"),
            ("distance_from_center", String(format: "%.3f", params.distanceFromCenter)),
            ("track_width", String(format: "%.2f", params.trackWidth)),
            ("all_wheels_on_track", params.allWheelsOnTrack ? "True" : "False"),
            ("is_offtrack", params.isOfftrack ? "True" : "False"),
            ("closest_waypoints", "[\(params.closestWaypoints.0), \(params.closestWaypoints.1)]"),
            ("heading", String(format: "%.1f", params.heading)),
        ]
        let half = width / 2
        for (index, row) in rows.enumerated() {
            let column = Double(index % 2)
            let rowY = y + Double(index / 2) * 30
            screen.text(row.0, x: x + column * half, y: rowY, .label, Theme.inkOnDarkSoft)
            screen.text(row.1, x: x + column * half, y: rowY + 12, .smallBold, Theme.inkOnDark)
        }
        y += Double((rows.count + 1) / 2) * 30 + 6
        let rewardText: String
        if driving.rewardError != nil {
            rewardText = "reward function error (Reward opens the editor)"
        } else if let reward = driving.lastReward {
            rewardText = String(format: "reward %.3f   ·   this episode %.1f", reward, driving.episodeReward)
        } else {
            rewardText = "reward: drive to see it"
        }
        let box = Rect(x: x, y: y, width: width, height: 30)
        screen.fillRounded(
            box, radius: 6,
            driving.rewardError == nil ? Theme.withAlpha(Theme.accent, 70) : Theme.withAlpha(Theme.warning, 90))
        screen.text(rewardText, x: x + 10, y: y + 7, .smallBold, Theme.inkOnDark)
        y += 36
        if let error = driving.rewardError {
            y =
                wrapped([TextRun(error)], x: x, y: y, width: width, style: .label, color: Theme.inkOnDark, maxLines: 4)
                + 4
        }
        if let name = driving.reward?.fileName {
            screen.text((name as NSString).lastPathComponent, x: x, y: y, .label, Theme.inkOnDarkSoft)
            y += 16
        }
        return y
    }

    private func drawActions(_ model: AppModel, x: Double, y: Double, width: Double) -> Double {
        var y = y
        sectionTitle("ACTION SPACE · \(model.actions.count) ACTIONS", x: x, y: y)
        y += 20
        for (index, action) in model.actions.enumerated() {
            let row = Rect(x: x, y: y, width: width, height: 22)
            if index % 2 == 0 { screen.fill(row, Theme.withAlpha(Theme.panelLine, 120)) }
            screen.text("\(index)", x: x + 6, y: y + 4, .small, Theme.inkOnDarkSoft)
            screen.text(
                String(format: "steer %+.0f°", action.steeringAngle), x: x + 34, y: y + 4, .small, Theme.inkOnDark)
            screen.text(String(format: "speed %.2f m/s", action.speed), x: x + 140, y: y + 4, .small, Theme.inkOnDark)
            let remove = Rect(x: row.maxX - 26, y: y + 1, width: 22, height: 20)
            screen.centredText(
                "×", in: remove, .bodyBold, hovered == .removeAction(index) ? Theme.warning : Theme.inkOnDarkSoft)
            targets.append((remove, .removeAction(index)))
            y += 22
        }
        y += 6
        let new = model.newAction
        func stepper(_ text: String, _ left: Double, _ down: ClickTarget, _ up: ClickTarget) {
            button("‹", Rect(x: left, y: y, width: 22, height: 26), down, primary: false, light: false)
            screen.centredText(text, in: Rect(x: left + 22, y: y, width: 70, height: 26), .small, Theme.inkOnDark)
            button("›", Rect(x: left + 92, y: y, width: 22, height: 26), up, primary: false, light: false)
        }
        stepper(String(format: "%+.0f°", new.steeringAngle), x, .newActionSteering(-1), .newActionSteering(1))
        stepper(String(format: "%.1f m/s", new.speed), x + 120, .newActionSpeed(-1), .newActionSpeed(1))
        button("Add", Rect(x: x + 240, y: y, width: width - 240, height: 26), .addAction, primary: false, light: false)
        y += 32
        button(
            "Reset to the console's 10", Rect(x: x, y: y, width: 190, height: 26), .resetActions, primary: false,
            light: false)
        return y + 32
    }

    private func drawGraph(_ model: AppModel, _ rect: Rect) {
        guard rect.height > 90 else { return }
        let snapshot = model.snapshot
        var title = "TRAINING"
        if let name = snapshot.model { title += " · \(name)" }
        if !snapshot.points.isEmpty {
            title += " · \(snapshot.points.count) ITERATION\(snapshot.points.count == 1 ? "" : "S")"
        }
        if snapshot.isTraining { title += " · TRAINING…" }
        sectionTitle(title, x: rect.x, y: rect.y)
        let plot = Rect(x: rect.x + 28, y: rect.y + 22, width: rect.width - 32, height: rect.height - 56)
        guard plot.height > 30 else { return }
        screen.fill(plot, Theme.chrome)
        for fraction in [0.0, 0.5, 1.0] {
            let lineY = plot.maxY - fraction * plot.height
            screen.line(plot.x, lineY, plot.maxX, lineY, Theme.panelLine)
            screen.text("\(Int(fraction * 100))", x: rect.x, y: lineY - 7, .label, Theme.inkOnDarkSoft)
        }
        let points = snapshot.points
        if points.isEmpty {
            let message =
                snapshot.isTraining
                ? "Iteration 1: \(snapshot.stepsThisIteration) steps so far…"
                : "Press Train (T) to start; the curves appear here."
            _ = wrapped(
                [TextRun(message)], x: plot.x + 10, y: plot.y + plot.height / 2 - 16, width: plot.width - 20,
                style: .small, color: Theme.inkOnDarkSoft)
        } else {
            let count = Double(max(points.count - 1, 1))
            let maxReward = max(points.map(\.reward).max() ?? 1, 1)
            func px(_ i: Int) -> Double { plot.x + Double(i) / count * plot.width }
            func series(_ value: (TrainingController.Point) -> Double, scale: Double) -> [(Double, Double)] {
                points.enumerated().map { (px($0.offset), plot.maxY - min(value($0.element) / scale, 1) * plot.height) }
            }
            screen.polyline(series({ $0.reward }, scale: maxReward), width: 2, Theme.inkOnDarkSoft)
            screen.polyline(series({ $0.trainingCompletion }, scale: 100), width: 2, Theme.trail)
            screen.polyline(series({ $0.evaluationCompletion }, scale: 100), width: 2.5, Theme.gold)
            if let best = points.firstIndex(where: { $0.iteration == snapshot.bestIteration }) {
                let point = (px(best), plot.maxY - min(points[best].evaluationCompletion / 100, 1) * plot.height)
                screen.fillCircle(x: point.0, y: point.1, radius: 5, Theme.gold)
                screen.text("best", x: point.0 - 12, y: point.1 - 20, .label, Theme.gold)
            }
        }
        var legendX = plot.x
        let legendY = plot.maxY + 8
        for (label, color) in [
            ("reward", Theme.inkOnDarkSoft), ("training %", Theme.trail), ("evaluation %", Theme.gold),
        ] {
            screen.fill(Rect(x: legendX, y: legendY + 5, width: 10, height: 3), color)
            legendX += 14 + screen.text(label, x: legendX + 14, y: legendY, .label, Theme.inkOnDarkSoft) + 14
        }
        if let trials = snapshot.trials.isEmpty ? nil : snapshot.trials {
            let laps = trials.map {
                $0.lapTime.map { String(format: "%.2f s", $0) } ?? String(format: "%.0f%%", $0.completion)
            }
            screen.text(
                "Evaluation: " + laps.joined(separator: " · "), x: plot.x, y: legendY + 14, .label, Theme.inkOnDark)
        }
        if let error = snapshot.error {
            _ = wrapped(
                [TextRun(error)], x: plot.x + 6, y: plot.y + 6, width: plot.width - 12, style: .label,
                color: Theme.warning, maxLines: 4)
        }
    }

    // MARK: Controls

    private func drawControls(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.chrome)
        screen.line(rect.x, rect.y, rect.maxX, rect.y, Theme.panelLine)
        let snapshot = model.snapshot
        var x = rect.x + 14
        let y = rect.y + 10
        func add(_ title: String, _ width: Double, _ target: ClickTarget, primary: Bool = false, enabled: Bool = true) {
            button(
                title, Rect(x: x, y: y, width: width, height: 36), target, primary: primary, light: false,
                enabled: enabled)
            x += width + 8
        }
        add(snapshot.isTraining ? "Stop (T)" : "Train (T)", 96, .train, primary: !snapshot.isTraining)
        add(
            snapshot.isEvaluating ? "Evaluating…" : "Evaluate (E)", 112, .evaluate,
            enabled: !snapshot.isTraining && !snapshot.isEvaluating)
        add("Clone", 64, .clone, enabled: !snapshot.isTraining && !snapshot.isEvaluating)
        add("Export", 66, .export, enabled: !snapshot.isTraining && !snapshot.isEvaluating)
        add("Models", 72, .openGarage)
        add("Reward", 72, .openRewardEditor)
        add("Workshop", 86, .openWorkshop)
        x += 8
        for speed in [1, 4, 16] {
            button(
                "\(speed)×", Rect(x: x, y: y, width: 40, height: 36), .speed(speed),
                primary: model.playbackSpeed == speed, light: false)
            x += 44
        }
        x += 8
        for (label, target, on) in [
            ("Map (M)", ClickTarget.toggleRewardMap, model.overlays.contains(.rewardMap)),
            ("Waypoints", .toggleWaypoints, model.overlays.contains(.waypoints)),
            ("Camera (V)", .toggleCameraView, model.cameraOnly),
        ] {
            let width = screen.measure(label, .small) + 22
            guard x + width < rect.maxX - 8 else { break }
            button(label, Rect(x: x, y: y, width: width, height: 36), target, primary: on, light: false)
            x += width + 6
        }
    }

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

    // MARK: Rich text

    private func font(_ base: FontStyle, _ style: TextRun.Style) -> FontStyle {
        switch style {
        case .plain: base
        case .strong: base == .small || base == .label ? .smallBold : (base == .body ? .bodyBold : base)
        case .emphasis: base == .body ? .bodyItalic : base
        case .code: base == .body ? .code : base
        }
    }

    private struct Word {
        var text: String
        var font: FontStyle
        var style: TextRun.Style
        var width: Double
        var spaceBefore: Bool
    }

    private func words(_ runs: [TextRun], style: FontStyle) -> [Word] {
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
                                text: current, font: font, style: run.style, width: screen.measure(current, font),
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
                        text: current, font: font, style: run.style, width: screen.measure(current, font),
                        spaceBefore: startsWithSpace))
                startsWithSpace = false
            }
            pendingSpace = startsWithSpace
        }
        return result
    }

    private func lines(_ words: [Word], width: Double, space: Double) -> [[Word]] {
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

    func wrappedHeight(_ runs: [TextRun], width: Double, style: FontStyle) -> Double {
        let space = screen.measure(" ", style)
        return Double(lines(words(runs, style: style), width: width, space: space).count) * screen.lineHeight(style)
            * 1.15
    }

    /// Draws styled runs wrapped to `width`; returns the y below the last line.
    func wrapped(
        _ runs: [TextRun], x: Double, y: Double, width: Double, style: FontStyle, color: SDL_Color, maxLines: Int = 100
    ) -> Double {
        let space = screen.measure(" ", style)
        let lineHeight = screen.lineHeight(style) * 1.15
        var y = y
        for line in lines(words(runs, style: style), width: width, space: space).prefix(maxLines) {
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
