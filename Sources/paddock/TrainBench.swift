import ArgumentParser
import Assets
import Foundation
import Model
import Simulator
import Training

/// `paddock bench train`: training steps per second on one core against all of them, in one run.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training steps per second with 1 thread and with all cores, and whether they learn the same.",
        discussion: """
            Trains the same new model (the default settings, the follow-the-centre-line reward, seed 0) \
            twice in temporary folders, once on one thread and once on --threads cores, for the same \
            iterations, and times the training part of each iteration (episodes and update; the \
            evaluation episodes are left out, as in `paddock train`'s steps/s). With 2 or more cores \
            PPO's policy and value networks learn at the same time, so both runs must end with \
            identical weights: the bench says whether they do.
            """
    )

    @Option(help: "Track id or .npy path.") var track = "beginner_loop"
    @Option(help: "paddock-fast (default), deepracer-3-layer or deepracer-5-layer.") var network = "paddock-fast"
    @Option(parsing: .unconditional, help: "Iterations to time in each run.") var iterations = 3
    @Option(parsing: .unconditional, help: "Cores for the second run (default: all).") var threads: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard let architecture = NetworkArchitecture(shortName: network) else {
            let names = NetworkArchitecture.allCases.map(\.shortName).joined(separator: ", ")
            throw ValidationError("Unknown network '\(network)'; choose one of \(names).")
        }
        let cores = threads ?? Trainer.availableCores
        guard cores >= 1, iterations >= 1 else {
            throw ValidationError("--threads and --iterations must be 1 or more.")
        }
        let loaded = try TrackCatalog.standard().track(named: track)
        let reward = try String(
            contentsOf: DataDirectory.locate().root.appendingPathComponent(
                "assets/reward_functions/follow_centre_line.py"),
            encoding: .utf8)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let settings = TrainingSettings(network: architecture)

        /// Trains `iterations` iterations on `threads` cores: steps per second and the weights.
        func measure(threads: Int) throws -> (stepsPerSecond: Double, weights: [[Float]]) {
            let folder = try ModelFolder(name: "threads\(threads)", in: scratch)
            let session = try TrainingSession(
                folder: folder, description: ModelDescription(track: loaded.id, settings: settings), track: loaded,
                rewardSource: reward)
            session.trainer.threads = threads
            var steps = 0
            var seconds = 0.0
            for _ in 0..<iterations {
                guard let report = try session.runIteration() else { break }
                steps += report.steps
                seconds += report.trainingSeconds
            }
            return (Double(steps) / max(seconds, 1e-9), session.trainer.learner.parameters.map(\.value))
        }
        let one = try measure(threads: 1)
        let many = try measure(threads: cores)
        let ratio = many.stepsPerSecond / one.stepsPerSecond
        let identical = one.weights == many.weights
        if json {
            print(
                JSONValue.object([
                    ("track", .string(loaded.id)), ("network", .string(architecture.shortName)),
                    ("iterations", .int(iterations)), ("threads", .int(cores)),
                    ("steps_per_second_1_thread", .double(one.stepsPerSecond.rounded())),
                    ("steps_per_second", .double(many.stepsPerSecond.rounded())),
                    ("ratio", .double((ratio * 100).rounded() / 100)), ("identical_weights", .bool(identical)),
                ]).text())
            return
        }
        print("Training on \(loaded.id), \(architecture.shortName), \(iterations) iterations, seed 0:")
        print(String(format: "  1 thread:   %6.0f steps/s", one.stepsPerSecond))
        print(String(format: "  %d threads: %6.0f steps/s (%.2fx)", cores, many.stepsPerSecond, ratio))
        print(
            identical
                ? "  Both runs learned identical weights."
                : "  The runs learned different weights: training is not reproducible across core counts.")
    }
}
