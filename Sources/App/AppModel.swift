import Analysis
import Assets
import CarExport
import Foundation
import Lessons
import Model
import Reinforcement
import RewardScript
import Simulator
import Workshop

/// A key the app responds to (the window turns SDL's keys into these).
public enum AppKey: Sendable, Equatable {
    case up, down, left, right
    case restart, rewardMap, waypoints, racingLine, cameraView, pause
    case speed1, speed4, speed16
    case nextStep, previousStep, skipStep, lessons
    case train, evaluate
    // Editing (the reward editor and the new-model form).
    case backspace, deleteForward, enter, tab, home, end, escape, save
    case pageUp, pageDown, documentStart, documentEnd
    case copy, cut, paste, selectAll, undo, redo
    /// A movement with Shift held: it selects.
    case extendSelection(TextEditorState.Movement)
}

/// Where copy and paste go: the system clipboard in a window (SDL's), a string in memory for
/// tests and screenshots.
@MainActor public protocol Clipboard: AnyObject {
    var text: String? { get set }
}

/// A clipboard that lives as long as the app model: nothing leaves the process.
@MainActor public final class MemoryClipboard: Clipboard {
    public var text: String?
    public init() {}
}

/// A panel that opens over the simulator: the lesson menu, the model garage, the new-model form,
/// the reward editor, joining a workshop, or the instructor's view of the workshop this app hosts.
public enum Sheet: Sendable, Equatable {
    case lessons, garage, compare, analysis, newModel, rewardEditor, workshop, instructor
}

/// The student's side of a workshop in the app: the join form, the connection, what the host said.
public struct WorkshopState: Sendable {
    /// The join form: the host's address, the code on the instructor's screen, a display name.
    public var fields = ["", "", ""]
    /// Which field typing goes to.
    public var focus = 0
    /// Set once joined.
    public var client: WorkshopClient?
    public var status = "Type the address and code the instructor shows, and your name."
    public var pacing: WorkshopClient.Pacing?
    var secondsSincePoll = 0.0
    var busy = false
}

/// One model in the garage.
public struct GarageEntry: Sendable, Equatable {
    public var name: String
    public var track: String
    public var algorithm: String
    public var actions: String
    public var iterations: Int
    public var bestCompletion: Double?
}

/// Everything the app shows and does, without a window: the lesson and step, the simulator
/// scene, training, the learner's progress. The window draws it each frame and sends it keys
/// and clicks; tests drive it directly.
///
/// This file holds its state, lessons, input and time; each feature's actions are in a file of
/// their own: AppModel+Models (garage, new model, clone, export), +Reward (the editor, the
/// reward map), +Actions (the action space), +Training, +Compare (comparing models), +Workshop
/// (the student's side).
@MainActor public final class AppModel {
    public let library: LessonLibrary
    public let home: PaddockHome
    public let dataDirectory: DataDirectory
    public internal(set) var progress: LessonProgress
    public internal(set) var lessonIndex = 0
    public internal(set) var stepIndex = 0
    public internal(set) var tracker: TaskTracker?
    /// The quiz choice picked in this step, if any.
    public internal(set) var quizAnswer: Int?
    public internal(set) var driving: DrivingScene
    public var overlays: Set<LessonScene.Overlay>
    public internal(set) var cameraOnly = false
    public internal(set) var playbackSpeed = 1
    public internal(set) var isPaused = false
    /// The learner's action space (the Actions panel edits it; training uses it).
    public internal(set) var actions: [ActionSpace.DiscreteAction] = AppModel.defaultActions
    public let training = TrainingController()
    /// The model the app trains and evaluates.
    public internal(set) var modelName = "my_first_car" {
        didSet { showModelHistory() }
    }
    public internal(set) var sheet: Sheet?
    public internal(set) var form: ModelForm
    public internal(set) var editor = TextEditorState(text: "")
    /// Copy, cut and paste in the editor go here (the window sets the system clipboard).
    public var clipboard: any Clipboard = MemoryClipboard()
    /// How many lines the editor showed in the last frame (for Page Up, Page Down and the wheel).
    var editorVisibleLines = 20
    /// The learner's reward function's error after the last save or load: line (1-based) and message.
    public internal(set) var editorError: (line: Int?, message: String)?
    public internal(set) var garage: [GarageEntry] = []
    /// The garage models ticked for comparison, in the order ticked.
    public internal(set) var compareSelection: [String] = []
    /// The models being compared, read when the comparison opened.
    public internal(set) var comparison: [ComparedModel] = []
    /// Seconds into the compared laps' replay.
    public internal(set) var replayTime = 0.0
    /// The Analysis sheet's runs, pictures and reward what-if.
    public internal(set) var analysis: AnalysisSheet?
    /// Whether the camera panel shows what the model looks at, and the last map worked out.
    public internal(set) var showsSaliency = false
    public internal(set) var saliency: Saliency?
    /// The model the saliency is worked out with (a copy of the model in use), and whether a map
    /// is being worked out; `secondsSinceSaliency` spaces them out.
    var saliencyModel: TrainedModel?
    var saliencyPending = false
    var secondsSinceSaliency = 0.0
    /// Settings and track for a model made with the form, used when it is first trained.
    var newModelSettings: (settings: TrainingSettings, track: String)?
    /// Whether progress is written to `$PADDOCK_HOME` (off for screenshots).
    public var savesProgress = true
    /// A short message for the status line (what just happened, or what to do).
    public internal(set) var notice: String?
    /// Whether the step's task or quiz is done (or it has none).
    public var isStepDone: Bool {
        guard let step = currentStep else { return true }
        let taskDone = step.task == nil || tracker?.isDone == true
        let quizDone = step.quiz == nil || quizAnswer == step.quiz?.correctIndex
        return taskDone && quizDone
    }

