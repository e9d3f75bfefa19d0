import Testing

@testable import RewardScript
@testable import Simulator

@Suite(.serialized) struct RewardMapTests {
    @Test func mapFollowsTheRewardBands() throws {
        let function = try RewardFunctionTests.example("follow_centre_line")
        let map = try RewardMap.compute(function: function, track: StraightPoses.track, resolution: 0.05)
        // Across the 1 m straight at x = 5: 1.0 near the centre, 0.5 further out, 0.1 at the edges.
        #expect(map.value(at: Vector2(5, 0)) == 1.0)
        #expect(map.value(at: Vector2(5, 0.2)) == 0.5)
        #expect(map.value(at: Vector2(5, -0.2)) == 0.5)
        #expect(map.value(at: Vector2(5, 0.45)) == 0.1)
        #expect(map.value(at: Vector2(5, 0.7)) == nil)  // off the road
        #expect(map.range == 0.1...1.0)
    }

    @Test func mapErrorsNameThePose() throws {
        let function = try RewardFunction(
            source: "def reward_function(params):\n    return 1.0 if params['y'] < 0.3 else None\n", fileName: "edge.py"
        )
        do {
            _ = try RewardMap.compute(function: function, track: StraightPoses.track, resolution: 0.05)
            Issue.record("the map should fail")
        } catch {
            #expect(error.y >= 0.3)
            #expect(error.description.contains("With the car at x"))
            #expect(error.error == .notANumber(file: "edge.py", type: "NoneType", value: "None"))
        }
    }

    @Test func lapCheckCollectsErrorsAndGoesOn() throws {
        let function = try RewardFunction(
            source: "def reward_function(params):\n    return 1 / 0 if params['steps'] % 10 == 0 else 1.0\n",
            fileName: "tens.py")
        let check = RewardLapCheck.run(function: function, track: StraightPoses.track)
        #expect(check.status == .lapComplete)
        #expect(check.failures.count == 1)
        #expect(check.failures[0].steps.allSatisfy { $0 % 10 == 0 })
        #expect(check.rewards.allSatisfy { $0 == 1 })
        #expect(check.sparkline(width: 10).count == 10)
    }
}
