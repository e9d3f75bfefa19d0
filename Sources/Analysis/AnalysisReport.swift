import Foundation

/// An analysis as JSON: where the logs came from, the figures per iteration and per evaluation,
/// the best episodes and, with a track, what the car did along it.
public struct AnalysisReport: Encodable, Sendable {
    /// One of the best episodes.
    public struct Episode: Encodable, Sendable {
        public var iteration: Int
        public var episode: Int
        public var steps: Int
        public var totalReward: Double
        public var progress: Double
        public var lapTime: Double?

        enum CodingKeys: String, CodingKey {
            case iteration, episode, steps, progress
            case totalReward = "total_reward"
            case lapTime = "lap_time"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(iteration, forKey: .iteration)
            try container.encode(episode, forKey: .episode)
            try container.encode(steps, forKey: .steps)
            try container.encode(totalReward, forKey: .totalReward)
            try container.encode(progress, forKey: .progress)
            try container.encode(lapTime, forKey: .lapTime)
        }
    }

    public var source: String
    public var layout: String
    /// The track's id, or nil when it is not known.
    public var track: String?
    /// How the track was found: `option`, `logs` (the run's own files), `matched` (by its
    /// length and the recorded positions), or `unknown`.
    public var trackFrom: String
    public var actionSpace: String
    /// How a single simtrace file was split into iterations.
    public var episodesPerIteration: Int?
    public var iterations: [EpisodeGroupSummary]
    public var evaluations: [EpisodeGroupSummary]
    /// The evaluations after each training iteration, from `TrainingMetrics.json`.
    public var trainingEvaluations: [TrainingEvaluations.Iteration]
    public var bestEpisodes: [Episode]
    /// The actions and reward along the track (20 stretches), from the evaluations or the last
    /// quarter of training; empty without a track.
    public var sections: [SectionSummary]
    public var whatIf: RewardWhatIf.Report?

    enum CodingKeys: String, CodingKey {
        case source, layout, track, iterations, evaluations, sections
        case trackFrom = "track_from"
        case actionSpace = "action_space"
        case episodesPerIteration = "episodes_per_iteration"
        case bestEpisodes = "best_episodes"
        case trainingEvaluations = "training_evaluations"
        case whatIf = "what_if"
    }

    public init(pictures: AnalysisPictures, trackFrom: String, whatIf: RewardWhatIf.Report? = nil) {
        let analysis = pictures.analysis
        source = analysis.logs.url.path
        layout = analysis.logs.layout.rawValue
        track = pictures.track?.id
        self.trackFrom = trackFrom
        actionSpace = analysis.isContinuous ? "continuous" : "discrete"
        episodesPerIteration = analysis.episodesPerIteration
        iterations = analysis.iterations
        evaluations = analysis.evaluationSummaries
        trainingEvaluations = analysis.trainingEvaluations
        bestEpisodes = analysis.bestEpisodes(pictures.bestCount).map { _, episode in
            Episode(
                iteration: episode.iteration, episode: episode.episode, steps: episode.steps,
                totalReward: episode.totalReward, progress: episode.progress, lapTime: episode.lapTime)
        }
        if let track = pictures.track {
            sections = SectionSummary.sections(of: pictures.actionTraces().traces, track: track)
        } else {
            sections = []
        }
        self.whatIf = whatIf
    }

    /// The report as pretty, key-sorted JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
