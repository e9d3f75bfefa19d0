#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the car responds to commands: DeepRacer's Gazebo car as a rigid body on four tyres.
///
/// DeepRacer's simulator sends one wheel speed to all four wheels (no differential) and one angle
/// to both steering hinges (no Ackermann), and Gazebo's contact friction is Coulomb's (mu 0.5 in
/// the car's files). So in a bend the wheels scrub: the car turns far less than a bicycle model
/// says (Gazebo's car: 0.27-0.33 of its yaw rate at 1 m/s, full lock; this model: 0.4), and when
/// it asks more of its tyres than friction gives it slides wide or spins. The model
/// (`Model.tyres`):
///
/// - the steering servo follows the command after `steeringDelay` with a first-order lag
///   (`steeringTimeConstant`) and a rate limit; the wheels' surface speed follows the commanded
///   speed the same way (`wheelSpeedTimeConstant`, acceleration and deceleration limits);
/// - each wheel's contact point slips against the ground (its velocity minus the wheel's surface
///   speed along the wheel); friction opposes the slip with `friction` times the wheel's load,
///   smoothed below `slipSpeedScale` (Coulomb friction regularised, a friction circle);
/// - forces and moments move the body (mass and yaw inertia from the car's URDF), integrated in
///   `substeps` semi-implicit Euler steps per 15 Hz step.
///
/// `Model.kinematic` is Paddock's earlier car: a bicycle on rails with two first-order lags, kept
/// to compare against. The parameters of DeepRacer's car are fitted to Gazebo's own simtraces by
/// `paddock sim fit` and kept in CarDynamics+Fitted.swift (docs/car-dynamics.md).
public struct CarDynamics: Sendable, Equatable {
    /// Which physics moves the car.
    public enum Model: String, Sendable, Equatable, CaseIterable {
        /// Four tyres with Coulomb friction on a rigid body (DeepRacer's Gazebo car).
        case tyres
        /// A kinematic bicycle model with lags and no slip (Paddock before calibration).
        case kinematic
    }

    public var model: Model
    /// Time from a command to the actuators starting to follow it, seconds (at most one step).
    public var steeringDelay: Double
    /// Time constant of the steering servo, seconds.
    public var steeringTimeConstant: Double
    /// Fastest the steering turns, radians per second.
    public var steeringRateLimit: Double
    /// Time constant of the wheels' surface speed following the commanded speed, seconds.
    public var wheelSpeedTimeConstant: Double
    /// Fastest the wheels' surface speed rises, metres per second squared.
    public var wheelAccelerationLimit: Double
    /// Fastest the wheels' surface speed falls, metres per second squared.
    public var wheelDecelerationLimit: Double
    /// Tyre-ground friction coefficient (the largest force over the load).
    public var friction: Double
    /// Slip speed below which friction grows in proportion to the slip, metres per second.
    public var slipSpeedScale: Double
    /// Yaw inertia over mass, square metres (URDF: 0.0802 kg m² / 6.56 kg).
    public var yawInertiaPerMass: Double
    /// Integration steps per 15 Hz step.
    public var substeps: Int

    public init(
        model: Model = .tyres, steeringDelay: Double = 0, steeringTimeConstant: Double, steeringRateLimit: Double,
        wheelSpeedTimeConstant: Double, wheelAccelerationLimit: Double, wheelDecelerationLimit: Double,
        friction: Double, slipSpeedScale: Double, yawInertiaPerMass: Double = CarDynamics.urdfYawInertiaPerMass,
        substeps: Int = 10
    ) {
        self.model = model
        self.steeringDelay = steeringDelay
        self.steeringTimeConstant = steeringTimeConstant
        self.steeringRateLimit = steeringRateLimit
        self.wheelSpeedTimeConstant = wheelSpeedTimeConstant
        self.wheelAccelerationLimit = wheelAccelerationLimit
        self.wheelDecelerationLimit = wheelDecelerationLimit
        self.friction = friction
        self.slipSpeedScale = slipSpeedScale
        self.yawInertiaPerMass = yawInertiaPerMass
        self.substeps = substeps
    }

    /// DeepRacer's car as the console's simulator runs it today (model version 5 and later; see
    /// CarDynamics+Fitted.swift). Paddock trains, evaluates and races on this car.
    public init() { self = .deepRacer }

    /// Yaw inertia over mass from the car's URDF: chassis izz 0.05865 kg m², four 0.34055 kg wheels
    /// and two 0.1 kg hinges at their positions, over 6.564 kg.
    public static let urdfYawInertiaPerMass = 0.0122

    /// Paddock's car before calibration: a kinematic bicycle, steering lag 0.08 s, speed lag 0.25 s.
    public static let kinematic = CarDynamics(
        model: .kinematic, steeringTimeConstant: 0.08, steeringRateLimit: .infinity, wheelSpeedTimeConstant: 0.25,
        wheelAccelerationLimit: .infinity, wheelDecelerationLimit: .infinity, friction: .infinity,
        slipSpeedScale: 0, substeps: 1)

