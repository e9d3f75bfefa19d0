import Foundation
import PaddockTestSupport
import Testing

@testable import RewardScript
@testable import Simulator

/// Poses on a 1 m wide straight (centre y = 0, left border at y = +0.5) and what they give.
enum StraightPoses {
    static let track: Track = {
        let xs = (0...10).map(Double.init)
        do {
            return try Track(
                id: "straight", waypoints: xs.map { Vector2($0, 0) }, innerBorder: xs.map { Vector2($0, 0.5) },
                outerBorder: xs.map { Vector2($0, -0.5) })
        } catch {
            fatalError("the straight is valid by construction: \(error)")
        }
    }()

    /// The params for a car whose reference point is `offset` metres left of the centre at x = 4.
    static func params(offset: Double, steering: Double = 0, raceType: RaceType = .timeTrial) -> RewardParams {
        var simulation = Simulation(track: track, settings: SimulationSettings(raceType: raceType))
        simulation.reset()
        return simulation.params(
            for: Simulation.car(referencePoint: Vector2(4, offset), headingDegrees: 0),
            action: Action(steeringAngle: steering, speed: 1))
    }
}

@Suite(.serialized) struct RewardFunctionTests {
    static func example(_ name: String) throws -> RewardFunction {
        try RewardFunction(
            contentsOf: RepositoryPaths.root.appendingPathComponent("assets/reward_functions/\(name).py"))
    }

    /// The racing-line reward pays for the distance to the line written into it.
    @Test func racingLineRewardFollowsItsLine() throws {
        // A line 0.2 m left of the straight's centre.
        let line = (0...100).map { Vector2(Double($0) / 10, 0.2) }
        let source = RacingLineReward.source(track: "straight", line: line)
        #expect(source.contains("[4.000, 0.200]"))
        let function = try RewardFunction(source: source, fileName: "racing_line.py")
        #expect(abs(try function.reward(for: StraightPoses.params(offset: 0.2)) - 1) < 1e-9)
        #expect(abs(try function.reward(for: StraightPoses.params(offset: 0)) - 0.6) < 1e-6)
        #expect(abs(try function.reward(for: StraightPoses.params(offset: -0.3)) - 1e-3) < 1e-9)
        #expect(abs(try function.reward(for: StraightPoses.params(offset: 0.7)) - 1e-3) < 1e-9, "off the road")
    }

    /// Markers at 0.1, 0.25 and 0.5 of the 1 m width.
    @Test(arguments: [(0.0, 1.0), (0.09, 1.0), (-0.2, 0.5), (0.3, 0.1), (-0.49, 0.1), (0.55, 1e-3)])
    func followCentreLine(offset: Double, expected: Double) throws {
        let reward = try Self.example("follow_centre_line").reward(for: StraightPoses.params(offset: offset))
        #expect(reward == expected)
    }

    /// 1.0 with every wheel on and 5 cm to spare. The wheels stand 0.08 m either side of the
    /// reference point's line: at 0.44 m the left ones are off although 6 cm remain to the border.
    @Test(arguments: [(0.0, 1.0), (0.4, 1.0), (0.44, 1e-3), (-0.46, 1e-3)])
    func stayInsideBorders(offset: Double, expected: Double) throws {
        let reward = try Self.example("stay_inside_borders").reward(for: StraightPoses.params(offset: offset))
        #expect(reward == expected)
    }

    @Test(arguments: [(0.0, 10.0, 1.0), (0.0, 20.0, 0.8), (0.2, -30.0, 0.4), (0.2, 15.0, 0.5)])
    func preventZigZag(offset: Double, steering: Double, expected: Double) throws {
        let reward = try Self.example("prevent_zig_zag").reward(
            for: StraightPoses.params(offset: offset, steering: steering))
        #expect(abs(reward - expected) < 1e-12)
    }

