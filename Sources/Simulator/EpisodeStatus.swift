/// How a step ended, in DeepRacer's words (the simtrace `episode_status` column).
public enum EpisodeStatus: String, Sendable, Codable, CaseIterable {
    case prepare
    case inProgress = "in_progress"
    case offTrack = "off_track"
    case crashed
    case lapComplete = "lap_complete"
    case immobilized
    case reversed
    case pause

    /// The label DeepRacer's metrics files use ("Off track", "Lap complete", ...).
    public var label: String {
        switch self {
        case .prepare: "Prepare"
        case .inProgress: "In progress"
        case .offTrack: "Off track"
        case .crashed: "Crashed"
        case .lapComplete: "Lap complete"
        case .immobilized: "Immobilized"
        case .reversed: "Reversed"
        case .pause: "Pause"
        }
    }
}