    /// The state `duration` seconds later under a constant command.
    ///
    /// - Parameters:
    ///   - speed: commanded speed, metres per second (already clipped).
    ///   - steeringAngle: commanded steering, radians (already clipped).
    ///   - frictionScale: this episode's friction relative to `friction` (noise; 1 for none).
    public func advance(
        _ state: CarState, speed: Double, steeringAngle: Double, duration: Double, frictionScale: Double = 1
    ) -> CarState {
        var next: CarState
        switch model {
        case .kinematic: next = advanceKinematic(state, speed: speed, steeringAngle: steeringAngle, duration: duration)
        case .tyres:
            next = advanceTyres(
                state, speed: speed, steeringAngle: steeringAngle, duration: duration, frictionScale: frictionScale)
        }
        next.previousCommand = (speed, steeringAngle)
        return next
    }

    /// The actuators (steering servo, wheel speed) one substep `h` on, under commands `speed` and
    /// `steeringAngle`.
    @inline(__always)
    func actuate(_ state: inout CarState, speed: Double, steeringAngle: Double, h: Double) {
        let steeringStep = (steeringAngle - state.steeringAngle) * (1 - exp(-h / steeringTimeConstant))
        let steeringLimit = steeringRateLimit * h
        state.steeringAngle += min(max(steeringStep, -steeringLimit), steeringLimit)
        let wheelStep = (speed - state.wheelSpeed) * (1 - exp(-h / wheelSpeedTimeConstant))
        state.wheelSpeed += min(max(wheelStep, -wheelDecelerationLimit * h), wheelAccelerationLimit * h)
    }

    /// The steering servo and wheel speed alone, `duration` seconds on under a command (the body
    /// is not moved): how the actuators stand after a recorded series of commands.
    public func advanceActuators(_ state: CarState, speed: Double, steeringAngle: Double, duration: Double)
        -> CarState
    {
        var car = state
        switch model {
        case .kinematic:
            car = advanceKinematic(state, speed: speed, steeringAngle: steeringAngle, duration: duration)
            car.position = state.position
            car.heading = state.heading
        case .tyres:
            let count = max(substeps, 1)
            let h = duration / Double(count)
            for i in 0..<count {
                let inDelay = (Double(i) + 0.5) * h < steeringDelay
                actuate(
                    &car, speed: inDelay ? state.previousCommand.speed : speed,
                    steeringAngle: inDelay ? state.previousCommand.steeringAngle : steeringAngle, h: h)
            }
        }
        car.previousCommand = (speed, steeringAngle)
        return car
    }

    func advanceTyres(
        _ state: CarState, speed: Double, steeringAngle: Double, duration: Double, frictionScale: Double
    ) -> CarState {
        var car = state
        let count = max(substeps, 1)
        let h = duration / Double(count)
        // Each wheel carries a quarter of the weight: friction force per unit of the car's mass.
        let grip = friction * frictionScale * 9.81 / 4
        let epsilon2 = slipSpeedScale * slipSpeedScale
        for i in 0..<count {
            let inDelay = (Double(i) + 0.5) * h < steeringDelay
            actuate(
                &car, speed: inDelay ? state.previousCommand.speed : speed,
                steeringAngle: inDelay ? state.previousCommand.steeringAngle : steeringAngle, h: h)
            let vx = car.speed
            let vy = car.lateralSpeed
            let r = car.yawRate
            let w = car.wheelSpeed
            let c = cos(car.steeringAngle)
            let s = sin(car.steeringAngle)
            var fx = 0.0
            var fy = 0.0
            var moment = 0.0
            for wheel in CarGeometry.wheelCentres.indices {
                let p = CarGeometry.wheelCentres[wheel]
                let isFront = wheel & 1 == 1
                // The contact point's velocity in the body frame, then along and across the wheel.
                let ux = vx - r * p.y
                let uy = vy + r * p.x
                let along = isFront ? ux * c + uy * s : ux
                let across = isFront ? -ux * s + uy * c : uy
                let slipAlong = along - w
                let scale = -grip / (slipAlong * slipAlong + across * across + epsilon2).squareRoot()
                let forceAlong = slipAlong * scale
                let forceAcross = across * scale
                let bodyX = isFront ? forceAlong * c - forceAcross * s : forceAlong
                let bodyY = isFront ? forceAlong * s + forceAcross * c : forceAcross
                fx += bodyX
                fy += bodyY
                moment += p.x * bodyY - p.y * bodyX
            }
            car.speed = vx + h * (fx + r * vy)
            car.lateralSpeed = vy + h * (fy - r * vx)
            car.yawRate = r + h * moment / yawInertiaPerMass
            let cosHeading = cos(car.heading)
            let sinHeading = sin(car.heading)
            car.position = Vector2(
                car.position.x + h * (cosHeading * car.speed - sinHeading * car.lateralSpeed),
                car.position.y + h * (sinHeading * car.speed + cosHeading * car.lateralSpeed))
            car.heading += h * car.yawRate
        }
        car.heading = Self.wrapAngle(car.heading)
        return car
    }

    func advanceKinematic(_ state: CarState, speed: Double, steeringAngle: Double, duration: Double) -> CarState {
        let speedBlend = wheelSpeedTimeConstant > 0 ? 1 - exp(-duration / wheelSpeedTimeConstant) : 1
        let steeringBlend = steeringTimeConstant > 0 ? 1 - exp(-duration / steeringTimeConstant) : 1
        var next = state
        next.speed += (speed - state.speed) * speedBlend
        next.wheelSpeed = next.speed
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
        next.yawRate = duration > 0 ? turn / duration : 0
        next.lateralSpeed = 0
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
