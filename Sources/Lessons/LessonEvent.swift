/// Something that happened in the app that a task may be waiting for.
public enum LessonEvent: Sendable, Equatable {
    /// How an episode ended.
    public enum EpisodeEnd: String, Sendable { case lapComplete, offTrack, reversed, crashed, immobilized, stopped }

    /// An episode in the simulator panel ended. `byKeyboard`: the learner was driving;
    /// `cameraOnly`: the top-down view was hidden the whole time.
    case episodeEnded(EpisodeEnd, byKeyboard: Bool, cameraOnly: Bool, boxesPassed: Int)
    /// A step paid this reward.
    case stepReward(Double)
    case rewardMapOpened
    /// The learner's reward function was saved; `loads` is false when it raised or did not compile.
    case rewardSaved(loads: Bool)
    /// The learner's action space now has this many actions.
    case actionSpaceChanged(count: Int)
    case trainingIterationFinished
    /// One evaluation trial: completion in percent, lap time in seconds when the lap was completed.
    case evaluationTrial(completion: Double, lapSeconds: Double?)
    case evaluationFinished(trials: Int)
    case modelCloned
    case archiveExported
}

/// Watches the events of one step for its check.
///
/// `bestLapSeconds` is the learner's best evaluation lap before the step (for `beat-lap-time`).
public struct TaskTracker: Sendable, Equatable {
    public let check: LessonCheck
    public private(set) var isDone = false
    /// Tries that ended without passing (an episode or evaluation that did not do it): the app
    /// shows the hint after the first.
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
        } else if case .episodeEnded = event {
            failedTries += 1
        } else if case .evaluationFinished = event {
            failedTries += 1
        } else if case .rewardSaved(loads: false) = event {
            failedTries += 1
        }
        return passed
    }

    private mutating func passes(_ event: LessonEvent) -> Bool {
        switch (check, event) {
        case (.completeLap, .episodeEnded(.lapComplete, _, _, _)): return true
        case (.goOffTrack, .episodeEnded(.offTrack, _, _, _)): return true
        case (.reverse, .episodeEnded(.reversed, _, _, _)): return true
        case (.episodes(let count), .episodeEnded):
            episodes += 1
            return episodes >= count
        case (.cameraOnlyLap, .episodeEnded(.lapComplete, true, true, _)): return true
        case (.rewardAtLeast(let minimum), .stepReward(let reward)): return reward >= minimum
        case (.openRewardMap, .rewardMapOpened): return true
        case (.saveReward, .rewardSaved(loads: true)): return true
        case (.actionsAtMost(let maximum), .actionSpaceChanged(let count)): return count <= maximum
        case (.trainIterations(let count), .trainingIterationFinished):
            iterations += 1
            return iterations >= count
        case (.evaluationAtLeast(let minimum), .evaluationTrial(let completion, _)): return completion >= minimum
        case (.evaluateTrials(let minimum), .evaluationFinished(let trials)): return trials >= minimum
        case (.cloneModel, .modelCloned): return true
        case (.beatLapTime, .evaluationTrial(_, .some(let seconds))):
            guard let best = bestLapSeconds else { return true }
            return seconds < best
        case (.passBoxes(let count), .episodeEnded(_, _, _, let passed)): return passed >= count
        case (.exportArchive, .archiveExported): return true
        default: return false
        }
    }
}
