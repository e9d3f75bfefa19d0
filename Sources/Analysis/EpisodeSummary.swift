/// One episode of a simtrace, summed up as DeepRacer's analysis notebooks do.
public struct EpisodeSummary: Sendable, Equatable {
    /// The training iteration the episode belongs to (0 for an evaluation).
    public var iteration: Int
    /// The `episode` column's number.
    public var episode: Int
    /// The episode's rows in its simtrace.
    public var rows: Range<Int>
    /// The sum of the `reward` column over the episode's rows.
    public var totalReward: Double
    /// The last row's progress, percent.
    public var progress: Double
    /// The last row's `episode_status` (`lap_complete`, `off_track`, ...).
    public var finalStatus: String
    /// The episode's simulated time, last `tstamp` minus first, seconds (nan without `tstamp`).
    public var duration: Double
    /// Rows whose status is `off_track` (an evaluation's put-backs; a training episode ends at one).
    public var offTrackCount: Int

    /// The episode's rows.
    public var steps: Int { rows.count }

    /// Whether the car finished the lap: the last progress is 100.
    public var isComplete: Bool { progress >= 100 }

    /// The lap time of a finished lap, seconds.
    public var lapTime: Double? { isComplete && duration.isFinite ? duration : nil }

    /// The episodes of a simtrace, `iteration(k)` naming the iteration of its k-th episode.
    public static func episodes(of trace: Simtrace, iteration: (Int) -> Int) -> [EpisodeSummary] {
        trace.episodes.enumerated().map { k, rows in
            var total = 0.0
            var offTrack = 0
            for i in rows {
                total += trace.reward[i]
                if trace.status[i] == "off_track" { offTrack += 1 }
            }
            let last = rows.upperBound - 1
            return EpisodeSummary(
                iteration: iteration(k), episode: trace.episode[rows.lowerBound], rows: rows, totalReward: total,
                progress: trace.progress[last], finalStatus: trace.status[last],
                duration: trace.time[last] - trace.time[rows.lowerBound], offTrackCount: offTrack)
        }
    }
}

/// The figures of a group of episodes: a training iteration, or an evaluation.
public struct EpisodeGroupSummary: Encodable, Sendable, Equatable {
    /// The iteration as numbered in the file names (-1 for an evaluation).
    public var iteration: Int
    /// An evaluation's name (its folder or file); empty for training.
    public var name: String
    public var episodes: Int
    /// Rows (steps) in all.
    public var steps: Int
    /// The mean of each episode's total reward.
    public var meanReward: Double
    /// The mean of each episode's last progress, percent.
    public var meanProgress: Double
    /// The share of episodes whose last progress is 100, 0 ... 1.
    public var completionRate: Double
    /// The best and mean lap time of the finished episodes, seconds; nil when none finished.
    public var bestLapTime: Double?
    public var meanLapTime: Double?
    /// Off-track rows in all (an evaluation's put-backs).
    public var offTrackCount: Int

    enum CodingKeys: String, CodingKey {
        case iteration, name, episodes, steps
        case meanReward = "mean_reward"
        case meanProgress = "mean_progress"
        case completionRate = "completion_rate"
        case bestLapTime = "best_lap_time"
        case meanLapTime = "mean_lap_time"
        case offTrackCount = "off_track_count"
    }

    public init(iteration: Int, name: String, episodes: [EpisodeSummary]) {
        self.iteration = iteration
        self.name = name
        self.episodes = episodes.count
        steps = episodes.reduce(0) { $0 + $1.steps }
        let count = Double(max(episodes.count, 1))
        meanReward = episodes.reduce(0) { $0 + $1.totalReward } / count
        meanProgress = episodes.reduce(0) { $0 + $1.progress } / count
        completionRate = Double(episodes.filter(\.isComplete).count) / count
        let laps = episodes.compactMap(\.lapTime)
        bestLapTime = laps.min()
        meanLapTime = laps.isEmpty ? nil : laps.reduce(0, +) / Double(laps.count)
        offTrackCount = episodes.reduce(0) { $0 + $1.offTrackCount }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if name.isEmpty {
            try container.encode(iteration, forKey: .iteration)
        } else {
            try container.encode(name, forKey: .name)
        }
        try container.encode(episodes, forKey: .episodes)
        try container.encode(steps, forKey: .steps)
        try container.encode(meanReward, forKey: .meanReward)
        try container.encode(meanProgress, forKey: .meanProgress)
        try container.encode(completionRate, forKey: .completionRate)
        // Absent lap times are written as null, so every row has the same keys.
        try container.encode(bestLapTime, forKey: .bestLapTime)
        try container.encode(meanLapTime, forKey: .meanLapTime)
        try container.encode(offTrackCount, forKey: .offTrackCount)
    }
}
