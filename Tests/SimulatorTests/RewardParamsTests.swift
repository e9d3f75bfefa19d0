import Testing

@testable import Simulator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct RewardParamsTests {
    @Test func straightSectionByHand() throws {
        let simulation = Simulation(track: try TestTracks.straight())
        let car = Simulation.car(referencePoint: Vector2(3.0, 0.2), headingDegrees: 0)
        let p = simulation.params(for: car, action: Action(steeringAngle: 10, speed: 1.5))
        #expect(abs(p.x - 3.0) < 1e-12)
        #expect(abs(p.y - 0.2) < 1e-12)
        #expect(abs(p.heading) < 1e-12)
        #expect(abs(p.distanceFromCenter - 0.2) < 1e-12)
        #expect(p.isLeftOfCenter)
        #expect(abs(p.progress - 30) < 1e-9)
        #expect(p.closestWaypoints == (3, 4))
        #expect(abs(p.trackWidth - 1.0) < 1e-12)
        #expect(abs(p.trackLength - 10) < 1e-12)
        #expect(p.allWheelsOnTrack)
        #expect(!p.isOfftrack)
        #expect(p.speed == 1.5)
        #expect(p.steeringAngle == 10)
        #expect(abs(p.projectionDistance - 3.0) < 1e-12)
        #expect(p.waypoints.count == 11)
        #expect(!p.isReversed)
        #expect(p.closestObjects == (0, 0))
        #expect(p.objectsLocation.isEmpty)
    }

    @Test func straightSectionRightOfCentreWithAWheelOff() throws {
        let simulation = Simulation(track: try TestTracks.straight())
        // Reference point 0.45 m right of centre: the right wheels (0.081 m further right) are off.
        let car = Simulation.car(referencePoint: Vector2(5.5, -0.45), headingDegrees: 0)
        let p = simulation.params(for: car)
        #expect(!p.isLeftOfCenter)
        #expect(abs(p.distanceFromCenter - 0.45) < 1e-12)
        #expect(!p.allWheelsOnTrack)
        #expect(!p.isOfftrack)
        #expect(p.closestWaypoints == (5, 6))
    }

    @Test func straightSectionFullyOff() throws {
        let simulation = Simulation(track: try TestTracks.straight())
        let p = simulation.params(for: Simulation.car(referencePoint: Vector2(5, 1.2), headingDegrees: 90))
        #expect(!p.allWheelsOnTrack)
        #expect(p.isOfftrack)
        #expect(abs(p.heading - 90) < 1e-9)
    }

    @Test func curvedSectionByHand() {
        // Reference point at 45 degrees, radius 3.2 (outside the centre line), facing along the track.
        let track = TestTracks.circle()
        let simulation = Simulation(track: track)
        let point = Vector2(3.2 * cos(.pi / 4), 3.2 * sin(.pi / 4))
        let p = simulation.params(for: Simulation.car(referencePoint: point, headingDegrees: 135))
        // The centre line is a polygon: its chord from 40 to 50 degrees lies 3 cos 5° from the middle.
        let chordRadius = 3 * cos(5 * Double.pi / 180)
        #expect(abs(p.distanceFromCenter - (3.2 - chordRadius)) < 1e-9)
        #expect(!p.isLeftOfCenter)  // outside a counter-clockwise circle is to the right
        #expect(abs(p.progress - 12.5) < 1e-9)
        #expect(p.closestWaypoints == (4, 5))
        // Width between the inner and outer chords' midpoints: 1 m times cos 5°.
        #expect(abs(p.trackWidth - cos(5 * Double.pi / 180)) < 1e-9)
        let chord = 2 * 3 * sin(5 * Double.pi / 180)
        #expect(abs(p.trackLength - 36 * chord) < 1e-9)
        #expect(abs(p.projectionDistance - 4.5 * chord) < 1e-9)
        #expect(p.allWheelsOnTrack)
    }

    @Test func curvedSectionReversed() {
        let simulation = Simulation(track: TestTracks.circle(), settings: SimulationSettings(reverseDirection: true))
        // Inside the centre line, driving clockwise: the infield is on the right.
        let point = Vector2(2.8 * cos(.pi / 4), 2.8 * sin(.pi / 4))
        let p = simulation.params(for: Simulation.car(referencePoint: point, headingDegrees: -45))
        #expect(p.isReversed)
        #expect(!p.isLeftOfCenter)
        // Reversed waypoints: 45 degrees is 315 degrees of the way round clockwise from waypoint 0.
        #expect(abs(p.progress - 87.5) < 1e-9)
        #expect(p.closestWaypoints == (31, 32))
    }

    @Test(arguments: [
        // (fraction from start, previous progress, expected)
        (0.10, 9.0, 10.0),
        (0.0, 0.0, 0.0),  // exactly on the start: 0 -> +100 -> crossed backwards -> 0
        (-0.02, 1.0, -2.0),  // backing over the start line goes negative
        (0.02, 99.0, 100.0),  // crossing the line forwards caps at 100
        (-0.98, 97.0, 100.0),
        (0.5, 49.0, 50.0),
    ])
    func progressRule(fraction: Double, previous: Double, expected: Double) {
        #expect(abs(Simulation.deepRacerProgress(fraction, previous: previous) - expected) < 1e-9)
    }

    @Test func jsonHasEveryKeyInOrder() throws {
        let simulation = Simulation(track: try TestTracks.straight())
        let json = simulation.params(for: Simulation.car(referencePoint: Vector2(1, 0), headingDegrees: 0)).json
        guard case .object(let members) = json else {
            Issue.record("params are not an object")
            return
        }
        #expect(members.map(\.0) == RewardParams.keys)
        #expect(RewardParams.keys.count == 26)
        let text = json.text()
        #expect(text.contains("\"closest_waypoints\": [1, 2]"))
        #expect(text.contains("\"steps\": 1,"))
    }
}
