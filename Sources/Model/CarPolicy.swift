import NeuralNetwork
import Reinforcement
import Simulator

/// Something that drives the car from what it sees: a model trained here (`TrainedModel`) or a
/// graph imported from a car archive (`ImportedModel`, in CarExport). `paddock evaluate`, the
/// app's evaluation and the workshop's races all drive through it.
public protocol CarPolicy: AnyObject {
    /// The model's name, for the learner.
    var name: String { get }
    /// What the policy was made with: its sensors (what it sees), its action space, its network.
    var settings: TrainingSettings { get }

    /// The action for one observation `(1, ...settings.observationShape)`, chosen greedily.
    ///
    /// - Throws: an inference error. Never a made-up action.
    func act(_ observation: Tensor) throws -> AgentAction

    /// What the model's critic expects to earn from this observation on (PPO's value: the
    /// discounted sum of the rewards to come), or nil when it has none to show.
    func stateValue(_ observation: Tensor) -> Double?
}

extension CarPolicy {
    public func stateValue(_ observation: Tensor) -> Double? { nil }

    /// Evaluation trials as DeepRacer runs them (docs/deepracer-compat.md §5), the policy choosing
    /// each action from the car's sensors. `onStep` gets each step with its trial number (for the
    /// simtrace log). `seed` draws the car's noise: the same seed drives the same laps.
    ///
    /// - Throws: the first inference error, which ends the evaluation.
    public func evaluate(
        track: Track, trials: Int, raceType: RaceType, maximumSteps: Int = 10_000, seed: UInt64 = 0,
        onStep: (Int, StepResult, AgentAction) -> Void = { _, _, _ in }
    ) throws -> [TrialResult] {
        try TrainedModel.evaluate(
            settings: settings, track: track, trials: trials, raceType: raceType, maximumSteps: maximumSteps,
            seed: seed, act: act, onStep: onStep)
    }
}
