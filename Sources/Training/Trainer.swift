import NeuralNetwork
import Reinforcement
import RewardScript
import Simulator

/// A training run's engine: gathers episodes with the current policy, updates it with PPO, and
/// evaluates it, one iteration at a time.
///
/// Each iteration runs `num_episodes_between_training` training episodes (round-robin starts, as
/// DeepRacer), updates the policy on their experience, then drives `evaluationEpisodes` episodes
/// greedily from the current start to score it. Files and clocks are the caller's business.
public final class Trainer: @unchecked Sendable {
    public let settings: TrainingSettings
    public let track: Track
    public let agent: PPOAgent
    let environment: CarEnvironment
    let evaluationEnvironment: CarEnvironment
    var random: NetworkRandom
    /// Iterations completed.
    public private(set) var iteration = 0
    /// Training episodes completed.
    public private(set) var episodeCount = 0

    /// What one iteration did.
    public struct IterationReport: Sendable {
        public var iteration: Int
        public var training: [EpisodeSummary]
        public var evaluation: [EpisodeSummary]
        public var update: PPOAgent.UpdateStatistics
        public var steps: Int

        public var meanTrainingReward: Double { training.map(\.reward).reduce(0, +) / Double(max(training.count, 1)) }
        public var meanTrainingCompletion: Double {
            training.map(\.completion).reduce(0, +) / Double(max(training.count, 1))
        }
        public var meanEvaluationCompletion: Double {
            evaluation.map(\.completion).reduce(0, +) / Double(max(evaluation.count, 1))
        }
    }

    /// A training step as it happened, for simtrace logs and live views.
    public struct StepRecord: Sendable {
        public var episode: Int
        public var result: StepResult
        public var reward: Double
        public var action: AgentAction
    }

    public init(track: Track, settings: TrainingSettings, rewardFunction: RewardFunction) {
        // One thread: OpenBLAS's threads only wait on each other at these small sizes, and the
        // same thread count gives the same results run to run.
        MatrixMath.setThreadCount(1)
        self.settings = settings
        self.track = track
        var random = NetworkRandom(seed: settings.seed)
        let channels = settings.sensors.contains(.stereoCameras) ? 2 : 1
        let outputs = settings.actionSpace.outputCount
        let policy = settings.network.network(prefix: "policy", channels: channels, outputs: outputs, random: &random)
        let value = settings.network.network(prefix: "value", channels: channels, outputs: 1, random: &random)
        agent = PPOAgent(
            policy: policy, value: value, outputCount: outputs, isContinuous: settings.actionSpace.isContinuous,
            hyperparameters: settings.hyperparameters)
        self.random = random
        let scenes = Sensors(
            kinds: settings.sensors, track: track,
            randomization: settings.domainRandomization ? DomainRandomization() : nil,
            seed: settings.seed
        ).scenes
        let trainingSimulation = SimulationSettings(
            raceType: settings.raceType, maximumSteps: settings.maximumEpisodeSteps, seed: settings.seed)
        environment = CarEnvironment(
            track: track, settings: trainingSimulation,
            sensors: Sensors(
                kinds: settings.sensors, scenes: scenes,
                randomization: settings.domainRandomization ? DomainRandomization() : nil, seed: settings.seed),
            rewardFunction: rewardFunction, actionSpace: settings.actionSpace)
        evaluationEnvironment = CarEnvironment(
            track: track,
            settings: SimulationSettings(
                raceType: settings.raceType, roundRobinStarts: false, maximumSteps: settings.maximumEpisodeSteps,
                seed: settings.seed &+ 1),
            sensors: Sensors(kinds: settings.sensors, scenes: [scenes[0]], seed: settings.seed &+ 1),
            rewardFunction: rewardFunction, actionSpace: settings.actionSpace)
    }

