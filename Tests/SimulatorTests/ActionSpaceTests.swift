import Foundation
import Testing

@testable import Simulator

@Suite struct ActionSpaceTests {
    @Test func consoleDefaultIsDeepRacersTenActions() {
        let expected: [(Double, Double)] = [
            (-30, 0.5), (-30, 1.0), (-15, 0.5), (-15, 1.0), (0, 0.5), (0, 1.0), (15, 0.5), (15, 1.0), (30, 0.5),
            (30, 1.0),
        ]
        guard case .discrete(let actions) = ActionSpace.consoleDefault else {
            Issue.record("the default is discrete")
            return
        }
        #expect(actions.map { ($0.steeringAngle, $0.speed) }.elementsEqual(expected, by: ==))
        #expect(ActionSpace.consoleDefault.outputCount == 10)
    }

    /// Paddock's default is what the console's generator makes with a 3 m/s top speed.
    @Test func paddocksDefaultIsTheConsoleGeneratorAtThreeMetresASecond() throws {
        let generated = try ActionSpace.generated(
            maximumSteering: 30, steeringGranularity: 5, maximumSpeed: 3, speedGranularity: 2)
        #expect(ActionSpace.paddockDefault == generated)
        guard case .discrete(let actions) = ActionSpace.paddockDefault else {
            Issue.record("the default is discrete")
            return
        }
        #expect(Set(actions.map(\.speed)) == [1.5, 3])
        #expect(actions.map(\.steeringAngle) == [-30, -30, -15, -15, 0, 0, 15, 15, 30, 30])
    }

    @Test func generatorChecksTheSliders() throws {
        #expect(throws: ActionSpaceError.self) {
            try ActionSpace.generated(maximumSteering: 45, steeringGranularity: 5, maximumSpeed: 1, speedGranularity: 2)
        }
        #expect(throws: ActionSpaceError.self) {
            try ActionSpace.generated(maximumSteering: 30, steeringGranularity: 4, maximumSpeed: 1, speedGranularity: 2)
        }
        let space = try ActionSpace.generated(
            maximumSteering: 20, steeringGranularity: 3, maximumSpeed: 3, speedGranularity: 3)
        #expect(space.outputCount == 9)
        #expect(space.command(index: 2) == .init(steeringAngle: -20, speed: 3))
    }

    @Test func customListsAndContinuousBoundsFollowDeepRacersRules() {
        let one = ActionSpace.discrete([.init(steeringAngle: 0, speed: 1)])
        #expect(throws: ActionSpaceError.wrongCount(1)) { try one.validated() }
        let fast = ActionSpace.discrete([.init(steeringAngle: 0, speed: 1), .init(steeringAngle: 10, speed: 5)])
        #expect(throws: ActionSpaceError.self) { try fast.validated() }
        #expect(throws: ActionSpaceError.self) {
            try ActionSpace.continuous(steering: -30...30, speed: 0.2...2).validated()
        }
        let continuous = ActionSpace.continuous(steering: -30...30, speed: 1...2)
        #expect((try? continuous.validated()) != nil)
        #expect(continuous.command(normalised: [-1, 1]) == .init(steeringAngle: -30, speed: 2))
        #expect(continuous.command(normalised: [0, 0]) == .init(steeringAngle: 0, speed: 1.5))
        #expect(continuous.command(normalised: [3, -7]) == .init(steeringAngle: 30, speed: 1))
    }
}
