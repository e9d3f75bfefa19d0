import Foundation
import NeuralNetwork
import Reinforcement
import Simulator

/// A model loaded from its folder to drive: its networks with the best checkpoint's weights.
public final class TrainedModel: CarPolicy {
    public let folder: ModelFolder
    public let description: ModelDescription
    public let learner: Learner

    /// Loads the best checkpoint (or, with `iteration`, that iteration's).
    public init(folder: ModelFolder, iteration: Int? = nil) throws {
        self.folder = folder
        description = try folder.readDescription()
        var random = NetworkRandom(seed: description.settings.seed)
        learner = Learner.make(settings: description.settings, random: &random)
        let file = iteration.map { folder.checkpointFile(iteration: $0) } ?? folder.bestCheckpointFile
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ModelError.damaged(path: file.path, reason: "the model has no trained weights yet; train it first")
        }
        try NetworkFile.load(try folder.readCheckpoint(file), into: learner.parameters, source: file.path)
    }

    /// The network's outputs for a batch of frames `(batch, 120, 160, channels)`, values 0 ... 255:
    /// action probabilities (discrete) or the means in the [-1, 1] box (continuous).
    public func outputs(_ frames: Tensor) -> Tensor {
        learner.outputs(frames)
    }

    public var settings: TrainingSettings { description.settings }
    public var name: String { folder.name }

    /// The greedy action: the most likely one, or the mean of the continuous distribution.
    public func act(_ observation: Tensor) -> AgentAction {
        var random = NetworkRandom(seed: description.settings.seed)
        return learner.act(observation, random: &random, greedy: true)
    }

    /// PPO's value network on one observation: the return it expects from here. SAC's critics
    /// value an action as well as a state, so a SAC model shows none.
    public func stateValue(_ observation: Tensor) -> Double? {
        guard case .ppo(let agent) = learner else { return nil }
        return agent.value.forward(observation).values.first.map(Double.init)
    }

    /// Evaluation trials for any learner (a model being trained, or one loaded).
    public static func evaluate(
        learner: Learner, settings: TrainingSettings, track: Track, trials: Int, raceType: RaceType,
        maximumSteps: Int = 10_000, seed: UInt64 = 0,
        onStep: (Int, StepResult, AgentAction) -> Void = { _, _, _ in }
    ) -> [TrialResult] {
        var random = NetworkRandom(seed: settings.seed)
        return evaluate(
            settings: settings, track: track, trials: trials, raceType: raceType, maximumSteps: maximumSteps,
            seed: seed, act: { learner.act($0, random: &random, greedy: true) }, onStep: onStep)
    }

    /// Evaluation trials for any policy, driven through `CarEnvironment` (the rollout loop
    /// training uses): `act` turns one observation `(1, ...observationShape)` into an action (an
    /// index, or a vector in the [-1, 1] box). An error from `act` stops the evaluation with that
    /// error.
    public static func evaluate<Failure: Error>(
        settings: TrainingSettings, track: Track, trials: Int, raceType: RaceType, maximumSteps: Int = 10_000,
        seed: UInt64 = 0, act: (Tensor) throws(Failure) -> AgentAction,
        onStep: (Int, StepResult, AgentAction) -> Void = { _, _, _ in }
    ) throws(Failure) -> [TrialResult] {
        var simulationSettings = SimulationSettings.evaluation(raceType: raceType)
        simulationSettings.maximumSteps = maximumSteps
        simulationSettings.seed = seed
        let environment = CarEnvironment(
            track: track, settings: Evaluation.trialSettings(simulationSettings),
            sensors: Sensors(kinds: settings.sensors, track: track), reward: NoReward<Failure>(),
            actionSpace: settings.actionSpace)
        var results: [TrialResult] = []
        for trial in 1...max(trials, 1) {
            guard
                let episode = try environment.runEpisode(
                    act: act, observe: { _, action, _, result in onStep(trial, result, action) })
            else { preconditionFailure("an evaluation trial is never stopped early") }
            results.append(TrialResult(trial: trial, last: episode.lastResult, simulation: environment.simulation))
        }
        return results
    }
}
