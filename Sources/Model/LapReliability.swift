/// How reliably a checkpoint laps, from one iteration's evaluation: greedy episodes with the
/// car's noise on, each from a different point round the lap (`Trainer` spreads them evenly), so a
/// clean result is not one lucky lap driven three times.
///
/// Checkpoints rank by how long their run had been clean (up to `stableStreak`), then the share
/// of trials that completed the lap, then mean completion, then mean lap time. The "best"
/// checkpoint and `paddock bench first-lap` use this one criterion.
public struct LapReliability: Sendable, Equatable, Codable {
    /// Consecutive clean iterations that make a model stable.
    public static let stableStreak = 3
    /// Trials a clean evaluation needs at least.
    public static let minimumTrials = 3

    /// Evaluation trials (episodes) driven.
    public var trials: Int
    /// Trials that completed the lap (100 % progress, never off the road).
    public var completed: Int
    /// Mean progress over the trials, percent.
    public var meanCompletion: Double
    /// Mean lap time of the completed trials, simulated seconds; nil when none completed.
    public var meanLapTime: Double?
    /// Clean iterations in a row ending with this one (this one included), 0 when not clean.
    public var cleanStreak: Int

    public init(trials: Int, completed: Int, meanCompletion: Double, meanLapTime: Double?, cleanStreak: Int) {
        self.trials = trials
        self.completed = completed
        self.meanCompletion = meanCompletion
        self.meanLapTime = meanLapTime
        self.cleanStreak = cleanStreak
    }

    /// The reliability of an iteration whose evaluation drove `episodes`, following an
    /// iteration whose reliability was `previous`.
    public init(evaluation episodes: [EpisodeSummary], previous: LapReliability?) {
        let laps = episodes.filter { $0.status == .lapComplete }
        trials = episodes.count
        completed = laps.count
        meanCompletion = episodes.map(\.completion).reduce(0, +) / Double(max(episodes.count, 1))
        meanLapTime = laps.isEmpty ? nil : laps.map { $0.endTime - $0.startTime }.reduce(0, +) / Double(laps.count)
        cleanStreak = 0
        if isClean { cleanStreak = (previous?.cleanStreak ?? 0) + 1 }
    }

    /// Every trial (at least `minimumTrials`) completed the lap.
    public var isClean: Bool { trials >= Self.minimumTrials && completed == trials }

    /// This iteration ends `stableStreak` clean iterations in a row.
    public var isStable: Bool { cleanStreak >= Self.stableStreak }

    /// Whether this checkpoint drives more reliably than `other` (then faster).
    public func isBetter(than other: LapReliability?) -> Bool {
        guard let other else { return true }
        let mine = (min(cleanStreak, Self.stableStreak), fraction, meanCompletion)
        let theirs = (min(other.cleanStreak, Self.stableStreak), other.fraction, other.meanCompletion)
        if mine != theirs { return mine > theirs }
        return (meanLapTime ?? .infinity) < (other.meanLapTime ?? .infinity)
    }

    private var fraction: Double { Double(completed) / Double(max(trials, 1)) }
}
