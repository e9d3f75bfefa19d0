import ArgumentParser
import Assets
import Foundation
import Model
import Simulator
import Training

/// `paddock bench first-lap`: how long training takes to produce a model that laps reliably.
struct FirstLapBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "first-lap",
        abstract: "Wall time from the start of training to a model that laps reliably (stable).",
        discussion: """
            Trains with the default lesson settings (the console's 10 actions, the \
            follow-the-centre-line reward, the settings `paddock train` uses, PPO) in a temporary \
            folder. After every iteration the trainer evaluates the policy greedily with the car's \
            noise on, 5 episodes from points spread evenly round the lap. A model is stable at the \
            end of \(LapReliability.stableStreak) iterations in a row whose evaluation episodes all \
            complete the lap: the same criterion that picks a model's best checkpoint. The clock \
            runs through training and these evaluations. Repeated for each seed; \
            the median over seeds is reported (a seed that never gets there counts as slower than \
            the limit).
            """
    )

    @Option(help: "Track id or .npy path.") var track = "beginner_loop"
    @Option(parsing: .unconditional, help: "Seeds to train with (0, 1, ...).") var seeds = 5
    @Option(help: "paddock-fast (default), deepracer-3-layer or deepracer-5-layer.") var network = "paddock-fast"
    @Option(parsing: .unconditional, help: "Give up on a seed after this many minutes.") var limit = 15.0
    @Option(
        parsing: .unconditional,
        help: "Top speed of the console's 10-action space, m/s (the lesson's default if not given).")
    var maxSpeed: Double?
    @Option(parsing: .unconditional, help: "Discount factor (the lesson's default if not given).")
    var discount: Double?
    @Option(help: "Reward function file (default: assets/reward_functions/follow_centre_line.py).")
    var reward: String?
    @Option(parsing: .unconditional, help: "Cores to train on (default: all).") var threads: Int?
    @Flag(help: "Print JSON.") var json = false

    struct SeedResult {
        var seed: UInt64
        /// Wall seconds to the stable iteration; nil when the limit came first.
        var seconds: Double?
        var iterations: Int
        /// Mean lap time of the stable iteration's evaluation laps, simulated seconds.
        var lapTime: Double?
    }

    func run() throws {
        guard let architecture = NetworkArchitecture(shortName: network) else {
            let names = NetworkArchitecture.allCases.map(\.shortName).joined(separator: ", ")
            throw ValidationError("Unknown network '\(network)'; choose one of \(names).")
        }
        let loaded = try TrackCatalog.standard().track(named: track)
        let rewardFile =
            try reward.map { URL(fileURLWithPath: $0) }
            ?? DataDirectory.locate().root.appendingPathComponent("assets/reward_functions/follow_centre_line.py")
        let rewardSource = try String(contentsOf: rewardFile, encoding: .utf8)
        var settings = TrainingSettings(network: architecture)
        if let maxSpeed {
            settings.actionSpace = try ActionSpace.generated(
                maximumSteering: 30, steeringGranularity: 5, maximumSpeed: maxSpeed, speedGranularity: 2)
        }
        if let discount { settings.hyperparameters.discountFactor = discount }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var results: [SeedResult] = []
        for seed in 0..<UInt64(max(seeds, 1)) {
            settings.seed = seed
            let result = try train(settings: settings, track: loaded, reward: rewardSource, in: scratch)
            results.append(result)
            if !json {
                let time =
                    result.seconds.map { String(format: "stable after %.0f s (%.1f min)", $0, $0 / 60) }
                    ?? String(format: "not stable within %.0f min", limit)
                let lap = result.lapTime.map { String(format: ", laps in %.2f s", $0) } ?? ""
                print("seed \(seed): \(time), \(result.iterations) iterations\(lap)")
            }
        }
        // Seeds that never got there sort last.
        let sorted = results.sorted { ($0.seconds ?? .infinity) < ($1.seconds ?? .infinity) }
        let middle = sorted[(sorted.count - 1) / 2]
        let medianSeconds = middle.seconds
        let lapTimes = results.compactMap(\.lapTime).sorted()
        let medianLap = lapTimes.isEmpty ? nil : lapTimes[(lapTimes.count - 1) / 2]
        if json {
            print(
                JSONValue.object([
                    ("track", .string(loaded.id)), ("network", .string(architecture.shortName)),
                    ("action_space", .string(Self.describe(settings.actionSpace))),
                    ("discount_factor", .double(settings.hyperparameters.discountFactor)),
                    ("reward_function", .string(rewardFile.lastPathComponent)),
                    ("criterion", .string(Self.criterion)), ("limit_minutes", .double(limit)),
                    (
                        "seeds",
                        .array(
                            results.map { result in
                                .object([
                                    ("seed", .int(Int(result.seed))),
                                    ("seconds_to_stable", result.seconds.map(JSONValue.double) ?? .null),
                                    ("iterations", .int(result.iterations)),
                                    ("lap_time_seconds", result.lapTime.map(JSONValue.double) ?? .null),
                                ])
                            })
                    ),
                    ("median_seconds_to_stable", medianSeconds.map(JSONValue.double) ?? .null),
                    ("lap_time_seconds", medianLap.map(JSONValue.double) ?? .null),
                ]).text())
        } else {
            let median =
                medianSeconds.map { String(format: "%.0f s (%.1f min)", $0, $0 / 60) }
                ?? String(format: "over %.0f min", limit)
            let lap = medianLap.map { String(format: "; median lap %.2f s", $0) } ?? ""
            print(
                "Median time to a stable model on \(loaded.id) (\(architecture.shortName), \(results.count) seeds): \(median)\(lap)."
            )
            print(
                "Action space: \(Self.describe(settings.actionSpace)); discount \(settings.hyperparameters.discountFactor); reward \(rewardFile.lastPathComponent)."
            )
            print("Criterion: \(Self.criterion).")
        }
    }

    /// "10 discrete actions up to 1.0 m/s".
    static func describe(_ space: ActionSpace) -> String {
        switch space {
        case .discrete(let actions):
            "\(actions.count) discrete actions up to \(actions.map(\.speed).max() ?? 0) m/s"
        case .continuous(let steering, let speed):
            "continuous, steering \(steering.lowerBound)...\(steering.upperBound), speed \(speed.lowerBound)...\(speed.upperBound) m/s"
        }
    }

    static let criterion =
        "\(LapReliability.stableStreak) iterations in a row whose 5 noisy greedy evaluation episodes, from points spread round the lap, all complete it"

    /// Trains one seed until its model is stable or the limit passes.
    func train(settings: TrainingSettings, track: Track, reward: String, in scratch: URL) throws -> SeedResult {
        let seed = settings.seed
        let folder = try ModelFolder(name: "seed\(seed)", in: scratch)
        let start = ContinuousClock.now
        let session = try TrainingSession(
            folder: folder, description: ModelDescription(track: track.id, settings: settings), track: track,
            rewardSource: reward)
        if let threads { session.trainer.threads = max(threads, 1) }
        while (ContinuousClock.now - start).seconds < limit * 60 {
            guard try session.runIteration() != nil, let latest = session.state.latest else { break }
            if !json {
                print(
                    String(
                        format: "  seed %d, iteration %d, %.0f s: %d of %d evaluation laps complete", seed,
                        session.state.iterations, (ContinuousClock.now - start).seconds, latest.completed,
                        latest.trials))
            }
            if latest.isStable {
                return SeedResult(
                    seed: seed, seconds: (ContinuousClock.now - start).seconds, iterations: session.state.iterations,
                    lapTime: latest.meanLapTime)
            }
        }
        return SeedResult(seed: seed, seconds: nil, iterations: session.state.iterations, lapTime: nil)
    }
}