    @Test func objectAvoidanceWithoutObjects() throws {
        // No objects: lane 1.0 and full avoidance: 1e-3 + 1 + 4.
        let reward = try Self.example("object_avoidance").reward(for: StraightPoses.params(offset: 0.1))
        #expect(abs(reward - 5.001) < 1e-12)
    }

    @Test func objectAvoidanceNearABoxInTheSameLane() throws {
        var params = StraightPoses.params(offset: 0.25)
        params.objectsLocation = [Vector2(4.6, 0.25), Vector2(8, -0.25)]
        params.objectsLeftOfCenter = [true, false]
        params.closestObjects = (1, 0)
        let function = try Self.example("object_avoidance")
        // 0.6 m from the box in the same lane: avoidance halves.
        #expect(abs(try function.reward(for: params) - (1e-3 + 1 + 4 * 0.5)) < 1e-12)
        // 0.4 m: a fifth.
        params.objectsLocation[0] = Vector2(4.4, 0.25)
        #expect(abs(try function.reward(for: params) - (1e-3 + 1 + 4 * 0.2)) < 1e-12)
        // 0.2 m: about to crash.
        params.objectsLocation[0] = Vector2(4.2, 0.25)
        #expect(abs(try function.reward(for: params) - (1e-3 + 1 + 4 * 1e-3)) < 1e-12)
        // The same distance in the other lane is no danger.
        params.objectsLeftOfCenter[0] = false
        #expect(abs(try function.reward(for: params) - 5.001) < 1e-12)
    }

    @Test func paramsArriveWithDeepRacersTypes() throws {
        let source = """
            def reward_function(params):
                checks = [
                    isinstance(params['all_wheels_on_track'], bool),
                    isinstance(params['x'], float),
                    isinstance(params['steps'], int),
                    isinstance(params['waypoints'], list),
                    isinstance(params['waypoints'][0], tuple),
                    isinstance(params['closest_waypoints'], list),
                    isinstance(params['objects_location'], list),
                    len(params) == 26,
                ]
                return float(sum(checks))
            """
        let function = try RewardFunction(source: source, fileName: "types.py")
        #expect(try function.reward(for: StraightPoses.params(offset: 0)) == 8)
    }

    @Test func eachCallGetsAFreshCopy() throws {
        let source = """
            def reward_function(params):
                params['waypoints'].append((0.0, 0.0))
                params['x'] = 99.0
                return float(len(params['waypoints']))
            """
        let function = try RewardFunction(source: source, fileName: "mutate.py")
        let params = StraightPoses.params(offset: 0)
        #expect(try function.reward(for: params) == 12)
        #expect(try function.reward(for: params) == 12)
    }

    @Test func scientificLibrariesImport() throws {
        let source = """
            import math, random
            import numpy as np
            import scipy.spatial
            from shapely.geometry import Point, Polygon

            def reward_function(params):
                road = Polygon([(0, -0.5), (10, -0.5), (10, 0.5), (0, 0.5)])
                inside = road.contains(Point(params['x'], params['y']))
                return float(np.clip(math.cos(0.0), 0, 1)) if inside else 0.0
            """
        let function = try RewardFunction(source: source, fileName: "imports.py")
        #expect(try function.reward(for: StraightPoses.params(offset: 0)) == 1)
    }

    @Test func resultsGoThroughFloatAsInDeepRacer() throws {
        for (body, expected) in [
            ("return 2", 2.0), ("return True", 1.0), ("import numpy; return numpy.float32(0.5)", 0.5),
        ] {
            let function = try RewardFunction(source: "def reward_function(params):\n    \(body)\n", fileName: "r.py")
            #expect(try function.reward(for: StraightPoses.params(offset: 0)) == expected)
        }
    }

    @Test func batchCallsMatchSingleCalls() throws {
        let function = try Self.example("follow_centre_line")
        let batch = [0.0, 0.2, 0.3, 0.6].map { StraightPoses.params(offset: $0) }
        #expect(try function.rewards(for: batch) == batch.map { try function.reward(for: $0) })
    }
}
