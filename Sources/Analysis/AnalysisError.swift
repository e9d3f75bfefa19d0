/// What stopped an analysis, in words a learner can act on: what was wrong, where, what to do.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A simtrace could not be read: its path, the line (1 is the header) and why.
    case badSimtrace(path: String, line: Int, reason: String)
    /// The path holds nothing to analyse.
    case noLogs(path: String, reason: String)
    /// A file beside the logs (metadata, hyperparameters) could not be read.
    case badFile(path: String, reason: String)
    /// No track could be found for the logs.
    case unknownTrack(String)
    /// A reward function failed on a recorded step.
    case rewardFailed(path: String, episode: Int, step: Int, message: String)

    public var description: String {
        switch self {
        case .badSimtrace(let path, let line, let reason):
            return "\(path), line \(line): \(reason)"
        case .noLogs(let path, let reason):
            return "\(path): \(reason)"
        case .badFile(let path, let reason):
            return "\(path): \(reason)"
        case .unknownTrack(let reason):
            return reason
        case .rewardFailed(let path, let episode, let step, let message):
            return "the reward function failed on the step recorded in \(path), episode \(episode), step \(step); "
                + "nothing was re-scored:\n\(message)"
        }
    }
}
