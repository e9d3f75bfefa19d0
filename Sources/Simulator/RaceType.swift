/// What else is on the track besides the learner's car.
public enum RaceType: Sendable, Equatable {
    /// The car alone against the clock.
    case timeTrial
    /// Static boxes to drive around.
    case objectAvoidance(ObstacleSettings)
    /// Bot cars driving at a constant speed.
    case headToBot(BotCarSettings)

    /// The name DeepRacer uses for this race type.
    public var name: String {
        switch self {
        case .timeTrial: "TIME_TRIAL"
        case .objectAvoidance: "OBJECT_AVOIDANCE"
        case .headToBot: "HEAD_TO_BOT"
        }
    }
}

/// Boxes for object avoidance, placed as the DeepRacer simulator places them.
public struct ObstacleSettings: Sendable, Equatable, Codable {
    /// Number of boxes, 1 ... 6.
    public var count: Int
    /// Place the boxes anew each episode (random distances and lanes) instead of evenly spaced in
    /// alternating lanes.
    public var randomizeLocations: Bool
    /// Where the first box stands and the least gap between boxes, metres along the centre line.
    public var minimumDistance: Double

    public init(count: Int = 3, randomizeLocations: Bool = false, minimumDistance: Double = 2.0) {
        self.count = count
        self.randomizeLocations = randomizeLocations
        self.minimumDistance = minimumDistance
    }

    public static let allowedCounts = 1...6
}

/// Bot cars for head-to-bot races.
public struct BotCarSettings: Sendable, Equatable, Codable {
    /// Number of bot cars, 1 ... 4.
    public var count: Int
    /// Speed along the centre line, metres per second.
    public var speed: Double
    /// Whether bots change lanes now and then.
    public var changesLanes: Bool
    /// Seconds a bot cruises between lane changes: a random time in this range.
    public var laneChangeInterval: ClosedRange<Double>
    /// Distance a lane change takes, metres along the centre line.
    public var laneChangeDistance: Double
    /// Where the first bot starts and the least gap between bots, metres.
    public var minimumDistance: Double

    public init(
        count: Int = 3, speed: Double = 0.2, changesLanes: Bool = false,
        laneChangeInterval: ClosedRange<Double> = 3...5, laneChangeDistance: Double = 1.0,
        minimumDistance: Double = 2.0
    ) {
        self.count = count
        self.speed = speed
        self.changesLanes = changesLanes
        self.laneChangeInterval = laneChangeInterval
        self.laneChangeDistance = laneChangeDistance
        self.minimumDistance = minimumDistance
    }

    public static let allowedCounts = 1...4
}