    let catalog: TrackCatalog
    var tracks: [String: Track] = [:]
    var accumulatedSeconds = 0.0
    var rewardFileDate: Date?
    /// The learner's reward file as it was when the step opened.
    var rewardSourceAtStepStart: String?
    var secondsSinceRewardCheck = 0.0
    var seenIterations = 0
    var seenEvaluations = 0
    /// While training: the iteration whose policy drives the simulator panel (it follows each
    /// finished iteration, so the learner watches the car learn).
    public internal(set) var liveIteration: Int?

    static let defaultActions: [ActionSpace.DiscreteAction] = {
        guard case .discrete(let actions) = ActionSpace.paddockDefault else { return [] }
        return actions
    }()

    public init(
        library: LessonLibrary, home: PaddockHome, dataDirectory: DataDirectory, catalog: TrackCatalog,
        savesProgress: Bool = true
    ) throws {
        self.savesProgress = savesProgress
        precondition(!library.lessons.isEmpty, "the app needs at least one lesson")
        self.library = library
        self.home = home
        self.dataDirectory = dataDirectory
        self.catalog = catalog
        let saved = home.loadProgress()
        progress = saved
        form = ModelForm(
            name: "my_model", tracks: catalog.entries.map(\.id), track: "beginner_loop",
            customActions: AppModel.defaultActions)
        overlays = []
        try? home.ensureRewardFile(
            example: dataDirectory.root.appendingPathComponent("assets/reward_functions/follow_centre_line.py"))
        let start = library.lessons.firstIndex { $0.id == saved.currentLesson } ?? 0
        let track = try catalog.track(named: library.lessons[start].scene(at: 0).track)
        driving = DrivingScene(scene: LessonScene(), track: track, driver: .keyboard, reward: nil, rewardError: nil)
        go(lesson: start, step: saved.currentLesson == nil ? 0 : saved.currentStep)
        showModelHistory()
    }

    /// The graph shows the current model's past training (when it has any), whenever the app
    /// opens or another model is chosen.
    func showModelHistory() {
        guard let folder = modelFolder else { return }
        training.showHistory(of: folder)
    }

    public var lesson: Lesson { library.lessons[lessonIndex] }
    public var currentStep: LessonStep? { lesson.steps.indices.contains(stepIndex) ? lesson.steps[stepIndex] : nil }
    public var scene: LessonScene { lesson.scene(at: stepIndex) }
    public var snapshot: TrainingController.Snapshot { training.snapshot }

    // MARK: Moving through lessons

    /// Opens `lesson` at `step` (clamped), setting up its scene.
    public func go(lesson: Int, step: Int) {
        lessonIndex = min(max(lesson, 0), library.lessons.count - 1)
        stepIndex = min(max(step, 0), self.lesson.steps.count - 1)
        quizAnswer = nil
        notice = nil
        let step = self.lesson.steps[stepIndex]
        let best = progress.bestLap(on: self.lesson.scene(at: stepIndex).track)
        tracker = step.task.map { TaskTracker(check: $0.check, bestLapSeconds: best) }
        rewardSourceAtStepStart = try? String(contentsOf: home.rewardFile, encoding: .utf8)
        if progress.isCompleted(lesson: self.lesson.id, step: stepIndex) && step.quiz != nil {
            quizAnswer = step.quiz?.correctIndex
        }
        applyScene()
        progress.currentLesson = self.lesson.id
        progress.currentStep = stepIndex
        save()
    }

