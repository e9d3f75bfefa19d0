import Analysis
import Assets
import CSDL2
import Foundation
import Imaging
import Lessons

/// Frame-time figures from a run of the app.
public struct FrameTimes: Sendable {
    public var milliseconds: [Double]

    public init(milliseconds: [Double]) { self.milliseconds = milliseconds }

    public func percentile(_ p: Double) -> Double {
        guard !milliseconds.isEmpty else { return 0 }
        let sorted = milliseconds.sorted()
        return sorted[min(Int(Double(sorted.count - 1) * p / 100), sorted.count - 1)]
    }
}

/// Opens the app's window and runs it, or renders single frames without a display.
@MainActor
public enum AppWindow {
    /// Makes the model from the project's lessons and tracks and the learner's home.
    public static func makeModel(savesProgress: Bool = true) throws -> AppModel {
        try AppModel(
            library: LessonLibrary.standard(), home: PaddockHome.standard(), dataDirectory: DataDirectory.locate(),
            catalog: TrackCatalog.standard(), savesProgress: savesProgress)
    }

    /// Whether a window can be opened here (an X11 or Wayland display, or a video driver set).
    public static var hasDisplay: Bool {
        let environment = ProcessInfo.processInfo.environment
        if let driver = environment["SDL_VIDEODRIVER"], driver == "offscreen" || driver == "dummy" { return false }
        return environment["DISPLAY"].map { !$0.isEmpty } == true
            || environment["WAYLAND_DISPLAY"].map { !$0.isEmpty } == true
    }

