import Foundation
import Lessons
import Simulator

/// A stand-in learner who works through lesson steps with the app's own keys, buttons and
/// editor, as a person would: `paddock bench journey` uses it to time the lessons and to show
/// that each step can be done (no dead ends). It answers quizzes from the lesson file, so it
/// measures the doing, not the thinking.
@MainActor public struct ScriptedLearner {
    /// What doing one step took.
    public struct StepRecord: Sendable {
        public var lesson: Int
        public var step: Int
        public var title: String
        /// Words to read on the step (text, code and the quiz).
        public var words: Int
        /// Seconds at 1x in the simulator panel (driving, watching).
        public var simulatedSeconds: Double
        /// Seconds spent waiting for training or an evaluation, on this machine.
        public var waitSeconds: Double
        /// Whether the step counted as done and Next moved on.
        public var done: Bool
    }

    let model: AppModel
    /// Gives up on a step after this many simulated seconds (a dead end).
    public var patience: Double = 600

    public init(model: AppModel) {
        self.model = model
    }

    /// Does the current step and presses Next.
    public func doStep() -> StepRecord {
        let (lesson, step) = (model.lessonIndex, model.stepIndex)
        var record = StepRecord(
            lesson: lesson, step: step, title: model.currentStep?.title ?? "", words: words(), simulatedSeconds: 0,
            waitSeconds: 0, done: false)
        if let quiz = model.currentStep?.quiz { model.answer(quiz.correctIndex) }
        if let check = model.currentStep?.task?.check { act(on: check, record: &record) }
        record.done = model.isStepDone
        if record.done {
            model.next()
        }
        return record
    }

    /// The step's words: what a learner reads before acting.
    func words() -> Int {
        guard let step = model.currentStep else { return 0 }
        var text = step.title
        for block in step.blocks {
            switch block {
            case .paragraph(let runs): text += " " + runs.map(\.text).joined()
            case .bulletList(let items), .numberedList(let items):
                text += " " + items.map { $0.map(\.text).joined() }.joined(separator: " ")
            case .code(let code): text += " " + code
            }
        }
        if let quiz = step.quiz { text += " " + quiz.question + " " + quiz.choices.joined(separator: " ") }
        return text.split(whereSeparator: { $0.isWhitespace }).count
    }

    // MARK: Doing a task

