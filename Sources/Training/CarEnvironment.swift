import Model
import Reinforcement
import RewardScript
import Simulator

/// The car on a track as a reinforcement-learning environment: the simulator's episode rules,
/// the car's camera as the observation, the learner's Python reward function as the reward, and
/// a DeepRacer action space for the actions.
public final class CarEnvironment: Environment, @unchecked Sendable {
    public private(set) var simulation: Simulation
    public private(set) var sensors: Sensors
    public let rewardFunction: RewardFunction
    public let actionSpace: ActionSpace
    /// The last step's result.
    public private(set) var lastResult: StepResult?
    /// Reward collected this episode.
    public private(set) var episodeReward = 0.0

    public init(
        track: Track, settings: SimulationSettings, sensors: Sensors, rewardFunction: RewardFunction,
        actionSpace: ActionSpace
    ) {
        self.simulation = Simulation(track: track, settings: settings)
        self.sensors = sensors
        self.rewardFunction = rewardFunction
        self.actionSpace = actionSpace
    }

    /// Values in one observation: the camera's 120 x 160 x channels bytes, then any LIDAR values.
    public var observationSize: Int { observationShape.reduce(1, *) }
    public var observationShape: [Int] { NetworkArchitecture.observationShape(sensors: sensors.kinds) }

    /// Starts an episode and returns the first camera frame.
    public func reset() -> [UInt8] {
        simulation.reset()
        sensors.startEpisode()
        episodeReward = 0
        lastResult = nil
        return TrainingSettings.observationBytes(sensors.observe(simulation))
    }

    /// The (steering, speed) command for an agent's action.
    public func command(for action: AgentAction) -> Action { actionSpace.command(for: action) }

    /// One step: the car moves, the rules apply, and the reward function is asked for the reward
    /// (0 on steps DeepRacer does not call it on). The simulator's full result is `lastResult`.
    public func step(_ action: AgentAction) throws(RewardError) -> Transition {
        let result = simulation.step(command(for: action))
        let reward = result.callsRewardFunction ? try rewardFunction.reward(for: result.params) : 0
        episodeReward += reward
        lastResult = result
        return Transition(
            observation: TrainingSettings.observationBytes(sensors.observe(simulation)), reward: reward,
            isTerminated: result.isDone && !result.isTruncated, isTruncated: result.isTruncated)
    }

    /// Where the next training episode starts, as a fraction of the lap.
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
}
