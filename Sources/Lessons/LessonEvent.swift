/// Something that happened in the app that a task may be waiting for.
public enum LessonEvent: Sendable, Equatable {
    /// How an episode ended.
    public enum EpisodeEnd: String, Sendable { case lapComplete, offTrack, reversed, crashed, immobilized, stopped }

    /// An episode in the simulator panel ended. `byKeyboard`: the learner was driving;
    /// `cameraOnly`: the top-down view was hidden the whole time; `byModel`: the learner's own
    /// model drove (not a stand-in).
    case episodeEnded(EpisodeEnd, byKeyboard: Bool, cameraOnly: Bool, boxesPassed: Int, byModel: Bool = false)
    /// A step paid this reward.
    case stepReward(Double)
    /// An episode in the simulator panel ended; its rewards added up to this.
    case episodeReward(Double)
    case rewardMapOpened
    /// The learner's reward function was saved; `loads` is false when it raised or did not
    /// compile, `changed` whether it differs from what it was when the step opened.
    case rewardSaved(loads: Bool, changed: Bool = true)
    /// The learner's action space now has this many actions, the sharpest steering this many
    /// degrees, the fastest this many metres per second.
    case actionSpaceChanged(count: Int, maximumSteering: Double = 30, maximumSpeed: Double = 3)
    case trainingIterationFinished
    /// One evaluation trial: completion in percent, lap time in seconds when the lap was completed.
    case evaluationTrial(completion: Double, lapSeconds: Double?)
    case evaluationFinished(trials: Int)
    case modelCloned
    case archiveExported
    /// A model was made in the new-model form.
    case modelCreated(ModelCreation)
    /// A comparison of this many models was opened.
    case modelsCompared(Int)
    /// The Analysis sheet showed a run's logs.
    case analysisOpened
    /// The camera panel showed what the model looks at.
    case saliencyShown
    /// The learner's reward was tried on the recorded steps of past training.
    case rewardTriedOnPastLaps
}

/// What a new model is, for the tasks about making one.
public struct ModelCreation: Sendable, Equatable {
    public var isSAC: Bool
    public var isContinuous: Bool
    /// Object avoidance or head-to-bot rather than a time trial.
    public var isRaceType: Bool
    /// The hyperparameters that differ from the model in use when it was made, and whether
    /// anything else (track, actions, network, race type, algorithm) differs too; nil when there
    /// was no model to compare with.
    public var changedHyperparameters: Int?
    public var otherSettingsChanged: Bool

    public init(
        isSAC: Bool = false, isContinuous: Bool = false, isRaceType: Bool = false, changedHyperparameters: Int? = nil,
        otherSettingsChanged: Bool = false
    ) {
        self.isSAC = isSAC
        self.isContinuous = isContinuous
        self.isRaceType = isRaceType
        self.changedHyperparameters = changedHyperparameters
        self.otherSettingsChanged = otherSettingsChanged
    }
}

/// Watches the events of one step for its check.
///
/// `bestLapSeconds` is the learner's best evaluation lap before the step (for `beat-lap-time`).
public struct TaskTracker: Sendable, Equatable {
    public let check: LessonCheck
    public private(set) var isDone = false
    /// Real tries that ended without passing (an episode of a driving task, an evaluation of an
    /// evaluation task, a save of a reward that does not load): the app says "not yet" and shows
    /// the hint after the first. Counting tasks have none: each episode or iteration is progress.
    public private(set) var failedTries = 0
    private var episodes = 0
    private var iterations = 0
    private let bestLapSeconds: Double?

    public init(check: LessonCheck, bestLapSeconds: Double? = nil) {
        self.check = check
        self.bestLapSeconds = bestLapSeconds
    }

    /// Takes one event; returns true when this event completed the task.
    @discardableResult
    public mutating func record(_ event: LessonEvent) -> Bool {
        guard !isDone else { return false }
        let passed = passes(event)
        if passed {
            isDone = true
        } else if isAttempt(event) {
            failedTries += 1
        }
        return passed
    }

    /// For a task that counts (episodes, training iterations): how many so far, of how many.
    public var count: (done: Int, of: Int)? {
        switch check {
        case .episodes(let count): (min(episodes, count), count)
        case .trainIterations(let count): (min(iterations, count), count)
        default: nil
        }
    }