    /// Opens the window and runs until it is closed (or for `maximumSeconds`); returns the
    /// frame times and the time from `start` to the first frame on screen.
    public static func run(
        model: AppModel, width: Int = 1280, height: Int = 800, maximumSeconds: Double? = nil,
        start: ContinuousClock.Instant = .now
    ) throws -> (frames: FrameTimes, firstFrameSeconds: Double) {
        let opened = ContinuousClock.now
        var firstFrameSeconds = 0.0
        SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0")
        guard SDL_Init(SDL_INIT_VIDEO) == 0 else { throw AppError.sdl("Could not start SDL's video") }
        defer { SDL_Quit() }
        let flags = SDL_WINDOW_RESIZABLE.rawValue | SDL_WINDOW_SHOWN.rawValue
        guard
            let window = SDL_CreateWindow(
                "Paddock", PADDOCK_SDL_WINDOWPOS_CENTERED, PADDOCK_SDL_WINDOWPOS_CENTERED, Int32(width), Int32(height),
                flags)
        else { throw AppError.sdl("Could not open a window") }
        defer { SDL_DestroyWindow(window) }
        SDL_SetWindowMinimumSize(window, 1024, 640)
        let renderer =
            SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED.rawValue | SDL_RENDERER_PRESENTVSYNC.rawValue)
            ?? SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE.rawValue)
        guard let renderer else { throw AppError.sdl("Could not start drawing in the window") }
        defer { SDL_DestroyRenderer(renderer) }
        var outputWidth: Int32 = 0
        var outputHeight: Int32 = 0
        SDL_GetRendererOutputSize(renderer, &outputWidth, &outputHeight)
        let screen = try Screen(renderer: renderer, width: Int(outputWidth), height: Int(outputHeight))
        defer { screen.tearDown() }
        let view = AppView(screen: screen)
        defer { view.tearDown() }
        var times: [Double] = []
        var last = ContinuousClock.now
        var running = true
        var firstFrame = true
        var fullscreen = false
        var dragging = false
        model.clipboard = SystemClipboard()
        while running {
            let frameStart = ContinuousClock.now
            var event = SDL_Event()
            while SDL_PollEvent(&event) != 0 {
                switch SDL_EventType(event.type) {
                case SDL_QUIT: running = false
                case SDL_KEYDOWN, SDL_KEYUP:
                    let pressed = event.type == SDL_KEYDOWN.rawValue
                    let modifiers = UInt32(event.key.keysym.mod)
                    let control = (modifiers & UInt32(KMOD_CTRL.rawValue)) != 0
                    let shift = (modifiers & UInt32(KMOD_SHIFT.rawValue)) != 0
                    if model.isTyping {
                        // Typing: editing keys repeat; letters arrive as text input.
                        if let key = Self.editingKey(event.key.keysym.scancode, control: control, shift: shift) {
                            model.key(key, pressed: pressed)
                        }
                    } else if event.key.repeat == 0, let key = Self.key(event.key.keysym.scancode) {
                        model.key(key, pressed: pressed)
                    }
                    if model.isTyping { SDL_StartTextInput() } else { SDL_StopTextInput() }
                case SDL_TEXTINPUT:
                    if model.isTyping {
                        let text = withUnsafeBytes(of: event.text.text) { raw in
                            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                        }
                        model.typeText(text)
                    }
                case SDL_MOUSEMOTION:
                    let (x, y) = (Double(event.motion.x), Double(event.motion.y))
                    view.hover(x: x, y: y)
                    // Dragging in the editor's code selects.
                    if event.motion.state & Self.leftButtonMask != 0, dragging,
                        let position = view.editorPosition(x: x, y: y)
                    {
                        model.placeEditorCursor(
                            line: position.line, column: position.column, extendingSelection: true)
                    }
                case SDL_MOUSEBUTTONDOWN:
                    let (x, y) = (Double(event.button.x), Double(event.button.y))
                    view.hover(x: x, y: y)
                    dragging = false
                    if let target = view.target(atX: x, y: y) {
                        if target == .editorText, let position = view.editorPosition(x: x, y: y) {
                            let shift = (UInt32(SDL_GetModState().rawValue) & UInt32(KMOD_SHIFT.rawValue)) != 0
                            model.placeEditorCursor(
                                line: position.line, column: position.column, extendingSelection: shift)
                            dragging = true
                        } else {
                            Self.click(target, model: model)
                        }
                    }
                    if model.isTyping { SDL_StartTextInput() } else { SDL_StopTextInput() }
                case SDL_MOUSEWHEEL:
                    model.scrollEditor(lines: -3 * Int(event.wheel.y))
                case SDL_WINDOWEVENT:
                    SDL_GetRendererOutputSize(renderer, &outputWidth, &outputHeight)
                    screen.resize(width: Int(outputWidth), height: Int(outputHeight))
                default: break
                }
            }
            let now = ContinuousClock.now
            model.tick(seconds: min((now - last).seconds, 0.1))
            if let geometry = view.editorGeometry {
                model.scrollEditorToCursor(
                    visibleLines: geometry.visibleLines, visibleColumns: geometry.visibleColumns)
            }
            last = now
            // The race view fills the screen (the projector); leaving it gives the window back.
            if (model.instructor.projector != nil) != fullscreen {
                fullscreen.toggle()
                SDL_SetWindowFullscreen(window, fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP.rawValue : 0)
                SDL_GetRendererOutputSize(renderer, &outputWidth, &outputHeight)
                screen.resize(width: Int(outputWidth), height: Int(outputHeight))
            }
            view.draw(model)
            SDL_RenderPresent(renderer)
            if firstFrame {
                firstFrame = false
                firstFrameSeconds = (ContinuousClock.now - start).seconds
            }
            if let maximumSeconds, (ContinuousClock.now - opened).seconds >= maximumSeconds { running = false }
            let frame = (ContinuousClock.now - frameStart).seconds
            times.append(frame * 1000)
            // Without vsync, hold the frame rate near 60.
            if frame < 1.0 / 60 { SDL_Delay(UInt32((1.0 / 60 - frame) * 1000)) }
        }
        model.training.stop()
        return (FrameTimes(milliseconds: times), firstFrameSeconds)
    }

    /// Renders one frame of `model` at `width` x `height` without a display (SDL's software
    /// renderer into memory) and returns it.
    public static func render(model: AppModel, width: Int, height: Int) throws -> Canvas {
        let screen = try Screen(offscreenWidth: width, height: height)
        defer { screen.tearDown() }
        let view = AppView(screen: screen)
        defer { view.tearDown() }
        view.draw(model)
        return try screen.capture()
    }

    /// Renders `frames` frames offscreen, ticking the model 1/60 s each, and times them.
    public static func timeFrames(model: AppModel, frames: Int, width: Int, height: Int) throws -> FrameTimes {
        let screen = try Screen(offscreenWidth: width, height: height)
        defer { screen.tearDown() }
        let view = AppView(screen: screen)
        defer { view.tearDown() }
        var times: [Double] = []
        for _ in 0..<frames {
            let start = ContinuousClock.now
            model.tick(seconds: 1.0 / 60)
            view.draw(model)
            times.append((ContinuousClock.now - start).seconds * 1000)
        }
        return FrameTimes(milliseconds: times)
    }

    static func click(_ target: ClickTarget, model: AppModel) {
        switch target {
        case .next: model.next()
        case .back: model.previous()
        case .skipStep: model.skipStep()
        case .openLessons: model.openLessons()
        case .openLesson(let index): model.openLesson(index)
        case .goToStep(let index): model.goToStep(index)
        case .quizChoice(let index): model.answer(index)
        case .train: model.key(.train, pressed: true)
        case .evaluate: model.evaluate()
        case .clone: model.cloneModel()
        case .speed(let speed): model.key(speed == 1 ? .speed1 : (speed == 4 ? .speed4 : .speed16), pressed: true)
        case .pause: model.key(.pause, pressed: true)
        case .restart: model.key(.restart, pressed: true)
        case .removeAction(let index): model.removeAction(at: index)
        case .resetActions: model.resetActions()
        case .toggleRewardMap: model.key(.rewardMap, pressed: true)
        case .toggleWaypoints: model.key(.waypoints, pressed: true)
        case .copyRacingLine: model.copyRacingLineReward()
        case .toggleCameraView: model.key(.cameraView, pressed: true)
        case .openGarage: model.openGarage()
        case .newModel: model.openNewModel()
        case .useModel(let name): model.useModel(name)
        case .formStep(let field, let delta): model.stepForm(field, by: delta)
        case .createModel: model.createModel()
        case .closeSheet: model.closeSheet()
        case .toggleCompare(let name): model.toggleCompare(name)
        case .openComparison: model.openComparison()
        case .openAnalysis: model.openAnalysis()
        case .analysisSource(let index): model.selectAnalysisSource(index)
        case .analysisPicture(let index):
            if AnalysisPictures.Kind.allCases.indices.contains(index) {
                model.showAnalysisPicture(AnalysisPictures.Kind.allCases[index])
            }
        case .tryRewardOnPastLaps: model.tryRewardOnPastLaps()
        case .toggleSaliency: model.toggleSaliency()
        case .openRewardEditor: model.openRewardEditor()
        case .saveReward: model.saveReward()
        case .editorText: break
        case .copyCode(let text): model.copyToClipboard(text)
        case .newActionSteering(let delta): model.adjustNewAction(steering: delta)
        case .newActionSpeed(let delta): model.adjustNewAction(speed: delta)
        case .addAction: model.addAction()
        case .export: model.exportArchive()
        case .openWorkshop: model.openWorkshop()
        case .workshopField(let index): model.focusWorkshopField(index)
        case .joinWorkshop: model.joinWorkshop()
        case .submitToWorkshop: model.submitToWorkshop()
        case .hostWorkshop: model.hostWorkshop()
        case .stopHosting: model.stopHosting()
        case .moveRoom(let delta): model.moveRoom(by: delta)
        case .bringRoomHere: model.bringRoomHere()
        case .toggleSelfPaced: model.toggleSelfPaced()
        case .raceTrack(let delta): model.changeRaceTrack(by: delta)
        case .raceLaps(let delta): model.changeRaceLaps(by: delta)
        case .startRace: model.startRace()
        case .openProjector: model.openProjector()
        case .selectStudent(let id): model.selectStudent(id)
        case .cancelSubmission(let id): model.cancelSubmission(id)
        }
    }

    /// SDL_BUTTON_LMASK, a macro Swift does not import: the left button's bit in a motion's state.
    static let leftButtonMask = UInt32(1) << (UInt32(SDL_BUTTON_LEFT) - 1)

    static func editingKey(_ scancode: SDL_Scancode, control: Bool, shift: Bool) -> AppKey? {
        if control {
            switch scancode {
            case SDL_SCANCODE_S: return .save
            case SDL_SCANCODE_A: return .selectAll
            case SDL_SCANCODE_C, SDL_SCANCODE_INSERT: return .copy
            case SDL_SCANCODE_X: return .cut
            case SDL_SCANCODE_V: return .paste
            case SDL_SCANCODE_Z: return shift ? .redo : .undo
            case SDL_SCANCODE_Y: return .redo
            case SDL_SCANCODE_HOME: return shift ? .extendSelection(.documentStart) : .documentStart
            case SDL_SCANCODE_END: return shift ? .extendSelection(.documentEnd) : .documentEnd
            default: return nil
            }
        }
        let movements: [SDL_Scancode: (AppKey, TextEditorState.Movement)] = [
            SDL_SCANCODE_UP: (.up, .up), SDL_SCANCODE_DOWN: (.down, .down), SDL_SCANCODE_LEFT: (.left, .left),
            SDL_SCANCODE_RIGHT: (.right, .right), SDL_SCANCODE_HOME: (.home, .home), SDL_SCANCODE_END: (.end, .end),
        ]
        if let (key, movement) = movements[scancode] { return shift ? .extendSelection(movement) : key }
        switch scancode {
        case SDL_SCANCODE_INSERT where shift: return .paste
        case SDL_SCANCODE_DELETE where shift: return .cut
        case SDL_SCANCODE_BACKSPACE: return .backspace
        case SDL_SCANCODE_DELETE: return .deleteForward
        case SDL_SCANCODE_RETURN, SDL_SCANCODE_KP_ENTER: return .enter
        case SDL_SCANCODE_TAB: return .tab
        case SDL_SCANCODE_PAGEUP: return .pageUp
        case SDL_SCANCODE_PAGEDOWN: return .pageDown
        case SDL_SCANCODE_ESCAPE: return .escape
        default: return nil
        }
    }

    static func key(_ scancode: SDL_Scancode) -> AppKey? {
        switch scancode {
        case SDL_SCANCODE_UP: .up
        case SDL_SCANCODE_DOWN: .down
        case SDL_SCANCODE_LEFT: .left
        case SDL_SCANCODE_RIGHT: .right
        case SDL_SCANCODE_R: .restart
        case SDL_SCANCODE_S: .skipStep
        case SDL_SCANCODE_L: .lessons
        case SDL_SCANCODE_M: .rewardMap
        case SDL_SCANCODE_W: .waypoints
        case SDL_SCANCODE_G: .racingLine
        case SDL_SCANCODE_V: .cameraView
        case SDL_SCANCODE_P, SDL_SCANCODE_SPACE: .pause
        case SDL_SCANCODE_1: .speed1
        case SDL_SCANCODE_2: .speed4
        case SDL_SCANCODE_3: .speed16
        case SDL_SCANCODE_PAGEDOWN, SDL_SCANCODE_RETURN: .nextStep
        case SDL_SCANCODE_PAGEUP: .previousStep
        case SDL_SCANCODE_T: .train
        case SDL_SCANCODE_E: .evaluate
        case SDL_SCANCODE_ESCAPE: .escape
        default: nil
        }
    }
}

/// The system clipboard, through SDL: copy in Paddock, paste in any other program, and back.
@MainActor final class SystemClipboard: Clipboard {
    var text: String? {
        get {
            guard SDL_HasClipboardText() == SDL_TRUE, let raw = SDL_GetClipboardText() else { return nil }
            defer { SDL_free(raw) }
            return String(cString: raw)
        }
        set { SDL_SetClipboardText(newValue ?? "") }
    }
}
