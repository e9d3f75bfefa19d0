#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A simple hand-written driver that follows the centre line (pure pursuit), for demos,
/// benchmarks and checks that need a car going round without a trained policy.
///
/// It aims at the centre-line point `lookahead` metres ahead of the car's nearest point and
/// steers along the arc that reaches it; it slows down where the track bends.
public struct ScriptedDriver: Sendable {
    /// How far ahead along the centre line the driver aims, metres.
    public var lookahead: Double
    /// Speed on straights, metres per second.
    public var topSpeed: Double
    /// Speed in the tightest bends, metres per second.
    public var cornerSpeed: Double
    /// Sideways offset from the centre line to aim at, metres (positive is left).
    public var lateralOffset: Double

    public init(lookahead: Double = 0.45, topSpeed: Double = 2.0, cornerSpeed: Double = 1.0, lateralOffset: Double = 0)
    {
        self.lookahead = lookahead
        self.topSpeed = topSpeed
        self.cornerSpeed = cornerSpeed
        self.lateralOffset = lateralOffset
    }

    /// The action to take from `car` on `track` (driven in its waypoints' order).
    public func action(for car: CarState, on track: Track) -> Action {
        let rearAxle = car.worldPoint(Vector2(CarGeometry.rearAxleX, 0))
        let here = track.project(car.referencePoint).distanceAlong
        let target = track.pose(atDistance: here + lookahead)
        let aim = target.position + Vector2(angle: target.heading).perpendicularLeft * lateralOffset
        let toAim = aim - rearAxle
        let alpha = CarDynamics.wrapAngle(toAim.angle - car.heading)
        let distance = max(toAim.length, 1e-3)
        let steering = atan(2 * CarGeometry.wheelbase * sin(alpha) / distance) * 180 / .pi
        // Slow down by how much the track turns over the next metre.
        let ahead = track.pose(atDistance: here + 1.0).heading
        let bend =
            abs(CarDynamics.wrapAngle(ahead - target.heading))
            + abs(CarDynamics.wrapAngle(target.heading - car.heading))
        let blend = min(bend / 1.2, 1)
        let speed = topSpeed + (cornerSpeed - topSpeed) * blend
        return Action(
            steeringAngle: min(
                max(steering, CarGeometry.steeringRange.lowerBound), CarGeometry.steeringRange.upperBound),
            speed: speed)
    }
}