    /// Runs one iteration: training episodes, a policy update, evaluation episodes.
    ///
    /// - Parameters:
    ///   - onStep: called after each training step (for the simtrace log).
    ///   - shouldStop: asked after every step; when it says yes the iteration is abandoned (nil).
    /// - Throws: the reward function's error; the iteration is abandoned and the policy unchanged.
    public func runIteration(onStep: (StepRecord) -> Void = { _ in }, shouldStop: () -> Bool = { false })
        throws(RewardError)
        -> IterationReport?
    {
        let hyperparameters = settings.hyperparameters
        let shape = environment.observationShape
        var buffer = RolloutBuffer(observationSize: environment.observationSize)
        var training: [EpisodeSummary] = []
        var steps = 0
        for _ in 0..<hyperparameters.episodesBetweenTraining {
            var observation = environment.reset()
            let startTime = environment.simulation.simulatedTime
            var result: StepResult
            repeat {
                let input = Tensor(shape: [1] + shape, values: observation.map { Float($0) })
                let decision = agent.act(input, random: &random)[0]
                let step = try environment.step(decision.action)
                buffer.append(
                    byteObservation: observation, action: decision.action, logProbability: decision.logProbability,
                    value: decision.value, reward: Float(step.reward))
                onStep(
                    StepRecord(episode: episodeCount, result: step.result, reward: step.reward, action: decision.action)
                )
                observation = step.observation
                result = step.result
                steps += 1
                if shouldStop() { return nil }
            } while !result.isDone
            // A cut-short episode would have gone on: bootstrap from the critic's estimate.
            var lastValue: Float = 0
            if result.isTruncated {
                lastValue =
                    agent.value.forward(Tensor(shape: [1] + shape, values: observation.map { Float($0) })).values[0]
            }
            buffer.finishEpisode(
                lastValue: lastValue, discount: Float(hyperparameters.discountFactor),
                lambda: Float(Hyperparameters.gaeLambda))
            training.append(
                EpisodeSummary(
                    reward: environment.episodeReward, completion: min(max(result.params.progress, 0), 100),
                    steps: result.params.steps, status: result.status, startTime: startTime,
                    endTime: environment.simulation.simulatedTime))
            episodeCount += 1
        }
        let update = agent.update(buffer, observationShape: shape, random: &random)
        let evaluation = try evaluate(episodes: settings.evaluationEpisodes, startFraction: environment.startFraction)
        iteration += 1
        return IterationReport(
            iteration: iteration, training: training, evaluation: evaluation, update: update, steps: steps)
    }

    /// Continues a run: `episodes` training episodes and `iterations` iterations already done,
    /// with the round-robin start where they left it.
    public func resume(iterations: Int, episodes: Int) {
        iteration = iterations
        episodeCount = episodes
        environment.moveStart(to: Double(max(episodes - 1, 0)) * SimulationSettings().roundRobinAdvance)
        if episodes > 0 { environment.markStarted() }
        random = NetworkRandom(seed: settings.seed &+ UInt64(iterations) &* 7919)
    }

    /// Drives `episodes` episodes with the greedy policy from `startFraction` of the lap.
    public func evaluate(episodes: Int, startFraction: Double) throws(RewardError) -> [EpisodeSummary] {
        var summaries: [EpisodeSummary] = []
        let shape = evaluationEnvironment.observationShape
        for _ in 0..<episodes {
            evaluationEnvironment.moveStart(to: startFraction)
            var observation = evaluationEnvironment.reset()
            let startTime = evaluationEnvironment.simulation.simulatedTime
            var result: StepResult
            repeat {
                let input = Tensor(shape: [1] + shape, values: observation.map { Float($0) })
                let decision = agent.act(input, random: &random, greedy: true)[0]
                let step = try evaluationEnvironment.step(decision.action)
                observation = step.observation
                result = step.result
            } while !result.isDone
            summaries.append(
                EpisodeSummary(
                    reward: evaluationEnvironment.episodeReward, completion: min(max(result.params.progress, 0), 100),
                    steps: result.params.steps, status: result.status, startTime: startTime,
                    endTime: evaluationEnvironment.simulation.simulatedTime))
        }
        return summaries
    }
}
