/// One evaluation trial (lap) as DeepRacer reports it.
public struct TrialResult: Sendable, Equatable, Codable {
    /// Trial number, from 1.
    public var trial: Int
    /// How the trial ended: `lapComplete`, or `inProgress` when cut short by the step cap.
    public var status: EpisodeStatus
    /// Percent of the lap driven, 0 ... 100.
    public var completion: Double
    /// Simulated seconds from the start (penalties included), when the lap was completed.
    public var lapTime: Double?
    /// Simulated seconds the trial ran, penalties included.
    public var elapsedTime: Double
    public var steps: Int
    public var offTrackCount: Int
    public var crashCount: Int
    public var reversedCount: Int
    public var immobilizedCount: Int
    /// Seconds of penalties in the trial.
    public var penaltySeconds: Double
}

/// Runs evaluation trials as DeepRacer does: each trial is one lap from the start line, with
/// penalties and put-backs instead of ending at a mishap.
public enum Evaluation {
    /// DeepRacer's allowed and default numbers of trials.
    public static let allowedTrials = 3...5
    public static let defaultTrials = 3

    /// Drives `trials` laps, asking `policy` for each step's action. An error from `policy` (a
    /// model that cannot run) ends the evaluation with that error: no action is ever made up.
    ///
    /// - Parameters:
    ///   - settings: race type and penalties; `mode` is forced to evaluation and starts to the start line.
    ///   - onStep: called after every step (for simtrace logs or a live view).
    public static func run(
        track: Track, trials: Int = defaultTrials, settings: SimulationSettings = .evaluation(),
        policy: (Simulation) throws -> Action, onStep: (Int, StepResult) -> Void = { _, _ in }
    ) rethrows -> [TrialResult] {
        var simulation = Simulation(track: track, settings: trialSettings(settings))
        var results: [TrialResult] = []
        for trial in 1...max(trials, 1) {
            simulation.reset()
            var result: StepResult
            repeat {
                result = simulation.step(try policy(simulation))
                onStep(trial, result)
            } while !result.isDone
            results.append(TrialResult(trial: trial, last: result, simulation: simulation))
        }
        return results
    }

    /// `settings` as evaluation trials run: evaluation mode (penalties, put-backs; DeepRacer's
    /// default penalties unless `settings` has its own), every trial from the start line in the
    /// track's own direction.
    public static func trialSettings(_ settings: SimulationSettings) -> SimulationSettings {
        var settings = settings
        if !settings.mode.isEvaluation { settings.mode = .evaluation(EvaluationPenalties()) }
        settings.roundRobinStarts = false
        settings.alternateDirection = false
        return settings
    }
}

extension TrialResult {
    /// The trial that `simulation` just finished with `last`, its final step.
    public init(trial: Int, last: StepResult, simulation: Simulation) {
        let complete = last.status == .lapComplete
        self.init(
            trial: trial, status: last.status, completion: min(max(last.params.progress, 0), 100),
            lapTime: complete ? simulation.episodeTime : nil, elapsedTime: simulation.episodeTime,
            steps: last.params.steps, offTrackCount: simulation.offTrackCount, crashCount: simulation.crashCount,
            reversedCount: simulation.reversedCount, immobilizedCount: simulation.immobilizedCount,
            penaltySeconds: simulation.penaltySeconds)
    }
}
