import CSDL2
import Foundation
import Lessons
import RewardScript
import Simulator

/// Something on screen that responds to a click.
enum ClickTarget: Equatable {
    case next, back, quizChoice(Int), train, evaluate, clone, speed(Int), pause, restart, removeAction(Int),
        resetActions
    case skipStep, openLessons, openLesson(Int), goToStep(Int)
    case toggleRewardMap, toggleWaypoints, toggleCameraView, copyRacingLine
    case openGarage, newModel, useModel(String), formStep(ModelForm.Field, Int), createModel, closeSheet
    case toggleCompare(String), openComparison
    case openAnalysis, analysisSource(Int), analysisPicture(Int), tryRewardOnPastLaps, toggleSaliency
    case openRewardEditor, saveReward, editorText, copyCode(String)
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
    var cameraTexture: OpaquePointer?
    var rewardMapTexture: OpaquePointer?
    /// The Analysis sheet's picture, uploaded once per picture shown.
    var analysisTexture: (key: String, texture: OpaquePointer)?
    /// The saliency over the camera image, updated each frame it shows.
    var saliencyTexture: OpaquePointer?
    var rewardMapKey: String?
    /// Where the reward map's texture lies on the track: its lower-left cell centre and size in cells.
    var rewardMapGrid: (origin: Vector2, columns: Int, rows: Int)?
    var hovered: ClickTarget?
    /// Where the editor drew its code in the last frame: clicks and scrolling go by it.
    var editorGeometry: EditorGeometry?

    struct EditorGeometry {
        /// The top-left of the first visible character.
        var origin: (x: Double, y: Double)
        var lineHeight: Double
        var charWidth: Double
        var firstLine: Int
        var firstColumn: Int
        var visibleLines: Int
        var visibleColumns: Int
    }

    init(screen: Screen) {
        self.screen = screen
    }

    func tearDown() {
        if let cameraTexture { SDL_DestroyTexture(cameraTexture) }
        if let rewardMapTexture { SDL_DestroyTexture(rewardMapTexture) }
        if let texture = analysisTexture?.texture { SDL_DestroyTexture(texture) }
        if let saliencyTexture { SDL_DestroyTexture(saliencyTexture) }
    }

    func target(atX x: Double, y: Double) -> ClickTarget? {
        targets.last { $0.0.contains(x, y) }?.1
    }

    func hover(x: Double, y: Double) {
        hovered = target(atX: x, y: y)
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
            case .lessons: drawLessonMenu(model, panel)
            case .garage: drawGarage(model, panel)
            case .compare: drawComparison(model, panel)
            case .analysis: drawAnalysis(model, panel)
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

    // MARK: Top bar

    func drawTopBar(_ model: AppModel, _ rect: Rect) {
        screen.fill(rect, Theme.chrome)
        var x = rect.x + 18
        x += screen.text("Paddock", x: x, y: rect.y + 11, .heading, Theme.inkOnDark) + 14
        let count = model.library.lessons.count
        let title = "Lesson \(model.lessonIndex + 1) of \(count) · \(model.lesson.title)  ▾"
        let titleWidth = screen.text(title, x: x, y: rect.y + 15, .small, Theme.inkOnDarkSoft)
        // Progress: one dot per lesson, filled when finished. The title and the dots open the menu.
        let dots = Double(count)
        var dotX = rect.maxX - 18 - dots * 14
        targets.append((Rect(x: x - 6, y: rect.y + 6, width: titleWidth + 12, height: rect.height - 12), .openLessons))
        targets.append((Rect(x: dotX - 4, y: rect.y + 8, width: dots * 14 + 8, height: rect.height - 16), .openLessons))
        for (index, lesson) in model.library.lessons.enumerated() {
            let finished = model.progress.isFinished(lesson)
            let color = index == model.lessonIndex ? Theme.gold : (finished ? Theme.accent : Theme.panelLine)
            screen.fillCircle(x: dotX + 5, y: rect.y + 22, radius: index == model.lessonIndex ? 5 : 4, color)
            dotX += 14
        }
        screen.line(rect.x, rect.maxY - 1, rect.maxX, rect.maxY - 1, Theme.panelLine)
    }

    // MARK: Controls

    func drawControls(_ model: AppModel, _ rect: Rect) {
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
        add(
            snapshot.isStopping ? "Stopping…" : (snapshot.isTraining ? "Stop (T)" : "Train (T)"), 96, .train,
            primary: !snapshot.isTraining, enabled: !snapshot.isStopping)
        add(
            snapshot.isEvaluating ? "Evaluating…" : "Evaluate (E)", 112, .evaluate,
            enabled: !snapshot.isTraining && !snapshot.isEvaluating)
        add("Clone", 64, .clone, enabled: !snapshot.isTraining && !snapshot.isEvaluating)
        add("Export", 66, .export, enabled: !snapshot.isTraining && !snapshot.isEvaluating)
        add("Models", 72, .openGarage)
        add("Reward", 72, .openRewardEditor)
        add("Analysis", 78, .openAnalysis)
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

}
