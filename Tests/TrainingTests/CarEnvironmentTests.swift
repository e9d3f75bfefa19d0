import Assets
import Foundation
import Model
import PaddockTestSupport
import Reinforcement
import RewardScript
import Simulator
import Testing

@testable import Training

/// The car is an `Environment`: anything written against the protocol drives it.
@Suite struct CarEnvironmentTests {
    /// Runs one episode of `environment` with `action` every step, through the protocol only.
    static func episode<E: Environment>(_ environment: inout E, action: AgentAction) throws(E.Failure) -> [Transition] {
        _ = environment.reset()
        var transitions: [Transition] = []
        repeat { transitions.append(try environment.step(action)) } while !(transitions.last?.isDone ?? true)
        return transitions
    }

    @Test func theCarDrivesAnEpisodeThroughTheProtocol() throws {
        let track = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
            .track(named: "beginner_loop")
        let reward = try RewardFunction(source: "def reward_function(params):\n    return 1.0\n", fileName: "one.py")
        var environment = CarEnvironment(
            track: track, settings: SimulationSettings(maximumSteps: 300),
            sensors: Sensors(kinds: [.frontFacingCamera], track: track), reward: reward,
            actionSpace: .consoleDefault)
        // Hard left at 1 m/s: the car leaves the road well before the step cap.
        let transitions = try Self.episode(&environment, action: .discrete(1))
        #expect(transitions.count > 1 && transitions.count < 300)
        let last = try #require(transitions.last)
        #expect(last.isTerminated && !last.isTruncated)
        #expect(environment.lastResult?.status == .offTrack)
        #expect(transitions.allSatisfy { $0.observation.count == environment.observationShape.reduce(1, *) })
        #expect(transitions.dropLast().allSatisfy { !$0.isDone })
        // The function pays 1 on every step DeepRacer calls it on (0 on the others).
        #expect(transitions.allSatisfy { $0.reward == 0 || $0.reward == 1 })
        #expect(transitions.map(\.reward).reduce(0, +) > Double(transitions.count) / 2)
    }
}