    func act(on check: LessonCheck, record: inout StepRecord) {
        switch check {
        case .completeLap, .cameraOnlyLap:
            drive(record: &record) { $0.pilot() }
        case .goOffTrack:
            drive(record: &record) { learner in
                learner.model.key(.up, pressed: true)
                learner.model.key(.right, pressed: true)
            }
        case .reverse:
            var phase = 0
            let startHeading = model.driving.simulation.car.heading
            drive(record: &record) { learner in learner.turnRound(phase: &phase, startHeading: startHeading) }
        case .episodes, .rewardAtLeast:
            drive(record: &record) { $0.pilot() }
        case .episodeRewardAtLeast:
            // The slow lap that a per-step progress reward overpays.
            drive(record: &record) { $0.pilot(speed: 0.6) }
        case .crash:
            drive(record: &record) { learner in learner.pilot(speed: 0.8, offset: learner.nextObject()?.offset ?? 0) }
        case .passBoxes:
            if model.driving.isKeyboard {
                drive(record: &record) { $0.dodge() }
            } else {
                trainUntil(record: &record) { learner, record in learner.drive(record: &record, seconds: 60) { _ in } }
            }
        case .steeringAtMost(let degrees):
            for action in model.actions where abs(action.steeringAngle) > degrees {
                if let index = model.actions.firstIndex(of: action) { model.removeAction(at: index) }
            }
        case .actionsAtMost(let count):
            while model.actions.count > max(count, 2) { model.removeAction(at: model.actions.count - 1) }
        case .openRewardMap:
            model.key(.rewardMap, pressed: true)
        case .saveReward:
            saveStepCode()
        case .trainIterations(let count):
            if !model.snapshot.isTraining { model.key(.train, pressed: true) }
            wait(record: &record) { $0.model.isStepDone || ($0.model.tracker?.count?.done ?? 0) >= count }
        case .modelLap:
            // Watch the model for a minute; train three more iterations if it did not lap.
            trainUntil(record: &record) { learner, record in learner.drive(record: &record, seconds: 60) { _ in } }
        case .evaluateTrials:
            evaluate(record: &record)
        case .evaluationAtLeast, .beatLapTime:
            trainUntil(record: &record) { learner, record in learner.evaluate(record: &record) }
        case .cloneModel: model.cloneModel()
        case .exportArchive:
            model.exportArchive()
            wait(record: &record) { $0.model.isStepDone }
        case .speedAtLeast(let speed):
            model.adjustNewAction(steering: -12)
            model.adjustNewAction(steering: 6, speed: Int(((speed - model.newAction.speed) * 10).rounded()))
            model.addAction()
        case .createModel:
            createModel { _ in }
        case .createSACModel:
            createModel { form in
                while form.value(.algorithm) != "SAC" { form.step(.algorithm, by: 1) }
            }
        case .createRaceModel:
            let wanted = model.scene.raceType == .headToBot ? "head-to-bot" : "object avoidance"
            createModel { form in
                while form.value(.raceType) != wanted { form.step(.raceType, by: 1) }
            }
        case .changeOneHyperparameter:
            createModel { $0.step(.discount, by: -1) }
        case .compareModels(let count):
            model.openGarage()
            for entry in model.garage.prefix(count) where !model.compareSelection.contains(entry.name) {
                model.toggleCompare(entry.name)
            }
            model.openComparison()
            model.closeSheet()
            model.closeSheet()
        case .openAnalysis:
            model.openAnalysis()
            model.waitForJobs { $0.analysis?.isReading == false }
            model.closeSheet()
        case .explainFrame:
            if !model.showsSaliency { model.toggleSaliency() }
            model.waitForJobs { $0.saliency != nil || !$0.showsSaliency }
        case .tryRewardOnPastLaps:
            model.openAnalysis()
            model.waitForJobs { $0.analysis?.isReading == false }
            model.tryRewardOnPastLaps()
            model.waitForJobs { $0.analysis?.isScoring == false }
            model.closeSheet()
        }
        for key in [AppKey.up, .down, .left, .right] { model.key(key, pressed: false) }
    }

    /// Does `attempt` until the step is done, training three more iterations after each miss.
    func trainUntil(record: inout StepRecord, attempt: (ScriptedLearner, inout StepRecord) -> Void) {
        for _ in 0..<10 {
            stopTraining(record: &record)
            model.go(lesson: model.lessonIndex, step: model.stepIndex)
            attempt(self, &record)
            if model.isStepDone { return }
            let before = model.snapshot.iterationsFinished
            model.key(.train, pressed: true)
            wait(record: &record) { $0.model.snapshot.iterationsFinished >= before + 3 }
        }
        stopTraining(record: &record)
    }

    func evaluate(record: inout StepRecord) {
        stopTraining(record: &record)
        model.evaluate()
        wait(record: &record) { !$0.model.training.isBusy }
    }

    /// Makes a new model in the form, changed by `change`, and lets it train.
    func createModel(_ change: (inout ModelForm) -> Void) {
        model.openNewModel()
        change(&model.form)
        model.createModel()
    }

    /// The next box or bot car ahead: its offset from the centre line (left positive) and how
    /// far ahead it is, metres.
    func nextObject() -> (offset: Double, distance: Double)? {
        let track = model.driving.track
        let here = track.project(model.driving.simulation.car.referencePoint).distanceAlong
        return model.driving.simulation.objects.map { object -> (Double, Double) in
            let projection = track.project(object.position)
            let ahead = (projection.distanceAlong - here + track.length).truncatingRemainder(dividingBy: track.length)
            return (projection.isLeftOfCentre ? projection.distanceFromCentre : -projection.distanceFromCentre, ahead)
        }.min { $0.1 < $1.1 }
    }

