import Testing

@testable import Simulator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct CarDynamicsTests {
    /// Drives `car` from rest under one command for `steps` 15 Hz steps; every state after each step.
    static func drive(
        _ car: CarDynamics, speed: Double, steeringDegrees: Double, steps: Int, frictionScale: Double = 1
    ) -> [CarState] {
        var state = CarState(position: .zero, heading: 0)
        var states = [state]
        for _ in 0..<steps {
            state = car.advance(
                state, speed: speed, steeringAngle: steeringDegrees * .pi / 180, duration: CarGeometry.stepDuration,
                frictionScale: frictionScale)
            states.append(state)
        }
        return states
    }

    /// The tyres cannot hold more than friction gives: at any speed and full lock the body's
    /// sideways acceleration stays under friction times g (and the old car's did not).
    @Test(arguments: [1.0, 2.0, 3.0, 4.0])
    func lateralAccelerationIsLimitedByGrip(speed: Double) {
        let car = CarDynamics.deepRacer
        let states = Self.drive(car, speed: speed, steeringDegrees: 30, steps: 60)
        let limit = car.friction * 9.81
        for (a, b) in zip(states, states.dropFirst()) {
            #expect(abs(a.lateralAcceleration(to: b, duration: CarGeometry.stepDuration)) <= limit * 1.02)
        }
        guard speed >= 2 else { return }
        let old = Self.drive(.kinematic, speed: speed, steeringDegrees: 30, steps: 60)
        let oldMost = zip(old, old.dropFirst()).map { abs($0.lateralAcceleration(to: $1, duration: 1 / 15.0)) }.max()
        #expect((oldMost ?? 0) > limit * 1.5)
    }

    /// DeepRacer's car scrubs (no differential, no Ackermann): at 1 m/s and full lock Gazebo's
    /// car turns at about a third of the bicycle model's yaw rate (simtraces: 0.27-0.33).
    @Test func understeersLikeGazebo() {
        let states = Self.drive(.deepRacer, speed: 1, steeringDegrees: 30, steps: 45)
        let last = states[states.count - 1]
        let kinematic = last.speed * tan(30 * Double.pi / 180) / CarGeometry.wheelbase
        let ratio = last.yawRate / kinematic
        #expect(ratio > 0.15 && ratio < 0.5, "yaw rate \(last.yawRate) rad/s is \(ratio) of the bicycle's")
    }

    /// From rest to 1 m/s: Gazebo's car gains about 0.2 m/s a step at first and is near 1 m/s after
    /// half a second (simtraces: 0.13, 0.34, 0.56, 0.73, 0.84, 0.95 m/s over the first steps).
    @Test func speedsUpLikeGazebo() {
        let states = Self.drive(.deepRacer, speed: 1, steeringDegrees: 0, steps: 8)
        #expect(abs(states[3].speed - 0.6) < 0.2, "after 3 steps: \(states[3].speed) m/s")
        #expect(abs(states[8].speed - 1.0) < 0.12, "after 8 steps: \(states[8].speed) m/s")
        #expect(states.allSatisfy { abs($0.lateralSpeed) < 1e-9 && abs($0.yawRate) < 1e-9 })
    }

    /// Asked for full lock at 4 m/s, the front tyres give way and the car runs wide: its path bends
    /// on a radius of several metres (grip: v²/R ≤ friction × g), not the bicycle's 0.28 m.
    @Test func runsWideWhenAskedTooMuch() {
        var state = CarState(position: .zero, heading: 0, speed: 4, wheelSpeed: 4)
        state.previousCommand = (4, 0)
        var states = [state]
        for _ in 0..<30 {
            state = CarDynamics.deepRacer.advance(
                state, speed: 4, steeringAngle: 30 * .pi / 180, duration: CarGeometry.stepDuration)
            states.append(state)
        }
        // The course (direction of travel) turns at speed / radius.
        let courses = states.map { $0.velocity.angle }
        for k in 5..<30 {
            let rate = abs(CarDynamics.wrapAngle(courses[k + 1] - courses[k])) / CarGeometry.stepDuration
            let radius = states[k].velocity.length / rate
            #expect(radius > 3, "step \(k): radius \(radius) m")
        }
    }

    @Test func lessFrictionSlidesWider() {
        let grippy = Self.drive(.deepRacer, speed: 3, steeringDegrees: 20, steps: 20, frictionScale: 1.2)
        let slippery = Self.drive(.deepRacer, speed: 3, steeringDegrees: 20, steps: 20, frictionScale: 0.8)
        let turnGrippy = abs(grippy[grippy.count - 1].heading)
        let turnSlippery = abs(slippery[slippery.count - 1].heading)
        #expect(turnGrippy != turnSlippery)
    }

    /// With noise, the same seed drives the same laps and different trials differ.
    @Test func noiseIsSeeded() {
        func laps(seed: UInt64) -> [Double] {
            let settings = SimulationSettings.evaluation()
            var seeded = settings
            seeded.seed = seed
            let driver = ScriptedDriver(topSpeed: 1.5, cornerSpeed: 1.0)
            return Evaluation.run(track: TestTracks.circle(), trials: 3, settings: seeded) {
                driver.action(for: $0.car, on: $0.track)
            }.map { $0.elapsedTime }
        }
        let first = laps(seed: 1)
        #expect(first == laps(seed: 1))
        #expect(Set(first).count > 1, "three trials took \(first)")
        var quiet = SimulationSettings.evaluation()
        quiet.noise = .none
        let driver = ScriptedDriver(topSpeed: 1.5, cornerSpeed: 1.0)
        let still = Evaluation.run(track: TestTracks.circle(), trials: 2, settings: quiet) {
            driver.action(for: $0.car, on: $0.track)
        }
        #expect(still[0].steps == still[1].steps)
        #expect(abs(still[0].elapsedTime - still[1].elapsedTime) < 1e-9)
    }

    @Test func nelderMeadFindsAMinimum() {
        let result = NelderMead(maximumEvaluations: 2_000, tolerance: 1e-12).minimize([-1.2, 1]) { x in
            let a = 1 - x[0]
            let b = x[1] - x[0] * x[0]
            return a * a + 100 * b * b
        }
        #expect(abs(result.point[0] - 1) < 1e-3 && abs(result.point[1] - 1) < 1e-3)
    }
}
