#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the car is and how it moves: the pose of `base_link`, its velocity and yaw rate, and the
/// actual state of its steering servo and wheels.
public struct CarState: Sendable, Equatable {
    /// Position of base_link in track coordinates, metres.
    public var position: Vector2
    /// Yaw in radians, counter-clockwise from +x.
    public var heading: Double
    /// Actual forward speed of base_link along the car's axis, metres per second (lags the
    /// commanded speed).
    public var speed: Double
    /// Actual steering angle of the front wheels, radians (lags the commanded angle; + is left).
    public var steeringAngle: Double
    /// Sideways speed of base_link, metres per second, + to the car's left (the car slides when
    /// its tyres cannot hold it).
    public var lateralSpeed: Double
    /// Yaw rate, radians per second, + counter-clockwise.
    public var yawRate: Double
    /// Surface speed of the wheels, metres per second (all four turn together: DeepRacer's car has
    /// no differential).
    public var wheelSpeed: Double
    /// The command of the step before, in force until the actuators' delay has passed:
    /// speed in metres per second and steering in radians.
    public var previousCommand: (speed: Double, steeringAngle: Double)

    public init(
        position: Vector2, heading: Double, speed: Double = 0, steeringAngle: Double = 0, lateralSpeed: Double = 0,
        yawRate: Double = 0, wheelSpeed: Double? = nil
    ) {
        self.position = position
        self.heading = heading
        self.speed = speed
        self.steeringAngle = steeringAngle
        self.lateralSpeed = lateralSpeed
        self.yawRate = yawRate
        self.wheelSpeed = wheelSpeed ?? speed
        self.previousCommand = (0, 0)
    }

    public static func == (a: CarState, b: CarState) -> Bool {
        a.position == b.position && a.heading == b.heading && a.speed == b.speed && a.steeringAngle == b.steeringAngle
            && a.lateralSpeed == b.lateralSpeed && a.yawRate == b.yawRate && a.wheelSpeed == b.wheelSpeed
            && a.previousCommand == b.previousCommand
    }

    /// The car held still where it is: no motion, wheels and steering at rest.
    public var stopped: CarState { CarState(position: position, heading: heading) }

    /// Velocity of base_link in track coordinates, metres per second.
    public var velocity: Vector2 { forward * speed + forward.perpendicularLeft * lateralSpeed }

    /// The sideways acceleration of base_link between `self` and `next`, `duration` seconds later,
    /// metres per second squared (+ to the left): what the tyres' grip must provide.
    public func lateralAcceleration(to next: CarState, duration: Double) -> Double {
        let left = Vector2(angle: (heading + CarDynamics.wrapAngle(next.heading - heading) / 2)).perpendicularLeft
        return ((next.velocity - velocity) * (1 / duration)).dot(left)
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
