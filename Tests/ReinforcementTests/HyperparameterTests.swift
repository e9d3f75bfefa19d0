import Foundation
import Testing

@testable import Reinforcement

@Suite struct HyperparameterTests {
    @Test func defaultsAreDeepRacers() throws {
        let ppo = Hyperparameters.defaults(for: .ppo)
        #expect(ppo.batchSize == 64 && ppo.numberOfEpochs == 10 && ppo.learningRate == 0.0003)
        #expect(ppo.entropyBonus == 0.01 && ppo.discountFactor == 0.999 && ppo.lossType == .huber)
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
