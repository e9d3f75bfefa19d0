import Model
import NeuralNetwork
import Reinforcement
import RewardScript
import Simulator

#if canImport(Glibc)
    import Glibc
#endif

/// A training run's engine: gathers episodes with the current policy, updates it with PPO, and
/// evaluates it, one iteration at a time.
///
/// Each iteration runs `num_episodes_between_training` training episodes (round-robin starts, as
/// DeepRacer), updates the policy on their experience, then drives `evaluationEpisodes` episodes
/// greedily, with the car's noise, from points spread evenly round the lap (starting at the
/// current start) to score it. Files and clocks are the caller's business.
public final class Trainer {
    public let settings: TrainingSettings
    public let track: Track
    public let learner: Learner
    let environment: CarEnvironment<RewardFunction>
    let evaluationEnvironment: CarEnvironment<RewardFunction>
    var random: NetworkRandom
    /// Environment steps between SAC's gradient steps.
    public static let sacStepsPerUpdate = 4
    /// SAC's replay memory (the last 8,000 steps, as bytes). A stored property, not `lazy`: a lazy
    /// one is read and written back whole on every append, which copied the whole memory (up to
    /// 300 MB) at every step.
    var replay: ReplayBuffer
    /// Cores to learn on: with 2 or more, PPO's policy and value networks learn at the same time
    /// on two (the results are the same). `paddock train --threads`; every core by default.
    public var threads = Trainer.availableCores
    /// The cores this machine has.
    public static var availableCores: Int { max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1) }
    /// Iterations completed.
    public private(set) var iteration = 0
    /// Training episodes completed.
    public private(set) var episodeCount = 0

    /// Losses and entropy of an iteration's learning, averaged over its gradient steps.
    public struct LearningStatistics: Sendable {
        public var policyLoss: Float = 0
        /// PPO's value loss, or SAC's critic loss.
        public var valueLoss: Float = 0
        public var entropy: Float = 0
    }

    /// What one iteration did.
    public struct IterationReport: Sendable {
        public var iteration: Int
        public var training: [EpisodeSummary]
        public var evaluation: [EpisodeSummary]
        public var update: LearningStatistics
        public var steps: Int
        /// Wall-clock seconds spent driving and learning (the training part of the iteration).
        public var trainingSeconds = 0.0
        /// Wall-clock seconds spent on the evaluation episodes.
        public var evaluationSeconds = 0.0

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
        learner = Learner.make(settings: settings, random: &random)
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
            reward: rewardFunction, actionSpace: settings.actionSpace)
        evaluationEnvironment = CarEnvironment(
            track: track,
            settings: SimulationSettings(
                raceType: settings.raceType, roundRobinStarts: false, maximumSteps: settings.maximumEpisodeSteps,
                seed: settings.seed &+ 1),
            sensors: Sensors(kinds: settings.sensors, scenes: [scenes[0]], seed: settings.seed &+ 1),
            reward: rewardFunction, actionSpace: settings.actionSpace)
        replay = ReplayBuffer(
            capacity: settings.algorithm == .sac ? 8_000 : 0, observationSize: environment.observationSize,
            actionSize: 2)
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
        let started = ContinuousClock.now
        let report: IterationReport?
        switch learner {
        case .ppo(let agent): report = try runPPOIteration(agent, onStep: onStep, shouldStop: shouldStop)
        case .sac(let agent): report = try runSACIteration(agent, onStep: onStep, shouldStop: shouldStop)
        }
        guard var report else { return nil }
        let trained = ContinuousClock.now
        report.trainingSeconds = (trained - started).seconds
        guard
            let evaluation = try evaluate(
                episodes: settings.evaluationEpisodes, startFraction: environment.startFraction, shouldStop: shouldStop)
        else { return nil }
        report.evaluation = evaluation
        report.evaluationSeconds = (ContinuousClock.now - trained).seconds
        iteration += 1
        report.iteration = iteration
        return report
    }

    /// PPO: gather the episodes with the current policy, then update on all of their experience.
    func runPPOIteration(_ agent: PPOAgent, onStep: (StepRecord) -> Void, shouldStop: () -> Bool) throws(RewardError)
        -> IterationReport?
    {
        let hyperparameters = settings.hyperparameters
        let shape = environment.observationShape
        var buffer = RolloutBuffer(observationSize: environment.observationSize)
        var training: [EpisodeSummary] = []
        var steps = 0
        for _ in 0..<hyperparameters.episodesBetweenTraining {
            var decision: PPOAgent.Decision?
            guard
                let episode = try environment.runEpisode(
                    act: { input in
                        let chosen = agent.act(input, random: &random)[0]
                        decision = chosen
                        return chosen.action
                    },
                    observe: { observation, action, step, result in
                        buffer.append(
                            byteObservation: observation, action: action,
                            logProbability: decision?.logProbability ?? 0, value: decision?.value ?? 0,
                            reward: Float(step.reward))
                        onStep(StepRecord(episode: episodeCount, result: result, reward: step.reward, action: action))
                        steps += 1
                    }, shouldStop: shouldStop)
            else { return nil }
            // A cut-short episode would have gone on: bootstrap from the critic's estimate.
            var lastValue: Float = 0
            if episode.lastResult.isTruncated {
                lastValue = agent.value.forward(Tensor(observation: episode.lastObservation, shape: shape)).values[0]
            }
            buffer.finishEpisode(
                lastValue: lastValue, discount: Float(hyperparameters.discountFactor),
                lambda: Float(Hyperparameters.gaeLambda))
            training.append(episode.summary)
            episodeCount += 1
        }
        let update = agent.update(buffer, observationShape: shape, random: &random, inParallel: threads >= 2)
        return IterationReport(
            iteration: iteration, training: training, evaluation: [],
            update: LearningStatistics(
                policyLoss: update.policyLoss, valueLoss: update.valueLoss, entropy: update.entropy), steps: steps)
    }

    /// SAC: every step goes into the replay memory, and once it holds a few batches, every step
    /// also takes one gradient step on a random batch from it.
    func runSACIteration(_ agent: SACAgent, onStep: (StepRecord) -> Void, shouldStop: () -> Bool) throws(RewardError)
        -> IterationReport?
    {
        let shape = environment.observationShape
        var training: [EpisodeSummary] = []
        var steps = 0
        var statistics = LearningStatistics()
        var updates = 0
        for _ in 0..<settings.hyperparameters.episodesBetweenTraining {
            guard
                let episode = try environment.runEpisode(
                    act: { input in .continuous(agent.act(input, random: &random)[0]) },
                    observe: { observation, action, step, result in
                        guard case .continuous(let vector) = action else { return }
                        replay.append(
                            byteObservation: observation, action: vector, reward: Float(step.reward),
                            byteNext: step.observation, isTerminal: step.isTerminated)
                        onStep(StepRecord(episode: episodeCount, result: result, reward: step.reward, action: action))
                        steps += 1
                        // Learn every few steps once the memory holds a few batches: camera
                        // networks make each gradient step costly, and every step would leave the
                        // car crawling round the track.
                        if replay.count >= 4 * settings.hyperparameters.batchSize && steps % Self.sacStepsPerUpdate == 0
                        {
                            let update = agent.update(replay, observationShape: shape, random: &random)
                            statistics.policyLoss += update.policyLoss
                            statistics.valueLoss += update.criticLoss
                            statistics.entropy -= update.meanLogProbability
                            updates += 1
                        }
                    }, shouldStop: shouldStop)
            else { return nil }
            training.append(episode.summary)
            episodeCount += 1
        }
        if updates > 0 {
            statistics.policyLoss /= Float(updates)
            statistics.valueLoss /= Float(updates)
            statistics.entropy /= Float(updates)
        }
        return IterationReport(
            iteration: iteration, training: training, evaluation: [], update: statistics, steps: steps)
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

    /// Drives `episodes` episodes with the greedy policy, the first from `startFraction` of the
    /// lap and the others from points spread evenly round it (each a whole lap from its start).
    /// Returns nil when `shouldStop` says so.
    public func evaluate(episodes: Int, startFraction: Double, shouldStop: () -> Bool = { false }) throws(RewardError)
        -> [EpisodeSummary]?
    {
        var summaries: [EpisodeSummary] = []
        for index in 0..<episodes {
            evaluationEnvironment.moveStart(to: startFraction + Double(index) / Double(max(episodes, 1)))
            guard
                let episode = try evaluationEnvironment.runEpisode(
                    act: { input in learner.act(input, random: &random, greedy: true) },
                    shouldStop: shouldStop)
            else { return nil }
            summaries.append(episode.summary)
        }
        return summaries
    }
}
