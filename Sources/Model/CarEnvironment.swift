import NeuralNetwork
import Reinforcement
import Simulator

/// What a step of the car earns: in training, the learner's Python reward function (Training
/// makes RewardScript's `RewardFunction` one); in a race or an evaluation, nothing (`NoReward`).
public protocol CarReward {
    /// What asking for a reward may fail with.
    associatedtype Failure: Error
    func reward(for params: RewardParams) throws(Failure) -> Double
}

/// No reward: races and evaluations score laps, not steps. `Failure` is what the policy driving
/// the car may fail with (an imported graph's inference error), so one episode loop serves both.
public struct NoReward<Failure: Error>: CarReward {
    public init() {}
    public func reward(for params: RewardParams) throws(Failure) -> Double { 0 }
}

/// The car on a track as a reinforcement-learning environment: the simulator's episode rules,
/// the car's sensors as the observation, `Reward` as the reward, and a DeepRacer action space
/// for the actions. Training, evaluation, the app's Evaluate and the workshop's races all drive
/// the car through it (`runEpisode`).
public final class CarEnvironment<Reward: CarReward>: Environment {
    public typealias Failure = Reward.Failure

    public private(set) var simulation: Simulation
    public private(set) var sensors: Sensors
    public let reward: Reward
    public let actionSpace: ActionSpace
    /// The last step's result.
    public private(set) var lastResult: StepResult?
    /// Reward collected this episode.
    public private(set) var episodeReward = 0.0

    public init(
        track: Track, settings: SimulationSettings, sensors: Sensors, reward: Reward, actionSpace: ActionSpace
    ) {
        self.simulation = Simulation(track: track, settings: settings)
        self.sensors = sensors
        self.reward = reward
        self.actionSpace = actionSpace
    }

    /// Values in one observation: the camera's 120 x 160 x channels bytes, then any LIDAR values.
    public var observationSize: Int { observationShape.reduce(1, *) }
    public var observationShape: [Int] { NetworkArchitecture.observationShape(sensors: sensors.kinds) }

    /// Starts an episode and returns the first observation.
    public func reset() -> [UInt8] {
        simulation.reset()
        sensors.startEpisode()
        episodeReward = 0
        lastResult = nil
        return TrainingSettings.observationBytes(sensors.observe(simulation))
    }

    /// The (steering, speed) command for an agent's action.
    public func command(for action: AgentAction) -> Action { actionSpace.command(for: action) }

    /// One step: the car moves, the rules apply, and the reward is asked for (0 on steps
    /// DeepRacer does not call the reward function on). The simulator's full result is `lastResult`.
    public func step(_ action: AgentAction) throws(Failure) -> Transition {
        let result = simulation.step(command(for: action))
        let reward = result.callsRewardFunction ? try reward.reward(for: result.params) : 0
        episodeReward += reward
        lastResult = result
        return Transition(
            observation: TrainingSettings.observationBytes(sensors.observe(simulation)), reward: reward,
            isTerminated: result.isDone && !result.isTruncated, isTruncated: result.isTruncated)
    }

    /// Where the next episode starts, as a fraction of the lap.
    public var startFraction: Double { simulation.startFraction }

    /// Makes the next episode start `fraction` of the lap from waypoint 0 (evaluation episodes
    /// start where training currently starts).
    public func moveStart(to fraction: Double) {
        simulation.moveStart(to: fraction)
    }

    /// Counts an episode as already run, so the next reset moves the round-robin start on.
    public func markStarted() {
        simulation.markEpisodeStarted()
    }

    /// How an episode ended: its summary, and where it stopped (to bootstrap from).
    public struct Episode {
        public var summary: EpisodeSummary
        public var lastObservation: [UInt8]
        public var lastResult: StepResult
    }

    /// One episode, the one rollout loop PPO, SAC, evaluation and races all drive the car
    /// through: reset, then each step the policy's action (`act`, given the network's input),
    /// the car's step, and `observe` (the observation acted on, the action, what followed).
    /// Returns nil as soon as `shouldStop` says so.
    ///
    /// - Throws: the reward's or the policy's error, which ends the episode. No action is made up.
    public func runEpisode(
        act: (Tensor) throws(Failure) -> AgentAction,
        observe: (_ observation: [UInt8], _ action: AgentAction, _ step: Transition, _ result: StepResult) -> Void = {
            _, _, _, _ in
        },
        shouldStop: () -> Bool = { false }
    ) throws(Failure) -> Episode? {
        let shape = observationShape
        var observation = reset()
        let startTime = simulation.simulatedTime
        var result: StepResult
        repeat {
            let action = try act(Tensor(observation: observation, shape: shape))
            let step = try step(action)
            guard let stepResult = lastResult else { preconditionFailure("a step sets lastResult") }
            observe(observation, action, step, stepResult)
            observation = step.observation
            result = stepResult
            if shouldStop() { return nil }
        } while !result.isDone
        let summary = EpisodeSummary(
            reward: episodeReward, completion: min(max(result.params.progress, 0), 100),
            steps: result.params.steps, status: result.status, startTime: startTime,
            endTime: simulation.simulatedTime)
        return Episode(summary: summary, lastObservation: observation, lastResult: result)
    }
}
