/// How a simulation runs: race type, training or evaluation rules, starts and direction.
public struct SimulationSettings: Sendable, Equatable {
    /// Boxes, bot cars, or the car alone.
    public var raceType: RaceType
    /// Training ends an episode at the first mishap; evaluation adds a penalty and carries on.
    public var mode: SimulationMode
    /// Start each training episode a bit further round the lap (DeepRacer's round-robin starts).
    public var roundRobinStarts: Bool
    /// How far each round-robin start moves on, as a fraction of the lap (DeepRacer: 0.05).
    public var roundRobinAdvance: Double
    /// Flip the driving direction after every training episode.
    public var alternateDirection: Bool
    /// Drive the track clockwise (the waypoints in reverse order).
    public var reverseDirection: Bool
    /// Where the first episode starts, as a fraction of the lap from waypoint 0.
    public var startOffset: Double
    /// Most steps in one episode before it is cut short.
    public var maximumSteps: Int
    /// How the car responds to commands.
    public var dynamics: CarDynamics
    /// Random variation in the car's response, like Gazebo's (seeded by `seed`).
    public var noise: CarNoise
    /// Seed for every random choice (object placement, bot lane changes, the car's noise).
    public var seed: UInt64

    public init(
        raceType: RaceType = .timeTrial, mode: SimulationMode = .training, roundRobinStarts: Bool = true,
        roundRobinAdvance: Double = 0.05, alternateDirection: Bool = false, reverseDirection: Bool = false,
        startOffset: Double = 0, maximumSteps: Int = 10_000, dynamics: CarDynamics = CarDynamics(),
        noise: CarNoise = .gazebo,
        seed: UInt64 = 0
    ) {
        self.raceType = raceType
        self.mode = mode
        self.roundRobinStarts = roundRobinStarts
        self.roundRobinAdvance = roundRobinAdvance
        self.alternateDirection = alternateDirection
        self.reverseDirection = reverseDirection
        self.startOffset = startOffset
        self.maximumSteps = maximumSteps
        self.dynamics = dynamics
        self.noise = noise
        self.seed = seed
    }

    /// Evaluation as DeepRacer runs it: start on the start line, default penalties.
    public static func evaluation(
        raceType: RaceType = .timeTrial, penalties: EvaluationPenalties = EvaluationPenalties()
    )
        -> SimulationSettings
    {
        SimulationSettings(raceType: raceType, mode: .evaluation(penalties), roundRobinStarts: false)
    }
}

/// Training or evaluation rules.
public enum SimulationMode: Sendable, Equatable {
    /// Any mishap (off track, crash, reversed, immobilized) ends the episode.
    case training
    /// A mishap puts the car back on the track and holds it there for a penalty; only a lap ends
    /// the episode.
    case evaluation(EvaluationPenalties)

    public var isEvaluation: Bool {
        if case .evaluation = self { return true }
        return false
    }
}

/// Seconds a car is held after each kind of mishap in evaluation (DeepRacer's defaults).
public struct EvaluationPenalties: Sendable, Equatable, Codable {
    public var offTrack: Double
    public var collision: Double
    public var reversed: Double
    public var immobilized: Double

    public init(offTrack: Double = 2.0, collision: Double = 5.0, reversed: Double? = nil, immobilized: Double = 0) {
        self.offTrack = offTrack
        self.collision = collision
        self.reversed = reversed ?? offTrack
        self.immobilized = immobilized
    }
}

/// A command for one step: the steering angle and speed the policy chose.
public struct Action: Sendable, Equatable, Codable {
    /// Degrees, positive steers left; clipped to -30 ... 30 when driving.
    public var steeringAngle: Double
    /// Metres per second; clipped to 0.1 ... 4 when driving.
    public var speed: Double

    public init(steeringAngle: Double, speed: Double) {
        self.steeringAngle = steeringAngle
        self.speed = speed
    }
}
