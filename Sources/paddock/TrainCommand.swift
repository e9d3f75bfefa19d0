import ArgumentParser
import Assets
import Foundation
import Reinforcement
import RewardScript
import Simulator
import Training

/// `paddock train`: teach a model to drive.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model to drive a track from its camera, with your reward function."
    )

    @Option(help: "The model's name.") var model: String
    @Option(help: "Track id or .npy path.") var track = "beginner_loop"
    @Option(help: "The reward function (Python).") var reward = "assets/reward_functions/follow_centre_line.py"
    @Option(help: "paddock-fast (default), deepracer-3-layer or deepracer-5-layer.") var network = "paddock-fast"
    @Option(help: "Minutes to train.") var minutes = 10.0
    @Option(help: "Random seed.") var seed: UInt64 = 0

    func run() throws {
        let loaded = try TrackCatalog.standard().track(named: track)
        let function = try RewardFunction(contentsOf: URL(fileURLWithPath: reward))
        guard let architecture = NetworkArchitecture(shortName: network) else {
            throw ValidationError("Unknown network '\(network)'.")
        }
        let settings = TrainingSettings(network: architecture, seed: seed)
        let trainer = Trainer(track: loaded, settings: settings, rewardFunction: function)
        let start = ContinuousClock.now
        let limit = Duration.seconds(minutes * 60)
        while ContinuousClock.now - start < limit {
            let iterationStart = ContinuousClock.now
            let report = try trainer.runIteration()
            let seconds = (ContinuousClock.now - iterationStart).seconds
            let evaluations = report.evaluation.map { String(format: "%.0f", $0.completion) }.joined(separator: " ")
            print(
                String(
                    format:
                        "iteration %3d  %6.1f s  reward %7.1f  completion %5.1f%%  eval [%@]  %4.0f steps/s  entropy %.2f",
                    report.iteration, (ContinuousClock.now - start).seconds, report.meanTrainingReward,
                    report.meanTrainingCompletion, evaluations, Double(report.steps) / seconds, report.update.entropy))
            fflush(nil)
        }
    }
}
