/// What a task watches for (docs/lessons-format.md lists each with when it passes).
public enum LessonCheck: Sendable, Equatable {
    case completeLap
    /// A lap completed by the learner's own trained model (not the stand-in driver).
    case modelLap
    case goOffTrack
    case reverse
    /// An episode ended by hitting a box or another car.
    case crash
    case episodes(Int)
    case cameraOnlyLap
    case rewardAtLeast(Double)
    case openRewardMap
    case saveReward
    case actionsAtMost(Int)
    /// No action steers more than this many degrees.
    case steeringAtMost(Double)
    case trainIterations(Int)
    case evaluationAtLeast(Double)
    case evaluateTrials(Int)
    case cloneModel
    case beatLapTime
    case passBoxes(Int)
    case exportArchive
    /// The learner's action space has an action this fast (metres per second) or faster.
    case speedAtLeast(Double)
    /// A new model was made in the new-model form.
    case createModel
    /// A new model with continuous actions trained by SAC.
    case createSACModel
    /// A new model for object avoidance or head-to-bot races.
    case createRaceModel
    /// A new model whose settings differ from the model in use before in exactly one
    /// hyperparameter (and nothing else).
    case changeOneHyperparameter
    /// A comparison of at least this many models was opened.
    case compareModels(Int)
    /// An episode in the simulator panel ended with its rewards adding up to at least this.
    case episodeRewardAtLeast(Double)
    /// The Analysis sheet was opened on a model's (or a log folder's) training logs.
    case openAnalysis
    /// "What the model looks at" was shown over the camera panel.
    case explainFrame
    /// The learner's reward function was tried on the recorded steps of past training.
    case tryRewardOnPastLaps

    /// The names used in lesson files, with whether each takes a number.
    static let names: [(name: String, takesNumber: Bool)] = [
        ("complete-lap", false), ("model-lap", false), ("go-off-track", false), ("reverse", false), ("crash", false),
        ("episodes", true), ("steering-at-most", true),
        ("camera-only-lap", false), ("reward-at-least", true), ("open-reward-map", false), ("save-reward", false),
        ("actions-at-most", true), ("train-iterations", true), ("evaluation-at-least", true),
        ("evaluate-trials", true), ("clone-model", false), ("beat-lap-time", false), ("pass-boxes", true),
        ("export-archive", false), ("speed-at-least", true), ("create-model", false), ("create-sac-model", false),
        ("create-race-model", false), ("change-one-hyperparameter", false), ("compare-models", true),
        ("episode-reward-at-least", true), ("open-analysis", false), ("explain-frame", false),
        ("try-reward-on-past-laps", false),
    ]

    /// Parses `complete-lap` or `episodes 3`; nil with a reason when it is not a known check.
    static func parse(_ text: String) -> Result<LessonCheck, LessonCheckParseError> {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first, let known = names.first(where: { $0.name == name }) else {
            return .failure(.unknown(text))
        }
        var number: Double?
        if known.takesNumber {
            guard words.count == 2, let value = Double(words[1]), value >= 0 else {
                return .failure(.needsNumber(name))
            }
            number = value
        } else if words.count != 1 {
            return .failure(.takesNoNumber(name))
        }
        let count = Int(number ?? 0)
        switch name {
        case "complete-lap": return .success(.completeLap)
        case "model-lap": return .success(.modelLap)
        case "go-off-track": return .success(.goOffTrack)
        case "reverse": return .success(.reverse)
        case "crash": return .success(.crash)
        case "steering-at-most": return .success(.steeringAtMost(number ?? 0))
        case "episodes": return .success(.episodes(max(count, 1)))
        case "camera-only-lap": return .success(.cameraOnlyLap)
        case "reward-at-least": return .success(.rewardAtLeast(number ?? 0))
        case "open-reward-map": return .success(.openRewardMap)
        case "save-reward": return .success(.saveReward)
        case "actions-at-most": return .success(.actionsAtMost(max(count, 1)))
        case "train-iterations": return .success(.trainIterations(max(count, 1)))
        case "evaluation-at-least": return .success(.evaluationAtLeast(number ?? 0))
        case "evaluate-trials": return .success(.evaluateTrials(max(count, 1)))
        case "clone-model": return .success(.cloneModel)
        case "beat-lap-time": return .success(.beatLapTime)
        case "pass-boxes": return .success(.passBoxes(max(count, 1)))
        case "speed-at-least": return .success(.speedAtLeast(number ?? 0))
        case "create-model": return .success(.createModel)
        case "create-sac-model": return .success(.createSACModel)
        case "create-race-model": return .success(.createRaceModel)
        case "change-one-hyperparameter": return .success(.changeOneHyperparameter)
        case "compare-models": return .success(.compareModels(max(count, 2)))
        case "episode-reward-at-least": return .success(.episodeRewardAtLeast(number ?? 0))
        case "open-analysis": return .success(.openAnalysis)
        case "explain-frame": return .success(.explainFrame)
        case "try-reward-on-past-laps": return .success(.tryRewardOnPastLaps)
        default: return .success(.exportArchive)
        }
    }
}

enum LessonCheckParseError: Error {
    case unknown(String)
    case needsNumber(String)
    case takesNoNumber(String)

    var message: String {
        let known = LessonCheck.names.map { $0.takesNumber ? "\($0.name) N" : $0.name }.joined(separator: ", ")
        switch self {
        case .unknown(let text): return "unknown check '\(text)'; use one of: \(known)"
        case .needsNumber(let name): return "check '\(name)' needs a number after it, as in '\(name) 3'"
        case .takesNoNumber(let name): return "check '\(name)' takes nothing after its name"
        }
    }
}
