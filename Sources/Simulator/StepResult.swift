/// What one simulator step produced.
public struct StepResult: Sendable, Equatable {
    /// The params the reward function sees for this step.
    public var params: RewardParams
    /// How the step ended.
    public var status: EpisodeStatus
    /// The episode is over after this step.
    public var isDone: Bool
    /// The episode was cut short by the step cap rather than ended by a rule.
    public var isTruncated: Bool
    /// Whether DeepRacer would call the reward function this step (not on `prepare` or `pause`
    /// steps, whose reward is 0).
    public var callsRewardFunction: Bool
    /// The action the policy chose (before clipping).
    public var action: Action
    /// The car after the step.
    public var car: CarState
    /// Simulated time at the end of the step, seconds.
    public var simulatedTime: Double
    /// Seconds the car will still be held for a penalty.
    public var pauseDuration: Double
    /// Of the two closest waypoints, the one nearer the car (the simtrace column).
    public var closestWaypoint: Int
}
