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
    case restart, rewardMap, waypoints, cameraView, pause
    case speed1, speed4, speed16
    case nextStep, previousStep
    case train, evaluate
    // Editing (the reward editor and the new-model form).
    case backspace, deleteForward, enter, tab, home, end, escape, save
}

/// A panel that opens over the simulator: the model garage, the new-model form, the reward
/// editor, joining a workshop, or the instructor's view of the workshop this app hosts.
public enum Sheet: Sendable, Equatable { case garage, newModel, rewardEditor, workshop, instructor }

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
public final class AppModel {
    public let library: LessonLibrary
    public let home: PaddockHome
    public let dataDirectory: DataDirectory
    public private(set) var progress: LessonProgress
    public private(set) var lessonIndex = 0
    public private(set) var stepIndex = 0
    public private(set) var tracker: TaskTracker?
    /// The quiz choice picked in this step, if any.
    public private(set) var quizAnswer: Int?
    public private(set) var driving: DrivingScene
    public var overlays: Set<LessonScene.Overlay>
    public private(set) var cameraOnly = false
    public private(set) var playbackSpeed = 1
    public private(set) var isPaused = false
    /// The learner's action space (the Actions panel edits it; training uses it).
    public private(set) var actions: [ActionSpace.DiscreteAction] = AppModel.defaultActions
    public let training = TrainingController()
    /// The model the app trains and evaluates.
    public private(set) var modelName = "my_first_car"
    public internal(set) var sheet: Sheet?
    public private(set) var form: ModelForm
    public private(set) var editor = TextEditorState(text: "")
    /// The learner's reward function's error after the last save or load: line (1-based) and message.
    public private(set) var editorError: (line: Int?, message: String)?
    public private(set) var garage: [GarageEntry] = []
    /// Settings and track for a model made with the form, used when it is first trained.
    private var newModelSettings: (settings: TrainingSettings, track: String)?
    /// Whether progress is written to `$PADDOCK_HOME` (off for screenshots).
    public var savesProgress = true
    /// A short message for the status line (what just happened, or what to do).
    public private(set) var notice: String?
    /// Whether the step's task or quiz is done (or it has none).
    public var isStepDone: Bool {
        guard let step = currentStep else { return true }
        let taskDone = step.task == nil || tracker?.isDone == true
        let quizDone = step.quiz == nil || quizAnswer == step.quiz?.correctIndex
        return taskDone && quizDone
    }

    let catalog: TrackCatalog
    private var tracks: [String: Track] = [:]
    private var accumulatedSeconds = 0.0
    private var rewardFileDate: Date?
    private var secondsSinceRewardCheck = 0.0
    private var seenIterations = 0
    private var seenEvaluations = 0

    static let defaultActions: [ActionSpace.DiscreteAction] = {
        guard case .discrete(let actions) = ActionSpace.consoleDefault else { return [] }
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
        tracker = step.task.map { TaskTracker(check: $0.check, bestLapSeconds: progress.bestLapSeconds) }
        if progress.isCompleted(lesson: self.lesson.id, step: stepIndex) && step.quiz != nil {
            quizAnswer = step.quiz?.correctIndex
        }
        applyScene()
        progress.currentLesson = self.lesson.id
        progress.currentStep = stepIndex
        save()
    }

