/// What an agent acts on: the small protocol through which Training connects the simulator to
/// the learner (Reinforcement knows nothing of cars).
public protocol Environment {
    /// The shape of one observation, channels last (for the car's camera: `[120, 160, 1]`).
    var observationShape: [Int] { get }
    /// Starts an episode and returns its first observation.
    mutating func reset() -> [Float]
    /// Applies `action` and reports what followed.
    mutating func step(_ action: AgentAction) -> Transition
}

/// An agent's choice: an index into a discrete action list, or a vector in the [-1, 1] box.
public enum AgentAction: Sendable, Equatable {
    case discrete(Int)
    case continuous([Float])
}

/// What one step produced.
public struct Transition: Sendable {
    public var observation: [Float]
    public var reward: Float
    /// The episode ended for good (off track, lap complete): no future reward follows.
    public var isTerminated: Bool
    /// The episode was cut short (step cap, time limit): the future would have continued.
    public var isTruncated: Bool

    public init(observation: [Float], reward: Float, isTerminated: Bool, isTruncated: Bool) {
        self.observation = observation
        self.reward = reward
        self.isTerminated = isTerminated
        self.isTruncated = isTruncated
    }
}
