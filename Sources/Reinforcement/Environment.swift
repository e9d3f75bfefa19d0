/// What an agent acts on: the small protocol through which Training connects the simulator to
/// the learner (Reinforcement knows nothing of cars). Observations are bytes 0 ... 255 (camera
/// gray levels, LIDAR scaled), as the rollout and replay buffers keep them; the networks take
/// them as floats (`Tensor(observation:shape:)`).
public protocol Environment {
    /// What a step may fail with (a learner's reward function, for the car).
    associatedtype Failure: Error
    /// The shape of one observation, channels last (for the car's camera: `[120, 160, 1]`).
    var observationShape: [Int] { get }
    /// Starts an episode and returns its first observation.
    mutating func reset() -> [UInt8]
    /// Applies `action` and reports what followed.
    mutating func step(_ action: AgentAction) throws(Failure) -> Transition
}

/// An agent's choice: an index into a discrete action list, or a vector in the [-1, 1] box.
public enum AgentAction: Sendable, Equatable {
    case discrete(Int)
    case continuous([Float])
}

/// What one step produced.
public struct Transition: Sendable {
    public var observation: [UInt8]
    public var reward: Double
    /// The episode ended for good (off track, lap complete): no future reward follows.
    public var isTerminated: Bool
    /// The episode was cut short (step cap, time limit): the future would have continued.
    public var isTruncated: Bool

    public init(observation: [UInt8], reward: Double, isTerminated: Bool, isTruncated: Bool) {
        self.observation = observation
        self.reward = reward
        self.isTerminated = isTerminated
        self.isTruncated = isTruncated
    }

    /// The episode is over, either way.
    public var isDone: Bool { isTerminated || isTruncated }
}