    /// The next step, or the next lesson's first; only once this step is done.
    public func next() {
        guard isStepDone || progress.isCompleted(lesson: lesson.id, step: stepIndex) else {
            notice = "Do the task first: \(taskLine ?? "see the step")."
            return
        }
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

    public static func describe(_ check: LessonCheck) -> String {
        switch check {
        case .completeLap: "complete a lap"
        case .goOffTrack: "drive off the track"
        case .reverse: "drive the wrong way until the episode ends"
        case .episodes(let count): "finish \(count) episode\(count == 1 ? "" : "s")"
        case .cameraOnlyLap: "drive a lap with only the camera view (V)"
        case .rewardAtLeast(let value): "earn a reward of \(Self.number(value)) or more in one step"
        case .openRewardMap: "turn on the reward map (M)"
        case .saveReward: "save your reward function without errors"
        case .actionsAtMost(let count): "cut the action space to \(count) actions or fewer"
        case .trainIterations(let count): "train for \(count) iteration\(count == 1 ? "" : "s")"
        case .evaluationAtLeast(let percent): "reach \(Self.number(percent))% in an evaluation lap"
        case .evaluateTrials(let count): "evaluate \(count) trials"
        case .cloneModel: "clone your model"
        case .beatLapTime: "beat your best lap time"
        case .passBoxes(let count): "pass \(count) boxes in one episode"
        case .exportArchive: "export the car archive"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2g", value)
    }

    // MARK: Input

    /// Whether keys type text (the reward editor, the form's name, the join form) rather than
    /// command the app.
    public var isTyping: Bool {
        sheet == .rewardEditor || sheet == .newModel || (sheet == .workshop && workshop.client == nil)
    }

    public private(set) var workshop = WorkshopState()
    /// The workshop this app hosts, when the instructor runs it here.
    public internal(set) var instructor = InstructorState()
    /// Results of workshop calls made off this thread, taken in `tick`.
    /// The reward map the simulator panel shows (M): the current reward function over the road,
    /// computed on a thread of its own whenever the function or the track changes.
    public private(set) var rewardMap: (key: String, map: RewardMap)?
    /// The reward map being computed, by key.
    private var rewardMapPending: String?

    /// Changes that background work (workshop calls, exports) hands back to this thread.
    let backgroundInbox = Inbox()

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

    private func command(_ key: AppKey) {
        switch key {
        case .restart: driving.restart()
        case .rewardMap:
            if overlays.remove(.rewardMap) == nil {
                overlays.insert(.rewardMap)
                record(.rewardMapOpened)
            }
        case .waypoints:
            if overlays.remove(.waypoints) == nil { overlays.insert(.waypoints) }
        case .cameraView:
            cameraOnly.toggle()
            driving.cameraOnly = cameraOnly
        case .pause: isPaused.toggle()
        case .speed1: playbackSpeed = 1
        case .speed4: playbackSpeed = 4
        case .speed16: playbackSpeed = 16
        case .nextStep: next()
        case .previousStep: previous()
        case .train: snapshot.isTraining ? training.stop() : train()
        case .evaluate: evaluate()
        default: break
        }
    }

    // MARK: Sheets

    public func openGarage() {
        garage = ModelFolder.all(in: ModelFolder.modelsDirectory(environment: ["PADDOCK_HOME": home.url.path]))
            .compactMap { name in
                guard let folder = try? ModelFolder(name: name, in: modelsDirectory),
                    let description = try? folder.readDescription()
                else { return nil }
                let state = (try? TrainingState.read(folder)) ?? nil
                let actions: String
                switch description.actionSpace {
                case .discrete(let list): actions = "\(list.count) actions"
                case .continuous: actions = "continuous"
                }
                return GarageEntry(
                    name: name, track: description.track, algorithm: description.algorithm == .sac ? "SAC" : "PPO",
                    actions: actions, iterations: state?.iterations ?? 0,
                    bestCompletion: (state?.bestCompletion ?? -1) >= 0 ? state?.bestCompletion : nil)
            }
        sheet = .garage
    }

    public func openNewModel() {
        var number = 1
        while (try? ModelFolder(name: "model_\(number)", in: modelsDirectory))?.exists == true { number += 1 }
        form = ModelForm(
            name: "model_\(number)", tracks: catalog.entries.map(\.id), track: driving.track.id, customActions: actions)
        sheet = .newModel
    }

    public func openRewardEditor() {
        editor = TextEditorState(text: (try? String(contentsOf: home.rewardFile, encoding: .utf8)) ?? "")
        editorError = Self.errorLine(loadLearnerReward().1)
        sheet = .rewardEditor
    }

    public func closeSheet() { sheet = nil }

    public func openWorkshop() { sheet = instructor.server == nil ? .workshop : .instructor }

    public func focusWorkshopField(_ index: Int) { workshop.focus = min(max(index, 0), 2) }

    /// Joins the workshop in the form (the call runs off this thread; `tick` takes the answer).
    public func joinWorkshop() {
        let (address, code, name) = (workshop.fields[0], workshop.fields[1], workshop.fields[2])
        guard !address.isEmpty, !code.isEmpty, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            workshop.status = "Fill in all three: the address, the code and your name."
            return
        }
        guard !workshop.busy else { return }
        workshop.busy = true
        workshop.status = "Joining…"
        let client = WorkshopClient(address: address)
        let inbox = backgroundInbox
        inBackground {
            do {
                let pacing = try client.join(code: code, name: name)
                inbox.put { model in
                    model.workshop.client = client
                    model.workshop.busy = false
                    model.workshop.status = "Joined \(client.title) as \(name). The instructor sets the pace."
                    model.follow(pacing)
                }
            } catch {
                inbox.put { model in
                    model.workshop.busy = false
                    model.workshop.status = "\(error)"
                }
            }
        }
    }

    /// Sends the current model's car archive and the reward function to the workshop host.
    public func submitToWorkshop() {
        guard let client = workshop.client else {
            workshop.status = "Join the workshop first."
            return
        }
        guard
            let folder = idleModelFolder(
                missing: "Train a model before you submit it.", busy: "Stop training first, then submit.")
        else { return }
        let reward = currentRewardSource()
        let inbox = backgroundInbox
        workshop.status = "Sending \(modelName)…"
        inBackground {
            do {
                let archive = try CarArchive.make(folder: folder).gzipData()
                _ = try client.submit(archive: archive, rewardFunction: reward)
                inbox.put { $0.workshop.status = "Submitted. The host races it; watch the leaderboard." }
            } catch {
                inbox.put { $0.workshop.status = "Could not submit: \(error)" }
            }
        }
    }

    /// Goes to the instructor's lesson and step unless the room is self-paced.
    func follow(_ pacing: WorkshopClient.Pacing) {
        workshop.pacing = pacing
        guard !pacing.selfPaced else { return }
        let lesson = pacing.lesson - 1
        let step = pacing.step - 1
        if lesson != lessonIndex || step != stepIndex { go(lesson: lesson, step: step) }
    }

    /// Every 2 s while joined: report where the learner is, and read the pacing.
    private func pollWorkshop(seconds: Double) {
        guard let client = workshop.client, !workshop.busy else { return }
        workshop.secondsSincePoll += seconds
        guard workshop.secondsSincePoll >= 2 else { return }
        workshop.secondsSincePoll = 0
        workshop.busy = true
        let (lesson, step) = (lessonIndex + 1, stepIndex + 1)
        let training = snapshot.isTraining ? "training" : (snapshot.isEvaluating ? "evaluating" : "idle")
        let best = snapshot.points.map(\.evaluationCompletion).max()
        let inbox = backgroundInbox
        inBackground {
            do {
                try client.report(lesson: lesson, step: step, training: training, bestEvaluation: best)
                let pacing = try client.pacing()
                inbox.put { model in
                    model.workshop.busy = false
                    model.follow(pacing)
                }
            } catch {
                inbox.put { model in
                    model.workshop.busy = false
                    model.workshop.status = "\(error)"
                }
            }
        }
    }

    public func placeEditorCursor(line: Int, column: Int) { editor.place(line: line, column: column) }

    public func scrollEditor(visibleLines: Int) { editor.scrollToCursor(visibleLines: visibleLines) }

    public func stepForm(_ field: ModelForm.Field, by delta: Int) { form.step(field, by: delta) }

    /// Types text into the editor or the form's name.
    public func typeText(_ text: String) {
        switch sheet {
        case .rewardEditor: editor.insert(text)
        case .workshop:
            guard workshop.client == nil else { return }
            workshop.fields[workshop.focus] += text.filter { !$0.isNewline }.prefix(60)
        case .newModel:
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
            form.name += text.filter { allowed.contains($0) }.prefix(max(0, 64 - form.name.count))
        default: break
        }
    }

    /// Makes the form's model the current one and starts training it.
    public func createModel() {
        do {
            let folder = try ModelFolder(name: form.name, in: modelsDirectory)
            guard !folder.exists else {
                notice = "There is already a model called \(form.name): pick another name, or use it from Models."
                return
            }
            newModelSettings = (try form.settings(), form.track)
            modelName = form.name
            sheet = nil
            train()
        } catch let error as ModelError {
            notice = "\(error)"
        } catch {
            notice = "\(error)"
        }
    }

    /// Makes a garage model the current one (training, evaluation and `driver: model` use it).
    public func useModel(_ name: String) {
        modelName = name
        newModelSettings = nil
        sheet = nil
        notice = "Using \(name)."
        if scene.driver == .model { applyScene() }
    }

    private func editorKey(_ key: AppKey) {
        switch key {
        case .backspace: editor.backspace()
        case .deleteForward: editor.deleteForward()
        case .enter: editor.newLine()
        case .tab: editor.insert("    ")
        case .left: editor.move(.left)
        case .right: editor.move(.right)
        case .up: editor.move(.up)
        case .down: editor.move(.down)
        case .home: editor.move(.home)
        case .end: editor.move(.end)
        case .save: saveReward()
        default: break
        }
    }

    /// Writes the editor's text to the learner's reward file (atomically) and loads it.
    public func saveReward() {
        do {
            try FileManager.default.createDirectory(at: home.url, withIntermediateDirectories: true)
            try AtomicFile.write(editor.text + (editor.text.hasSuffix("\n") ? "" : "\n"), to: home.rewardFile)
        } catch {
            notice = "Could not save \(home.rewardFile.path): \(error)"
            return
        }
        editor.markSaved()
        rewardFileDate = modificationDate(home.rewardFile)
        let (function, error) = loadLearnerReward()
        editorError = Self.errorLine(error)
        if let line = editorError?.line { editor.place(line: line - 1, column: editor.column) }
        if usesLearnerReward { driving.setReward(function, error: error?.description) }
        record(.rewardSaved(loads: function != nil))
        notice =
            function != nil ? "Saved and loaded: the car uses it from the next step." : "Saved, but it has an error."
    }

    private func loadLearnerReward() -> (RewardFunction?, RewardError?) {
        do {
            return (try RewardFunction(contentsOf: home.rewardFile), nil)
        } catch {
            return (nil, error)
        }
    }

    static func errorLine(_ error: RewardError?) -> (line: Int?, message: String)? {
        guard let error else { return nil }
        switch error {
        case .syntax(_, let line, _, _, _): return (line, error.description)
        case .exception(_, let line, _, _, _, _): return (line, error.description)
        case .wrongSignature(_, let line, _): return (line, error.description)
        case .timeout(_, _, let line), .loadTimeout(_, _, let line): return (line, error.description)
        default: return (nil, error.description)
        }
    }

    private var modelsDirectory: URL { ModelFolder.modelsDirectory(environment: ["PADDOCK_HOME": home.url.path]) }

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
        for change in backgroundInbox.take() { change(self) }
        refreshRewardMap()
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

    public func removeAction(at index: Int) {
        guard actions.indices.contains(index), actions.count > 2 else {
            notice = "DeepRacer needs at least 2 actions."
            return
        }
        actions.remove(at: index)
        driving.actionSpace = .discrete(actions)
        record(.actionSpaceChanged(count: actions.count))
    }

    /// The action the Actions panel's "Add" row would add (steering in degrees, speed in m/s).
    public private(set) var newAction = ActionSpace.DiscreteAction(steeringAngle: 0, speed: 1)

    /// Changes the "Add" row: steering in 5-degree steps within -30...30, speed in 0.1 m/s steps
    /// within 0.1...4 (DeepRacer's limits).
    public func adjustNewAction(steering: Int = 0, speed: Int = 0) {
        newAction.steeringAngle = min(max(newAction.steeringAngle + Double(steering) * 5, -30), 30)
        newAction.speed = min(max(((newAction.speed + Double(speed) * 0.1) * 10).rounded() / 10, 0.1), 4)
    }

    /// Adds the "Add" row's action to the learner's list (DeepRacer allows up to 30, no repeats).
    public func addAction() {
        guard actions.count < 30 else {
            notice = "DeepRacer allows at most 30 actions."
            return
        }
        guard !actions.contains(newAction) else {
            notice = "That action is already in the list."
            return
        }
        actions.append(newAction)
        driving.actionSpace = .discrete(actions)
        record(.actionSpaceChanged(count: actions.count))
    }

    public func resetActions() {
        actions = AppModel.defaultActions
        driving.actionSpace = scene.panel == .actions ? .discrete(actions) : nil
        record(.actionSpaceChanged(count: actions.count))
    }

    // MARK: Training

    public var modelFolder: ModelFolder? { try? ModelFolder(name: modelName, in: modelsDirectory) }

    public func train() {
        guard let folder = modelFolder else { return }
        guard !training.isBusy else {
            notice = "Wait for the evaluation to finish."
            return
        }
        var settings = TrainingSettings(actionSpace: .discrete(actions))
        var track = driving.track
        if let created = newModelSettings, let chosen = self.track(created.track) {
            settings = created.settings
            track = chosen
        }
        training.startTraining(folder: folder, settings: settings, track: track, rewardSource: currentRewardSource())
        notice = "Training \(modelName) on \(track.id). Watch the graph; press Stop (T) any time."
    }

    /// The current model's folder when it exists and nothing is training or evaluating it;
    /// otherwise nil, with `missing` or `busy` as the notice.
    private func idleModelFolder(missing: String, busy: String) -> ModelFolder? {
        guard let folder = modelFolder, folder.exists else {
            notice = missing
            return nil
        }
        guard !training.isBusy else {
            notice = busy
            return nil
        }
        return folder
    }

    public func evaluate() {
        guard
            let folder = idleModelFolder(
                missing: "There is no model to evaluate yet: press Train (T) first.",
                busy: "Stop training first (T), then evaluate.")
        else { return }
        let track = (try? folder.readDescription()).flatMap { self.track($0.track) } ?? driving.track
        training.startEvaluation(folder: folder, track: track)
        notice = "Evaluating \(modelName): 3 laps from the start line."
    }

    /// Clones the model into the next free name (`my_first_car_2`, ...) and trains that from now on.
    public func cloneModel() {
        guard
            let folder = idleModelFolder(
                missing: "Train a model before you clone it.", busy: "Stop training first, then clone.")
        else { return }
        let base = modelName.replacingOccurrences(of: #"_\d+$"#, with: "", options: .regularExpression)
        var number = 2
        while (try? ModelFolder(name: "\(base)_\(number)", in: modelsDirectory))?.exists == true { number += 1 }
        do {
            let target = try ModelFolder(name: "\(base)_\(number)", in: modelsDirectory)
            try folder.clone(into: target)
            modelName = target.name
            notice = "Cloned into \(target.name): it starts from the best checkpoint."
            record(.modelCloned)
        } catch {
            notice = "Could not clone: \(error)"
        }
    }

    /// Where exported car archives go: `$PADDOCK_HOME/exports`.
    public var exportsDirectory: URL { home.url.appendingPathComponent("exports") }

    /// The reward map's key: the track and the reward function's text.
    var rewardMapKey: String? {
        guard let reward = driving.reward else { return nil }
        return "\(driving.track.id)|\(reward.fileName)|\(reward.source.hashValue)"
    }

    /// Starts computing the reward map when it is shown and out of date. The learner's Python
    /// runs over every cell of the road (thousands of calls), so it runs in its own compiled copy
    /// of the function, on a thread of its own, never inside a frame.
    private func refreshRewardMap() {
        guard overlays.contains(.rewardMap), let key = rewardMapKey, let reward = driving.reward,
            rewardMap?.key != key, rewardMapPending != key
        else { return }
        rewardMapPending = key
        let (source, fileName, track) = (reward.source, reward.fileName, driving.track)
        let inbox = backgroundInbox
        inBackground {
            let map = try? RewardMap.compute(
                function: try RewardFunction(source: source, fileName: fileName), track: track, resolution: 0.05)
            inbox.put { model in
                if model.rewardMapPending == key { model.rewardMapPending = nil }
                if let map { model.rewardMap = (key, map) }
            }
        }
    }

    /// Waits (up to `timeout` seconds) for a reward map being computed: a screenshot shows the
    /// map the window would show a moment later.
    public func waitForRewardMap(timeout: Double = 30) {
        refreshRewardMap()
        let deadline = Date().addingTimeInterval(timeout)
        while rewardMapPending != nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            for change in backgroundInbox.take() { change(self) }
        }
    }

    /// Writes the model's car archive (best checkpoint) to `exportsDirectory`, on a thread of its
    /// own (compressing a 5-layer model takes seconds); `notice` says when it is saved.
    public func exportArchive() {
        guard
            let folder = idleModelFolder(
                missing: "Train a model before you export it: press Train (T).",
                busy: "Stop training first, then export.")
        else { return }
        let name = modelName
        let directory = exportsDirectory
        let inbox = backgroundInbox
        notice = "Exporting \(name)…"
        inBackground {
            do {
                let archive = try CarArchive.make(folder: folder)
                let url = directory.appendingPathComponent("\(CarArchive.sanitizedName(name)).tar.gz")
                let problems = CarArchive.problems(archive, fileName: url.lastPathComponent)
                guard problems.isEmpty else {
                    let message = "The car would not load this archive: \(problems.joined(separator: "; "))."
                    inbox.put { $0.notice = message }
                    return
                }
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try AtomicFile.write(
                    try archive.gzipData(modificationTime: Int(Date().timeIntervalSince1970)), to: url)
                inbox.put { model in
                    model.notice =
                        "Saved \(url.path). Upload it in the car's device console, or: paddock car upload --model \(name)"
                    model.record(.archiveExported)
                }
            } catch {
                let message = "Could not export: \(error)"
                inbox.put { $0.notice = message }
            }
        }
    }

    private func pollTraining() {
        let current = training.snapshot
        while seenIterations < current.iterationsFinished {
            seenIterations += 1
            record(.trainingIterationFinished)
        }
        while seenEvaluations < current.evaluationsFinished {
            seenEvaluations += 1
            for trial in current.trials {
                record(.evaluationTrial(completion: trial.completion, lapSeconds: trial.lapTime))
                if let lap = trial.lapTime, lap < (progress.bestLapSeconds ?? .infinity) {
                    progress.bestLapSeconds = lap
                }
            }
            record(.evaluationFinished(trials: current.trials.count))
            save()
        }
    }

    // MARK: Scene and reward

    private var usesLearnerReward: Bool {
        scene.reward == "mine" || scene.panel == .reward || currentStep?.task?.check == .saveReward
    }

    func currentRewardSource() -> String {
        let url =
            usesLearnerReward
            ? home.rewardFile : dataDirectory.root.appendingPathComponent("assets/reward_functions/\(scene.reward)")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    private func track(_ id: String) -> Track? {
        if let cached = tracks[id] { return cached }
        let loaded = try? catalog.track(named: id)
        tracks[id] = loaded
        return loaded
    }

    private func applyScene() {
        let scene = self.scene
        overlays = scene.overlays
        cameraOnly = scene.view == .cameraOnly
        guard let track = track(scene.track) else {
            notice = "The track '\(scene.track)' is missing from tracks/."
            return
        }
        var driver = SceneDriver.keyboard
        switch scene.driver {
        case .keyboard: driver = .keyboard
        case .untrained: driver = .untrained(SeededRandom(seed: UInt64(lessonIndex * 100 + stepIndex)))
        case .centreLine: driver = .centreLine(ScriptedDriver())
        case .model:
            if let folder = modelFolder, folder.exists, let model = try? TrainedModel(folder: folder),
                model.description.settings.observationShape == [120, 160, 1]
            {
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

    private func loadReward() -> (RewardFunction?, String?) {
        let url =
            usesLearnerReward
            ? home.rewardFile : dataDirectory.root.appendingPathComponent("assets/reward_functions/\(scene.reward)")
        do {
            return (try RewardFunction(contentsOf: url), nil)
        } catch {
            return (nil, error.description)
        }
    }

    private func modificationDate(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    /// Reloads the learner's reward function when its file changed on disk.
    public func reloadRewardIfChanged() {
        let date = modificationDate(home.rewardFile)
        guard date != rewardFileDate else { return }
        rewardFileDate = date
        if sheet == .rewardEditor && !editor.isModified {
            editor = TextEditorState(text: (try? String(contentsOf: home.rewardFile, encoding: .utf8)) ?? "")
            editorError = Self.errorLine(loadLearnerReward().1)
        }
        guard usesLearnerReward else { return }
        let (function, error) = loadReward()
        driving.setReward(function, error: error)
        record(.rewardSaved(loads: function != nil))
        notice = function != nil ? "Reloaded your reward function." : "Your reward function has an error: see below."
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

    private func checkCompletion() {
        guard isStepDone, !progress.isCompleted(lesson: lesson.id, step: stepIndex) else { return }
        progress.complete(lesson: lesson.id, step: stepIndex)
        save()
    }

    private func save() {
        guard savesProgress else { return }
        do {
            try home.saveProgress(progress)
        } catch {
            notice = "Could not save your progress in \(home.url.path): \(error)"
        }
    }
}

/// Runs work that waits (on the network, on a model being raced) on a thread of its own. Not
/// GCD's global queue: on Linux it runs one item per core at a time, and URLSession's own
/// callbacks need it, so two waiting calls there could stall each other.
func inBackground(_ work: @escaping @Sendable () -> Void) {
    Thread.detachNewThread(work)
}

/// Changes to the model that background work hands back, applied on the model's own thread.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var changes: [(AppModel) -> Void] = []

    func put(_ change: @escaping (AppModel) -> Void) { lock.withLock { changes.append(change) } }

    func take() -> [(AppModel) -> Void] {
        lock.withLock {
            defer { changes = [] }
            return changes
        }
    }
}