    /// Whether `event` is a try at this task (one that did not pass it is a failed try). Episodes
    /// the learner stopped (R) are no try, and nothing else happening in the app is: a scene's
    /// car driving off while the learner reads a training step is not the learner failing.
    private func isAttempt(_ event: LessonEvent) -> Bool {
        switch (check, event) {
        case (.completeLap, .episodeEnded(let end, _, _, _, _)), (.goOffTrack, .episodeEnded(let end, _, _, _, _)),
            (.reverse, .episodeEnded(let end, _, _, _, _)), (.cameraOnlyLap, .episodeEnded(let end, _, _, _, _)),
            (.crash, .episodeEnded(let end, _, _, _, _)):
            end != .stopped
        // Passing boxes is the learner's or their model's job; a stand-in crashing is no try.
        case (.passBoxes, .episodeEnded(let end, let keyboard, _, _, let model)): end != .stopped && (keyboard || model)
        case (.modelLap, .episodeEnded(let end, _, _, _, true)): end != .stopped
        case (.evaluationAtLeast, .evaluationFinished), (.evaluateTrials, .evaluationFinished),
            (.beatLapTime, .evaluationFinished):
            true
        case (.saveReward, .rewardSaved(loads: false, _)): true
        case (.episodeRewardAtLeast, .episodeReward): true
        case (.createSACModel, .modelCreated), (.createRaceModel, .modelCreated),
            (.changeOneHyperparameter, .modelCreated):
            true
        default: false
        }
    }

    private mutating func passes(_ event: LessonEvent) -> Bool {
        switch (check, event) {
        case (.completeLap, .episodeEnded(.lapComplete, _, _, _, _)): return true
        case (.modelLap, .episodeEnded(.lapComplete, _, _, _, true)): return true
        case (.goOffTrack, .episodeEnded(.offTrack, _, _, _, _)): return true
        case (.reverse, .episodeEnded(.reversed, _, _, _, _)): return true
        case (.crash, .episodeEnded(.crashed, _, _, _, _)): return true
        case (.episodes(let count), .episodeEnded):
            episodes += 1
            return episodes >= count
        case (.cameraOnlyLap, .episodeEnded(.lapComplete, true, true, _, _)): return true
        case (.rewardAtLeast(let minimum), .stepReward(let reward)): return reward >= minimum
        case (.openRewardMap, .rewardMapOpened): return true
        case (.saveReward, .rewardSaved(loads: true, changed: true)): return true
        case (.actionsAtMost(let maximum), .actionSpaceChanged(let count, _, _)): return count <= maximum
        case (.steeringAtMost(let maximum), .actionSpaceChanged(_, let steering, _)): return steering <= maximum
        case (.speedAtLeast(let minimum), .actionSpaceChanged(_, _, let speed)): return speed >= minimum
        case (.createModel, .modelCreated): return true
        case (.createSACModel, .modelCreated(let model)): return model.isSAC && model.isContinuous
        case (.createRaceModel, .modelCreated(let model)): return model.isRaceType
        case (.changeOneHyperparameter, .modelCreated(let model)):
            return model.changedHyperparameters == 1 && !model.otherSettingsChanged
        case (.compareModels(let minimum), .modelsCompared(let count)): return count >= minimum
        case (.episodeRewardAtLeast(let minimum), .episodeReward(let total)): return total >= minimum
        case (.openAnalysis, .analysisOpened): return true
        case (.explainFrame, .saliencyShown): return true
        case (.tryRewardOnPastLaps, .rewardTriedOnPastLaps): return true
        case (.trainIterations(let count), .trainingIterationFinished):
            iterations += 1
            return iterations >= count
        case (.evaluationAtLeast(let minimum), .evaluationTrial(let completion, _)): return completion >= minimum
        case (.evaluateTrials(let minimum), .evaluationFinished(let trials)): return trials >= minimum
        case (.cloneModel, .modelCloned): return true
        case (.beatLapTime, .evaluationTrial(_, .some(let seconds))):
            guard let best = bestLapSeconds else { return true }
            return seconds < best
        case (.passBoxes(let count), .episodeEnded(_, _, _, let passed, _)): return passed >= count
        case (.exportArchive, .archiveExported): return true
        default: return false
        }
    }
}