    /// The next step, or the next lesson's first; only once this step is done. A step with
    /// nothing to do but read counts as done when the learner moves on.
    public func next() {
        checkCompletion()
        guard isStepDone || progress.isCompleted(lesson: lesson.id, step: stepIndex) else {
            let what = taskLine.map { "Do the task first: \($0)." } ?? "Answer the question first."
            notice = "\(what) Or skip it for now (S)."
            return
        }
        advance()
    }

    /// Moves on without doing this step's task or quiz, and records that it was skipped: the
    /// lesson menu shows it, and doing it later still counts.
    public func skipStep() {
        guard !isPaced else {
            notice = Self.pacedNotice
            return
        }
        guard !isStepDone, !progress.isCompleted(lesson: lesson.id, step: stepIndex) else {
            next()
            return
        }
        progress.skip(lesson: lesson.id, step: stepIndex)
        save()
        advance()
    }

    /// Whether a workshop's instructor sets the pace (joined, and the room is not self-paced).
    /// The lesson menu, the step dots and skipping then wait for the instructor.
    public var isPaced: Bool { workshop.client != nil && workshop.pacing?.selfPaced != true }

    static let pacedNotice = "The instructor sets the pace in this workshop: the lessons follow the room."

    /// Opens the lesson menu: every lesson, with how far the learner got.
    public func openLessons() {
        guard !isPaced else {
            notice = Self.pacedNotice
            return
        }
        sheet = .lessons
    }

    /// Opens lesson `index` (from the menu) at its first step not done yet.
    public func openLesson(_ index: Int) {
        guard !isPaced else {
            notice = Self.pacedNotice
            return
        }
        guard library.lessons.indices.contains(index) else { return }
        let chosen = library.lessons[index]
        let first = chosen.steps.indices.first { !progress.isCompleted(lesson: chosen.id, step: $0) } ?? 0
        sheet = nil
        go(lesson: index, step: first)
    }

    /// Jumps to step `index` of this lesson (the step dots).
    public func goToStep(_ index: Int) {
        guard !isPaced else {
            notice = Self.pacedNotice
            return
        }
        guard lesson.steps.indices.contains(index), index != stepIndex else { return }
        checkCompletion()
        go(lesson: lessonIndex, step: index)
    }

    private func advance() {
        if stepIndex + 1 < lesson.steps.count {
            go(lesson: lessonIndex, step: stepIndex + 1)
        } else if lessonIndex + 1 < library.lessons.count {
            go(lesson: lessonIndex + 1, step: 0)
        } else {
            notice = "That was the last lesson. Well driven!"
        }
    }

    public func previous() {
        if stepIndex > 0 {
            go(lesson: lessonIndex, step: stepIndex - 1)
        } else if lessonIndex > 0 {
            go(lesson: lessonIndex - 1, step: library.lessons[lessonIndex - 1].steps.count - 1)
        }
    }

    /// Picks quiz choice `index`.
    public func answer(_ index: Int) {
        guard let quiz = currentStep?.quiz, quiz.choices.indices.contains(index) else { return }
        quizAnswer = index
        checkCompletion()
    }

    /// What the task asks, in words for the status line.
    public var taskLine: String? {
        guard let check = currentStep?.task?.check else { return nil }
        return Self.describe(check)
    }