    /// Drives round the boxes and bot cars, in the other lane from each.
    func dodge() {
        let offset = nextObject().map { $0.distance < 1.5 ? ($0.offset > 0 ? -0.25 : 0.25) : 0 } ?? 0
        pilot(speed: 0.8, offset: offset)
    }

    func stopTraining(record: inout StepRecord) {
        if model.snapshot.isTraining { model.stopTraining() }
        wait(record: &record) { !$0.model.training.isBusy }
    }

    /// Runs the simulator panel a step at a time, with `hands` before each, until the step is done.
    func drive(record: inout StepRecord, seconds: Double? = nil, hands: (ScriptedLearner) -> Void) {
        var elapsed = 0.0
        let limit = seconds ?? patience
        while !model.isStepDone && elapsed < limit {
            hands(self)
            model.tick(seconds: CarGeometry.stepDuration)
            elapsed += CarGeometry.stepDuration
        }
        record.simulatedSeconds += elapsed
    }

    /// Waits in real time, the window's frames ticking, until `done`.
    func wait(record: inout StepRecord, until done: (ScriptedLearner) -> Bool) {
        let start = Date()
        while !done(self) && Date().timeIntervalSince(start) < patience {
            model.tick(seconds: 1.0 / 60)
            Thread.sleep(forTimeInterval: 1.0 / 60)
        }
        model.tick(seconds: 1.0 / 60)
        record.waitSeconds += Date().timeIntervalSince(start)
    }

    /// The arrow keys a steady driver presses to follow the centre line at about `speed`.
    func pilot(on track: Track? = nil, speed: Double = 1.2, offset: Double = 0) {
        let car = model.driving.simulation.car
        let driver = ScriptedDriver(lookahead: 0.5, topSpeed: speed, cornerSpeed: speed, lateralOffset: offset)
        let steering = driver.action(for: car, on: track ?? model.driving.track).steeringAngle
        model.key(.left, pressed: steering > 4)
        model.key(.right, pressed: steering < -4)
        model.key(.up, pressed: model.driving.keyboard.speed < speed)
        model.key(.down, pressed: model.driving.keyboard.speed > speed + 0.3)
    }

    /// Over to the right-hand border, a slow U-turn to the left, then the track backwards.
    func turnRound(phase: inout Int, startHeading: Double) {
        let car = model.driving.simulation.car
        let track = model.driving.track
        switch phase {
        case 0:
            pilot(speed: 0.6, offset: -0.5)
            if abs(track.project(car.referencePoint).distanceFromCentre) > 0.42 { phase = 1 }
        case 1:
            model.key(.left, pressed: true)
            model.key(.right, pressed: false)
            model.key(.up, pressed: model.driving.keyboard.speed < 0.25)
            model.key(.down, pressed: model.driving.keyboard.speed > 0.3)
            if abs(CarDynamics.wrapAngle(car.heading - startHeading)) > 2.8 { phase = 2 }
        default:
            pilot(on: track.reversed(), speed: 0.5)
        }
        if model.driving.endedEpisode != nil && !model.isStepDone { phase = 0 }
    }

    /// Puts the step's code into the reward editor as the lesson says (select all, paste, save):
    /// the racing line's function where the step shows the line, and two lines that replace the
    /// function's last line where the code is not a whole function.
    func saveStepCode() {
        let code = model.currentStep?.blocks.compactMap { block -> String? in
            if case .code(let text) = block { return text }
            return nil
        }.first
        model.openRewardEditor()
        if model.overlays.contains(.racingLine) {
            model.copyRacingLineReward()
        } else if let code, code.contains("def reward_function") {
            model.copyToClipboard(code)
        } else if let code {
            var lines = model.editor.lines
            if let last = lines.lastIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("return") }) {
                lines.replaceSubrange(last...last, with: code.split(separator: "\n").map(String.init))
            }
            model.copyToClipboard(lines.joined(separator: "\n"))
        } else {
            model.copyToClipboard(model.editor.text + "\n# changed by the learner\n")
        }
        model.key(.selectAll, pressed: true)
        model.key(.paste, pressed: true)
        model.key(.save, pressed: true)
        model.closeSheet()
    }
}
