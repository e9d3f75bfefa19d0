import Foundation
import Testing

@testable import Reinforcement

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

@Suite struct HyperparameterTests {
    @Test func defaultsAreDeepRacers() throws {
        let ppo = Hyperparameters.defaults(for: .ppo)
        #expect(ppo.batchSize == 64 && ppo.numberOfEpochs == 10 && ppo.learningRate == 0.0003)
        #expect(ppo.entropyBonus == 0.01 && ppo.discountFactor == 0.99 && ppo.lossType == .huber)
        #expect(ppo.episodesBetweenTraining == 20)
        let sac = Hyperparameters.defaults(for: .sac)
        #expect(sac.lossType == .meanSquaredError && sac.episodesBetweenTraining == 1 && sac.sacAlpha == 0.2)
        #expect(try ppo.validated(for: .ppo) == ppo)
        #expect(try sac.validated(for: .sac) == sac)
    }

    @Test func readsARealDeepRacerFile() throws {
        let text = """
            {"batch_size": 64, "beta_entropy": 0.01, "discount_factor": 0.95, "e_greedy_value": 1.0,
             "epsilon_steps": 10000, "exploration_type": "categorical", "loss_type": "huber", "lr": 0.0003,
             "num_episodes_between_training": 20, "num_epochs": 3, "stack_size": 1, "term_cond_avg_score": 1000.0,
             "term_cond_max_episodes": 5000}
            """
        let parsed = try JSONDecoder().decode(Hyperparameters.self, from: Data(text.utf8))
        #expect(parsed.numberOfEpochs == 3)
        #expect(parsed.discountFactor == 0.95)
        #expect(parsed.sacAlpha == 0.2)
        let written = try JSONEncoder().encode(parsed)
        #expect(String(decoding: written, as: UTF8.self).contains("\"num_episodes_between_training\":20"))
    }

    @Test func outOfRangeValuesAreNamed() {
        var bad = Hyperparameters()
        bad.batchSize = 100
        #expect(throws: HyperparameterError(key: "batch_size", value: "100", allowed: "32, 64, 128, 256 or 512")) {
            try bad.validated(for: .ppo)
        }
        bad = Hyperparameters(learningRate: 0.1)
        #expect(throws: HyperparameterError.self) { try bad.validated(for: .ppo) }
        bad = Hyperparameters(episodesBetweenTraining: 2)
        #expect(throws: HyperparameterError.self) { try bad.validated(for: .ppo) }
        #expect(
            HyperparameterError(key: "lr", value: "0.1", allowed: "1e-8 to 0.001").description
                == "lr is 0.1; DeepRacer allows 1e-8 to 0.001. Change it in the hyperparameters file, or leave it out for the default."
        )
    }
}