    nonisolated public static func describe(_ check: LessonCheck) -> String {
        switch check {
        case .completeLap: "complete a lap"
        case .modelLap: "watch your trained model complete a lap"
        case .goOffTrack: "drive off the track"
        case .reverse: "drive the wrong way until the episode ends"
        case .crash: "drive into a box until the episode ends"
        case .episodes(let count): "finish \(count) episode\(count == 1 ? "" : "s")"
        case .cameraOnlyLap: "drive a lap with only the camera view (V)"
        case .rewardAtLeast(let value): "earn a reward of \(Self.number(value)) or more in one step"
        case .openRewardMap: "turn on the reward map (M)"
        case .saveReward: "change your reward function and save it without errors"
        case .actionsAtMost(let count): "cut the action space to \(count) actions or fewer"
        case .steeringAtMost(let degrees): "remove every action that steers more than \(Self.number(degrees))°"
        case .trainIterations(let count): "train for \(count) iteration\(count == 1 ? "" : "s")"
        case .evaluationAtLeast(let percent): "reach \(Self.number(percent))% in an evaluation lap"
        case .evaluateTrials(let count): "evaluate \(count) trials"
        case .cloneModel: "clone your model"
        case .beatLapTime: "beat your best lap time on this track"
        case .passBoxes(let count):
            count == 1 ? "pass a box or car in one episode" : "pass \(count) boxes or cars in one episode"
        case .exportArchive: "export the car archive"
        case .speedAtLeast(let speed): "add an action of \(Self.number(speed)) m/s or faster"
        case .createModel: "make a new model (Models, New model…)"
        case .createSACModel: "make a SAC model with continuous actions"
        case .createRaceModel: "make a model for object avoidance or head-to-bot"
        case .changeOneHyperparameter: "make a model that changes exactly one hyperparameter"
        case .compareModels(let count): "compare \(count) models"
        case .episodeRewardAtLeast(let total): "earn \(Self.number(total)) or more in one episode"
        case .openAnalysis: "open the Analysis of your model's training"
        case .explainFrame: "show what your model looks at (Looks at, in the camera panel)"
        case .tryRewardOnPastLaps: "try your reward function on the past laps (in Analysis)"
        }
    }

