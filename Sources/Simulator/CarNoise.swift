/// Random variation in how the car responds, so that no two laps are the same (as in Gazebo,
/// whose evaluation trials of one model differ by a few tenths of a second).
///
/// Drawn from the simulation's seed: the same seed gives the same episodes.
public struct CarNoise: Sendable, Equatable {
    /// Standard deviation of the steering the servo is sent, degrees, drawn every step.
    public var steeringNoise: Double
    /// Standard deviation of the speed the wheels are sent, as a fraction of it, drawn every step.
    public var speedNoise: Double
    /// Standard deviation of the tyres' friction, as a fraction of it, drawn every episode.
    public var frictionVariation: Double

    public init(steeringNoise: Double, speedNoise: Double, frictionVariation: Double) {
        self.steeringNoise = steeringNoise
        self.speedNoise = speedNoise
        self.frictionVariation = frictionVariation
    }

    /// Gazebo's variation as Paddock models it (docs/car-dynamics.md: chosen so that evaluation
    /// trials of one model spread as the console's do).
    public static let gazebo = CarNoise(steeringNoise: 1.0, speedNoise: 0.02, frictionVariation: 0.03)

    /// No noise: every run of the same actions is the same to the last digit.
    public static let none = CarNoise(steeringNoise: 0, speedNoise: 0, frictionVariation: 0)
}
