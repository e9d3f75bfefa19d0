import Assets
import Foundation
import Model
import NeuralNetwork
import RewardScript
import Simulator

/// A training run with its model folder: each iteration's experience, update and evaluation
/// end with the simtrace log, the metrics, a checkpoint and the state written atomically, so
/// stopping at any moment loses at most the iteration in progress; a new run continues.
public final class TrainingSession {
    /// Where the run's files go (a model folder, or memory in tests).
    public let store: any TrainingStore
    public let description: ModelDescription
    public let trainer: Trainer
    public private(set) var state: TrainingState
    private var metrics = TrainingMetrics()
    /// Logged simulated time from earlier runs, milliseconds: this run's clock starts there.
    private var baseTime = 0
    /// Simulated milliseconds of evaluation so far in this run. DeepRacer's one clock runs on
    /// through evaluation episodes; Paddock evaluates in a simulation of its own, so the training
    /// clock is shifted on by this much to keep every logged time rising.
    private var evaluationTime = 0
    /// Reads the wall clock (seconds since any fixed point), for the time spent training.
    private let now: @Sendable () -> Double

    /// Seconds since this process first asked.
    public static let wallClock: @Sendable () -> Double = {
        let start = ContinuousClock.now
        return { (ContinuousClock.now - start).seconds }
    }()

    /// Opens the model folder for training: creates the model, or continues it when it exists
    /// with the same track, network, algorithm, action space and sensors.
    public convenience init(folder: ModelFolder, description: ModelDescription, track: Track, rewardSource: String)
        throws
    {
        try self.init(store: folder, description: description, track: track, rewardSource: rewardSource)
    }

    /// Opens the model in `store` for training (see `init(folder:...)`). `now` is the wall clock.
    ///
    /// - Throws: the reward function's error; `ModelError.settingsDiffer`; a damaged training
    ///   record or checkpoint (nothing is written then, so the checkpoints stay as they were).
    public init(
        store: any TrainingStore, description: ModelDescription, track: Track, rewardSource: String,
        now: @escaping @Sendable () -> Double = TrainingSession.wallClock
    ) throws {
        let rewardFunction = try RewardFunction(source: rewardSource, fileName: store.rewardFileName)
        self.store = store
        self.now = now
        if store.exists {
            let saved = try store.readDescription()
            for (what, same) in [
                ("track", saved.track == description.track), ("network", saved.network == description.network),
                ("algorithm", saved.algorithm == description.algorithm),
                ("action space", saved.actionSpace == description.actionSpace),
                ("sensors", saved.sensors == description.sensors),
            ] where !same {
                throw ModelError.settingsDiffer(what)
            }
        }
        self.description = description
        self.trainer = Trainer(track: track, settings: description.settings, rewardFunction: rewardFunction)
        self.state = TrainingState()
        if store.exists, let saved = try store.readState(), saved.iterations > 0 {
            // Continue: weights and optimiser from the last checkpoint, metrics from their record.
            guard let contents = try store.readCheckpoint(.iteration(saved.iterations)) else {
                throw ModelError.damagedTrainingRecord(
                    path: "\(store.name)'s checkpoint of iteration \(saved.iterations)",
                    reason: "it is missing, though the training state says the run got that far", model: store.name)
            }
            try NetworkFile.load(contents, into: trainer.learner.parameters, source: store.name)
            trainer.learner.restoreOptimizerState(
                contents.tensors.map { Parameter(name: $0.name, shape: $0.shape, value: $0.values) })
            trainer.resume(iterations: saved.iterations, episodes: saved.episodes)
            state = saved
            baseTime = saved.metricTime
            metrics = try store.readMetrics()
        } else if let contents = try store.readCheckpoint(.initial) {
            // A clone starts from the weights it was cloned from.
            try NetworkFile.load(contents, into: trainer.learner.parameters, source: "\(store.name)'s initial weights")
        }
        try store.writeDescription(description, rewardSource: rewardSource)
    }

    /// Runs one iteration and saves everything it produced. Returns nil when stopped (nothing of
    /// the unfinished iteration is kept).
    public func runIteration(shouldStop: () -> Bool = { false }) throws -> Trainer.IterationReport? {
        let started = now()
        var log = SimtraceLog()
        let iterationIndex = state.iterations
        let firstEpisode = state.episodes
        let episodesPerIteration = description.hyperparameters.episodesBetweenTraining
        let shift = baseTime + evaluationTime
        guard
            let report = try trainer.runIteration(
                onStep: { record in
                    var row = SimtraceRow(
                        episode: record.episode, result: record.result, reward: record.reward,
                        actionIndex: {
                            if case .discrete(let index) = record.action { return index } else { return nil }
                        }())
                    row.timestamp += Double(shift) / 1000
                    log.append(row)
                }, shouldStop: shouldStop)
        else { return nil }
        // Metrics as DeepRacer writes them: one entry per training episode, then the evaluations.
        func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }
        func entry(_ summary: EpisodeSummary, from start: Int, episode: Int, trial: Int, phase: String)
            -> TrainingMetrics.Entry
        {
            TrainingMetrics.Entry(
                rewardScore: Int(summary.reward.rounded()),
                metricTime: start + milliseconds(summary.endTime - summary.startTime), startTime: start,
                episode: episode, trial: trial, phase: phase, completionPercentage: Int(summary.completion),
                episodeStatus: summary.status.label)
        }
        var latest = shift
        for (index, summary) in report.training.enumerated() {
            let start = shift + milliseconds(summary.startTime)
            metrics.metrics.append(
                entry(summary, from: start, episode: firstEpisode + index + 1, trial: index + 1, phase: "training"))
            latest = max(latest, start + milliseconds(summary.endTime - summary.startTime))
        }
        for summary in report.evaluation {
            metrics.metrics.append(
                entry(
                    summary, from: latest, episode: firstEpisode + report.training.count, trial: episodesPerIteration,
                    phase: "evaluation"))
            let duration = milliseconds(summary.endTime - summary.startTime)
            latest += duration
            evaluationTime += duration
        }
        // Save: simtrace, metrics, checkpoint (weights and optimiser), best checkpoint, state last.
        var next = state
        next.iterations += 1
        next.episodes += report.training.count
        next.metricTime = latest
        next.trainingSeconds += now() - started
        let tensors = trainer.learner.parameters + trainer.learner.optimizerState
        let metadata = description.modelMetadata.text(indent: nil)
        try store.writeSimtrace(log.text, iteration: iterationIndex)
        try store.writeMetrics(metrics)
        try store.writeCheckpoint(tensors, metadata: metadata, .iteration(next.iterations))
        if next.record(LapReliability(evaluation: report.evaluation, previous: state.latest)) {
            try store.writeCheckpoint(trainer.learner.parameters, metadata: metadata, .best)
        }
        try store.writeState(next)
        // Keep the last two iteration checkpoints (resume needs the last one).
        if next.iterations > 2 { store.removeCheckpoint(.iteration(next.iterations - 2)) }
        state = next
        return report
    }
}
