import Testing

@testable import Simulator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SimulationTests {
    /// Runs an episode under `policy`, returning every step.
    static func run(_ simulation: inout Simulation, maximumSteps: Int = 5000, policy: (Simulation) -> Action)
        -> [StepResult]
    {
        var results: [StepResult] = []
        simulation.reset()
        while results.count < maximumSteps {
            let result = simulation.step(policy(simulation))
            results.append(result)
            if result.isDone { break }
        }
        return results
    }

    @Test func firstStepIsPrepareAndHoldsTheCar() {
        var simulation = Simulation(track: TestTracks.circle())
        simulation.reset()
        let start = simulation.car
        let first = simulation.step(Action(steeringAngle: 30, speed: 4))
        #expect(first.status == .prepare)
        #expect(!first.callsRewardFunction)
        #expect(first.params.steps == 1)
        #expect(first.car.position == start.position)
        let second = simulation.step(Action(steeringAngle: 0, speed: 4))
        #expect(second.status == .inProgress)
        #expect(second.callsRewardFunction)
        #expect(second.params.steps == 2)
        #expect(second.car.position != start.position)
        #expect(abs(second.simulatedTime - 2.0 / 15.0) < 1e-12)
    }

    @Test func scriptedDriverCompletesALap() {
        var simulation = Simulation(track: TestTracks.circle())
        let driver = ScriptedDriver(topSpeed: 1.5, cornerSpeed: 1.5)
        let results = Self.run(&simulation) { driver.action(for: $0.car, on: $0.track) }
        #expect(results.last?.status == .lapComplete)
        #expect(results.last?.params.progress == 100)
        // 18.8 m at up to 1.5 m/s takes at least 12.5 s = 188 steps.
        #expect(results.count > 180)
        #expect(results.allSatisfy { $0.params.allWheelsOnTrack })
    }

    @Test func drivingStraightOffACurveEndsOffTrack() {
        var simulation = Simulation(track: TestTracks.circle())
        let results = Self.run(&simulation) { _ in Action(steeringAngle: 0, speed: 2) }
        let last = results.last
        #expect(last?.status == .offTrack)
        #expect(last?.params.isOfftrack == true)
        #expect(last?.params.allWheelsOnTrack == false)
        #expect(last?.isDone == true)
        // Before the end, some step had a wheel off while the car was still not off track.
        #expect(results.contains { !$0.params.allWheelsOnTrack && !$0.isDone })
    }

    @Test func drivingBackwardsEndsReversedAfter15Steps() {
        var simulation = Simulation(track: TestTracks.circle())
        simulation.reset()
        // Turn the car round on its start point.
        var car = simulation.car
        car.heading += .pi
        simulation.place(car)
        var results: [StepResult] = []
        repeat {
            results.append(simulation.step(Action(steeringAngle: -30 * 0.55, speed: 0.5)))
        } while !results.last!.isDone && results.count < 200
        #expect(results.last?.status == .reversed)
        // The prepare step, 14 steps of falling progress, and the 15th ends the episode.
        let falling = results.dropFirst().prefix { $0.status != .reversed }.count
        #expect(falling == 14)
        #expect(results.count == 16)
    }

    @Test func aCarThatCannotMoveIsImmobilized() {
        // A car whose speed barely responds moves less than 0.3 mm a step.
        var sluggish = CarDynamics.deepRacer
        sluggish.wheelSpeedTimeConstant = 1e6
        let settings = SimulationSettings(dynamics: sluggish)
        var simulation = Simulation(track: TestTracks.circle(), settings: settings)
        let results = Self.run(&simulation) { _ in Action(steeringAngle: 0, speed: 0.1) }
        #expect(results.last?.status == .immobilized)
        #expect(results.count == 16)  // prepare + 15 still steps
    }

    @Test func roundRobinStartsAdvanceFivePercent() {
        var simulation = Simulation(track: TestTracks.circle())
        var starts: [Double] = []
        for _ in 0..<3 {
            simulation.reset()
            starts.append(simulation.startFraction)
            _ = simulation.step(Action(steeringAngle: 0, speed: 1))
        }
        #expect(starts.map { ($0 * 100).rounded() } == [0, 5, 10])
        // The car starts on the centre line 5% of the lap further round.
        let expected = simulation.track.pose(atDistance: 0.10 * simulation.track.length).position
        #expect(simulation.lastResult.map { _ in true } == true)
        simulation.reset()
        let fifteen = simulation.track.pose(atDistance: 0.15 * simulation.track.length).position
        #expect(simulation.car.position.distance(to: fifteen) < 1e-9)
        #expect(expected != fifteen)
    }

    @Test func alternateDirectionFlipsEachEpisode() {
        var simulation = Simulation(track: TestTracks.circle(), settings: SimulationSettings(alternateDirection: true))
        var directions: [Bool] = []
        for _ in 0..<3 {
            simulation.reset()
            directions.append(simulation.step(Action(steeringAngle: 0, speed: 1)).params.isReversed)
        }
        #expect(directions == [false, true, false])
    }

    @Test func stepCapTruncates() {
        var simulation = Simulation(track: TestTracks.circle(), settings: SimulationSettings(maximumSteps: 20))
        let driver = ScriptedDriver()
        let results = Self.run(&simulation) { driver.action(for: $0.car, on: $0.track) }
        #expect(results.count == 20)
        #expect(results.last?.isTruncated == true)
        #expect(results.last?.status == .inProgress)
    }

    @Test func sameSeedSameEpisode() {
        func episode(seed: UInt64) -> [StepResult] {
            let settings = SimulationSettings(
                raceType: .objectAvoidance(ObstacleSettings(count: 3, randomizeLocations: true)), seed: seed)
            var simulation = Simulation(track: TestTracks.circle(radius: 5), settings: settings)
            let driver = ScriptedDriver()
            return Self.run(&simulation, maximumSteps: 300) { driver.action(for: $0.car, on: $0.track) }
        }
        #expect(episode(seed: 7) == episode(seed: 7))
        #expect(episode(seed: 7).first?.params.objectsLocation != episode(seed: 8).first?.params.objectsLocation)
    }

    @Test func evaluationPutsTheCarBackAndHoldsItForThePenalty() {
        var simulation = Simulation(track: TestTracks.circle(), settings: .evaluation())
        simulation.reset()
        var results: [StepResult] = []
        // Drive straight until off track, then follow the line.
        let driver = ScriptedDriver()
        var leftTrack = false
        repeat {
            let action =
                leftTrack
                ? driver.action(for: simulation.car, on: simulation.track) : Action(steeringAngle: 0, speed: 2)
            let result = simulation.step(action)
            if result.status == .offTrack { leftTrack = true }
            results.append(result)
        } while !results.last!.isDone && results.count < 3000
        let offIndex = results.firstIndex { $0.status == .offTrack }
        #expect(offIndex != nil)
        guard let offIndex else { return }
        // 2 s at 15 steps per second: 30 pause steps, with the car held on the track.
        let pauses = results[(offIndex + 1)...].prefix { $0.status == .pause }
        #expect(pauses.count == 30)
        #expect(pauses.allSatisfy { !$0.callsRewardFunction && $0.params.allWheelsOnTrack })
        #expect(Set(pauses.map(\.car.position)).count == 1)
        #expect(results.last?.status == .lapComplete)
        #expect(simulation.offTrackCount == 1)
        #expect(simulation.penaltySeconds == 2)
        // The lap time includes the penalty.
        #expect(abs(simulation.episodeTime - Double(results.count) / 15) < 1e-9)
    }

    @Test func boxesStandEvenlyInAlternatingLanes() {
        let track = TestTracks.circle(radius: 5)
        var simulation = Simulation(
            track: track, settings: SimulationSettings(raceType: .objectAvoidance(ObstacleSettings(count: 3))))
        simulation.reset()
        let p = simulation.step(Action(steeringAngle: 0, speed: 1)).params
        #expect(p.objectsLocation.count == 3)
        let expected = [2.0, 2.0 + (track.length - 3) / 2, track.length - 1]
        for (distance, want) in zip(p.objectsDistance, expected) { #expect(abs(distance - want) < 0.05) }
        #expect(p.objectsLeftOfCenter == [true, false, true])  // inner lane first; inner is left when counter-clockwise
        for d in p.objectsDistanceFromCenter { #expect(abs(d - 0.25) < 0.02) }  // lanes sit half-way to the border
        #expect(p.objectsSpeed == [0, 0, 0])
        #expect(p.closestObjects == (2, 0))  // the car starts before the first box: behind it wraps to the last
    }

    @Test func drivingIntoABoxCrashes() {
        let track = TestTracks.circle(radius: 5)
        var simulation = Simulation(
            track: track, settings: SimulationSettings(raceType: .objectAvoidance(ObstacleSettings(count: 1))))
        // Follow the inner lane, where the first box stands.
        let driver = ScriptedDriver(topSpeed: 1, cornerSpeed: 1, lateralOffset: 0.25)
        let results = Self.run(&simulation) { driver.action(for: $0.car, on: $0.track) }
        #expect(results.last?.status == .crashed)
        #expect(results.last?.params.isCrashed == true)
        let carDistance = results.last?.params.projectionDistance ?? 0
        #expect(carDistance > 1.5 && carDistance < 2.0)
    }

    @Test func botCarsDriveAtTheirSpeed() {
        let track = TestTracks.circle(radius: 5)
        let settings = SimulationSettings(raceType: .headToBot(BotCarSettings(count: 2, speed: 0.3)))
        var simulation = Simulation(track: track, settings: settings)
        simulation.reset()
        let first = simulation.step(Action(steeringAngle: 0, speed: 0.1)).params
        for _ in 0..<15 { simulation.step(Action(steeringAngle: 0, speed: 0.1)) }
        let later = simulation.lastResult!.params
        #expect(first.objectsSpeed == [0.3, 0.3])
        // 15 steps = 1 s at 0.3 m/s along the centre line.
        #expect(abs((later.objectsDistance[0] - first.objectsDistance[0]) - 0.3) < 0.01)
        #expect(first.objectsLeftOfCenter == [true, false])
    }
}

@Suite struct EvaluationTests {
    @Test func threeTrialsFromTheStartLine() {
        let track = TestTracks.circle()
        let driver = ScriptedDriver(topSpeed: 1.5, cornerSpeed: 1.5)
        var starts: [Vector2] = []
        let results = Evaluation.run(
            track: track,
            policy: { simulation in
                if simulation.steps == 0 { starts.append(simulation.car.position) }
                return driver.action(for: simulation.car, on: simulation.track)
            })
        #expect(results.count == 3)
        #expect(results.allSatisfy { $0.status == .lapComplete && $0.completion == 100 && $0.offTrackCount == 0 })
        // Every trial starts on the start line (no round robin) and takes the same time.
        #expect(starts.allSatisfy { $0.distance(to: starts[0]) < 1e-9 })
        let times = results.compactMap(\.lapTime)
        #expect(times.count == 3)
        #expect(times.allSatisfy { abs($0 - times[0]) < 1e-9 })
        #expect(abs(times[0] - Double(results[0].steps) / 15) < 1e-9)
    }

    @Test func penaltiesCountInTheLapTime() {
        let track = TestTracks.circle()
        let driver = ScriptedDriver(topSpeed: 1.5, cornerSpeed: 1.5)
        let clean = Evaluation.run(track: track, trials: 1, policy: { driver.action(for: $0.car, on: $0.track) })
        // Drive straight off the track at the start, then follow the line.
        let messy = Evaluation.run(
            track: track, trials: 1,
            policy: { simulation in
                simulation.offTrackCount == 0
                    ? Action(steeringAngle: 0, speed: 2) : driver.action(for: simulation.car, on: simulation.track)
            })
        #expect(messy[0].offTrackCount == 1)
        #expect(messy[0].penaltySeconds == 2)
        #expect((messy[0].lapTime ?? 0) > (clean[0].lapTime ?? 0) + 2)
    }
}
