import ArgumentParser
import Assets
import Foundation
import Model
import Simulator
import Training

/// `paddock bench first-lap`: how long training takes to produce a model that laps cleanly.
struct FirstLapBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "first-lap",
        abstract: "Wall time from the start of training to a model that completes 3 of 3 evaluation laps.",
        discussion: """
            Trains with the default lesson settings (paddock-fast network, the console's 10 actions, \
            the follow-the-centre-line reward, DeepRacer's default hyperparameters) in a temporary \
            folder, and after every iteration drives a 3-lap evaluation with DeepRacer's rules. The \
            clock runs through training and these evaluations. Repeated for each seed; the median is \
            reported.
            """
    )

    @Option(help: "Track id or .npy path.") var track = "beginner_loop"
    @Option(parsing: .unconditional, help: "Seeds to train with.") var seeds = 3
    @Option(parsing: .unconditional, help: "Give up on a seed after this many minutes.") var limit = 15.0
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let loaded = try TrackCatalog.standard().track(named: track)
        let reward = try String(
            contentsOf: DataDirectory.locate().root.appendingPathComponent(
                "assets/reward_functions/follow_centre_line.py"),
            encoding: .utf8)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var results: [(seed: UInt64, seconds: Double?, iterations: Int)] = []
        for seed in 0..<UInt64(max(seeds, 1)) {
            let settings = TrainingSettings(seed: seed)
            let folder = try ModelFolder(name: "seed\(seed)", in: scratch)
            let start = ContinuousClock.now
            let session = try TrainingSession(
                folder: folder, description: ModelDescription(track: track, settings: settings), track: loaded,
                rewardSource: reward)
            var done: Double?
            while (ContinuousClock.now - start).seconds < limit * 60 {
                guard try session.runIteration() != nil else { break }
                let laps = TrainedModel.evaluate(
                    learner: session.trainer.learner, settings: settings, track: loaded, trials: 3, raceType: .timeTrial
                )
                let clean = laps.filter { $0.status == .lapComplete && $0.offTrackCount == 0 }.count
                if !json {
                    print(
                        String(
                            format: "  seed %d, iteration %d, %.0f s: %d of 3 clean laps", seed,
                            session.state.iterations,
                            (ContinuousClock.now - start).seconds, clean))
                }
                if clean == 3 {
                    done = (ContinuousClock.now - start).seconds
                    break
                }
            }
            results.append((seed, done, session.state.iterations))
        }
        let times = results.compactMap(\.seconds).sorted()
        let median = times.count == results.count ? times[times.count / 2] : nil
        if json {
            print(
                JSONValue.object([
                    ("track", .string(loaded.id)),
                    (
                        "seeds",
                        .array(
                            results.map { result in
                                .object([
                                    ("seed", .int(Int(result.seed))),
                                    ("seconds", result.seconds.map(JSONValue.double) ?? .null),
                                    ("iterations", .int(result.iterations)),
                                ])
                            })
                    ),
                    ("median_seconds", median.map(JSONValue.double) ?? .null),
                ]).text())
        } else {
            for result in results {
                let time =
                    result.seconds.map { String(format: "%.0f s (%.1f min)", $0, $0 / 60) }
                    ?? "no clean lap within the limit"
                print("seed \(result.seed): \(time) after \(result.iterations) iterations")
            }
            if let median {
                print(
                    String(
                        format: "Median time to 3 clean laps on %@: %.0f s (%.1f min).", loaded.id, median, median / 60)
                )
            }
        }
    }
}