    nonisolated static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2g", value)
    }

    // MARK: Input

    /// Whether keys type text (the reward editor, the form's name, the join form) rather than
    /// command the app.
    public var isTyping: Bool {
        sheet == .rewardEditor || sheet == .newModel || (sheet == .workshop && workshop.client == nil)
    }

    public internal(set) var workshop = WorkshopState()
    /// The workshop this app hosts, when the instructor runs it here.
    public internal(set) var instructor = InstructorState()
    /// The reward map the simulator panel shows (M): the current reward function over the road,
    /// computed on a thread of its own whenever the function or the track changes.
    public internal(set) var rewardMap: (key: String, map: RewardMap)?
    /// The reward map being computed, by key.
    var rewardMapPending: String?
    /// The track the evaluation under way drives (its laps are records for that track only).
    var evaluationTrack: String?
    /// Racing lines computed so far, by track id.
    var racingLines: [String: [Vector2]] = [:]

    /// Work done off this thread (workshop calls, exports, the reward map), its results
    /// delivered in `tick`.
    let jobs = BackgroundJobs()

    public func key(_ key: AppKey, pressed: Bool) {
        if instructor.projector != nil {
            if pressed && key == .escape { closeProjector() }
            return
        }
        if let sheet, pressed {
            if key == .escape {
                closeSheet()
                return
            }
            if sheet == .rewardEditor {
                editorKey(key)
                return
            }
            if sheet == .newModel {
                if key == .backspace, !form.name.isEmpty { form.name.removeLast() }
                if key == .enter { createModel() }
                return
            }
            if sheet == .workshop && workshop.client == nil {
                switch key {
                case .backspace:
                    if !workshop.fields[workshop.focus].isEmpty { workshop.fields[workshop.focus].removeLast() }
                case .tab, .down: workshop.focus = (workshop.focus + 1) % 3
                case .up: workshop.focus = (workshop.focus + 2) % 3
                case .enter: joinWorkshop()
                default: break
                }
                return
            }
        }
        switch key {
        case .up: driving.keyboard.faster = pressed
        case .down: driving.keyboard.slower = pressed
        case .left: driving.keyboard.left = pressed
        case .right: driving.keyboard.right = pressed
        default:
            guard pressed else { return }
            command(key)
        }
    }

    func command(_ key: AppKey) {
        switch key {
        case .restart: driving.restart()
        case .rewardMap:
            if overlays.remove(.rewardMap) == nil {
                overlays.insert(.rewardMap)
                record(.rewardMapOpened)
            }
        case .waypoints:
            if overlays.remove(.waypoints) == nil { overlays.insert(.waypoints) }
        case .racingLine:
            if overlays.remove(.racingLine) == nil { overlays.insert(.racingLine) }
        case .cameraView:
            cameraOnly.toggle()
            driving.cameraOnly = cameraOnly
        case .pause: isPaused.toggle()
        case .speed1: playbackSpeed = 1
        case .speed4: playbackSpeed = 4
        case .speed16: playbackSpeed = 16
        case .nextStep: next()
        case .previousStep: previous()
        case .skipStep: skipStep()
        case .lessons: openLessons()
        case .train: snapshot.isTraining ? stopTraining() : train()
        case .evaluate: evaluate()
        default: break
        }
    }

    // MARK: Sheets

    /// Closes the sheet; a comparison goes back to the garage it was opened from.
    public func closeSheet() {
        if sheet == .compare {
            openGarage()
        } else {
            sheet = nil
        }
    }

    var modelsDirectory: URL { ModelFolder.modelsDirectory(environment: ["PADDOCK_HOME": home.url.path]) }

    // MARK: Time

    /// Advances the world by `seconds` of wall time: simulator steps at 15 per second times the
    /// playback speed, training news, and the learner's reward file.
    public func tick(seconds: Double) {
        if !isPaused {
            accumulatedSeconds += seconds * Double(playbackSpeed)
            var steps = 0
            while accumulatedSeconds >= CarGeometry.stepDuration && steps < 64 {
                accumulatedSeconds -= CarGeometry.stepDuration
                steps += 1
                for event in driving.step() { record(event) }
            }
            if steps == 64 { accumulatedSeconds = 0 }
        }
        jobs.deliver(to: self)
        advanceReplay(seconds: seconds)
        if let problem = driving.driverError {
            notice = problem
            driving.driverError = nil
        }
        refreshRewardMap()
        secondsSinceSaliency += seconds
        if secondsSinceSaliency >= 0.2 {
            secondsSinceSaliency = 0
            refreshSaliency()
        }
        pollTraining()
        pollWorkshop(seconds: seconds)
        pollHostedWorkshop(seconds: seconds)
        secondsSinceRewardCheck += seconds
        if secondsSinceRewardCheck >= 0.5 {
            secondsSinceRewardCheck = 0
            reloadRewardIfChanged()
        }
    }

    // MARK: Actions panel

    /// The action the Actions panel's "Add" row would add (steering in degrees, speed in m/s).
    public internal(set) var newAction = ActionSpace.DiscreteAction(steeringAngle: 0, speed: 1)

    // MARK: Training

    public var modelFolder: ModelFolder? { try? ModelFolder(name: modelName, in: modelsDirectory) }

    // MARK: Scene and reward

    var usesLearnerReward: Bool {
        scene.reward == "mine" || scene.panel == .reward || currentStep?.task?.check == .saveReward
    }

    func track(_ id: String) -> Track? {
        if let cached = tracks[id] { return cached }
        let loaded = try? catalog.track(named: id)
        tracks[id] = loaded
        return loaded
    }

    func applyScene() {
        let scene = self.scene
        overlays = scene.overlays
        cameraOnly = scene.view == .cameraOnly
        guard let track = track(scene.track) else {
            notice = "The track '\(scene.track)' is missing from tracks/."
            return
        }
        liveIteration = nil
        var driver = SceneDriver.keyboard
        switch scene.driver {
        case .keyboard: driver = .keyboard
        case .untrained: driver = .untrained(SeededRandom(seed: UInt64(lessonIndex * 100 + stepIndex)))
        case .centreLine: driver = .centreLine(ScriptedDriver())
        case .model:
            if let model = currentPolicy() {
                driver = .model(model)
            } else {
                driver = .centreLine(ScriptedDriver())
                notice = "You have no trained model yet, so a scripted driver stands in. Train one in lesson 8."
            }
        }
        let (function, error) = loadReward()
        driving = DrivingScene(scene: scene, track: track, driver: driver, reward: function, rewardError: error)
        driving.cameraOnly = cameraOnly
        switch scene.actionSpace {
        case .default: break
        case .three:
            actions = [
                .init(steeringAngle: 30, speed: 1), .init(steeringAngle: 0, speed: 1),
                .init(steeringAngle: -30, speed: 1),
            ]
        case .continuous: break
        }
        driving.actionSpace = scene.panel == .actions || scene.actionSpace == .three ? .discrete(actions) : nil
        rewardFileDate = modificationDate(home.rewardFile)
    }

    // MARK: Events and progress

    /// Passes an event to the step's task; marks the step done when it passes.
    public func record(_ event: LessonEvent) {
        guard var current = tracker else { return }
        let failedBefore = current.failedTries
        if current.record(event) {
            notice = "Done! Press Next (Page Down) when you are ready."
        } else if current.failedTries > failedBefore {
            notice = "Not yet: try again (the hint above may help)."
        }
        tracker = current
        checkCompletion()
    }

    func checkCompletion() {
        guard isStepDone, !progress.isCompleted(lesson: lesson.id, step: stepIndex) else { return }
        progress.complete(lesson: lesson.id, step: stepIndex)
        save()
    }

    func save() {
        guard savesProgress else { return }
        do {
            try home.saveProgress(progress)
        } catch {
            notice = "Could not save your progress in \(home.url.path): \(error)"
        }
    }
}
