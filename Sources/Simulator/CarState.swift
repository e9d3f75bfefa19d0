#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the car is and how it moves: the pose of `base_link` plus its actual speed and steering.
public struct CarState: Sendable, Equatable {
    /// Position of base_link in track coordinates, metres.
    public var position: Vector2
    /// Yaw in radians, counter-clockwise from +x.
    public var heading: Double
    /// Actual forward speed, metres per second (lags the commanded speed).
    public var speed: Double
    /// Actual steering angle of the front wheels, radians (lags the commanded angle; + is left).
    public var steeringAngle: Double

    public init(position: Vector2, heading: Double, speed: Double = 0, steeringAngle: Double = 0) {
        self.position = position
        self.heading = heading
        self.speed = speed
        self.steeringAngle = steeringAngle
    }

    /// The unit vector the car points along.
    @inlinable public var forward: Vector2 { Vector2(angle: heading) }

    /// A point given in the car's frame (x forward, y left, from base_link), in track coordinates.
    @inlinable public func worldPoint(_ local: Vector2) -> Vector2 {
        let f = forward
        return position + f * local.x + f.perpendicularLeft * local.y
    }

    /// The reward params' reference point, 0.14 m ahead of base_link.
    public var referencePoint: Vector2 { worldPoint(Vector2(CarGeometry.referencePointX, 0)) }

    /// The four wheel centres: left rear, left front, right rear, right front.
    public var wheelCentres: [Vector2] { CarGeometry.wheelCentres.map(worldPoint) }

    /// The corners of the collision box, counter-clockwise from front left.
    public var corners: [Vector2] {
        let l = CarGeometry.halfLength
        let w = CarGeometry.halfWidth
        return [Vector2(l, w), Vector2(-l, w), Vector2(-l, -w), Vector2(l, -w)].map(worldPoint)
    }
}

/// How the car responds to commands: a kinematic bicycle model with first-order lags.
///
/// The DeepRacer simulator drives each wheel with a velocity controller and the steering hinges
/// with position controllers in Gazebo, so the car neither reaches its commanded speed nor its
/// steering angle at once. Paddock models that with two first-order lags whose time constants
/// match the speed-up seen in DeepRacer's own simtrace logs (about 0.5 s from rest to 1.5 m/s),
/// then moves the rear axle along the arc the bicycle model gives (no tyre slip).
public struct CarDynamics: Sendable, Equatable {
    /// Time constant of the speed response, seconds.
    public var speedTimeConstant: Double
    /// Time constant of the steering response, seconds.
    public var steeringTimeConstant: Double

    public init(speedTimeConstant: Double = 0.25, steeringTimeConstant: Double = 0.08) {
        self.speedTimeConstant = speedTimeConstant
        self.steeringTimeConstant = steeringTimeConstant
    }

    /// The state `duration` seconds later under a constant command.
    ///
    /// - Parameters:
    ///   - speed: commanded speed, metres per second (already clipped).
    ///   - steeringAngle: commanded steering, radians (already clipped).
    public func advance(_ state: CarState, speed: Double, steeringAngle: Double, duration: Double) -> CarState {
        let speedBlend = speedTimeConstant > 0 ? 1 - exp(-duration / speedTimeConstant) : 1
        let steeringBlend = steeringTimeConstant > 0 ? 1 - exp(-duration / steeringTimeConstant) : 1
        var next = state
        next.speed += (speed - state.speed) * speedBlend
        next.steeringAngle += (steeringAngle - state.steeringAngle) * steeringBlend
        // Move with the mean speed and steering over the step along the bicycle model's arc.
        let meanSpeed = (state.speed + next.speed) / 2
        let meanSteering = (state.steeringAngle + next.steeringAngle) / 2
        let distance = meanSpeed * duration
        let rearAxle = state.worldPoint(Vector2(CarGeometry.rearAxleX, 0))
        let curvature = tan(meanSteering) / CarGeometry.wheelbase
        let turn = distance * curvature
        let newRearAxle: Vector2
        if abs(turn) < 1e-9 {
            newRearAxle = rearAxle + state.forward * distance
        } else {
            let radius = 1 / curvature
            let centre = rearAxle + state.forward.perpendicularLeft * radius
            newRearAxle = centre + (rearAxle - centre).rotated(by: turn)
        }
        next.heading = Self.wrapAngle(state.heading + turn)
        next.position = newRearAxle - Vector2(angle: next.heading) * CarGeometry.rearAxleX
        return next
    }

    /// `radians` wrapped into -pi ... pi.
    public static func wrapAngle(_ radians: Double) -> Double {
        var a = radians.truncatingRemainder(dividingBy: 2 * .pi)
        if a > .pi { a -= 2 * .pi }
        if a <= -.pi { a += 2 * .pi }
        return a
    }
}
