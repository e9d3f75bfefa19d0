import ArgumentParser
import Assets
import Foundation
import Model
import Reinforcement
import RewardScript
import Simulator
import Synchronization
import Training

/// Set by Ctrl-C; the training loop stops at the next step.
let stopRequested = Atomic<Bool>(false)

/// `paddock train`: teach a model to drive.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model to drive a track from its camera, with your reward function.",
        discussion: """
            Each iteration drives num_episodes_between_training episodes, updates the policy with PPO, \
            and evaluates it. The model folder (under $PADDOCK_HOME/models, by default \
            ~/.local/share/paddock/models) is saved after every iteration in DeepRacer's log layout. \
            Ctrl-C stops at once and keeps everything up to the last finished iteration; running the \
            same command again continues the training.
            """
    )

    @Option(help: "The model's name (letters, digits, - and _).") var model: String
    @Option(help: "Track id or .npy path (default: the model's track, or beginner_loop).") var track: String?
    @Option(help: "The reward function, Python (default: the model's, or the follow-the-centre-line example).")
    var reward: String?
    @Option(help: "ppo (default) or sac (continuous action spaces only).") var algorithm: String?
    @Option(
        help: """
            'default' (10 actions: 5 steering angles at 1.5 and 3 m/s), 'console' (the DeepRacer console's \
            default: the same angles at 0.5 and 1 m/s) or a JSON file in model_metadata.json's action_space form.
            """)
    var actionSpace: String?
    @Option(help: "paddock-fast (default), deepracer-3-layer or deepracer-5-layer.") var network: String?
    @Option(parsing: .unconditional, help: "Minutes to train in this run.") var minutes = 10.0
    @Option(parsing: .unconditional, help: "Stop after this many iterations in this run (as well as the time limit).")
    var iterations: Int?
    @Option(parsing: .unconditional, help: "Random seed: the same seed gives the same training.") var seed: UInt64 = 0
    @Option(
        parsing: .unconditional,
        help: "Cores to train on (default: all). The same seed trains the same model with any number.")
    var threads: Int?
    @Option(help: "A hyperparameters.json (DeepRacer's keys); missing keys take the defaults.") var hyperparameters:
        String?
    @Flag(help: "Vary lighting, floor and camera noise each episode (for the real car).") var domainRandomization =
        false
    @Option(
        help: """
            DeepRacer sensor names, comma separated: one camera (FRONT_FACING_CAMERA or STEREO_CAMERAS) \
            and at most one of LIDAR, SECTOR_LIDAR.
            """)
    var sensors: String?

    func validate() throws {
        guard minutes > 0, minutes <= 24 * 60 else { throw ValidationError("--minutes must be between 0 and 1440.") }
        try ModelFolder.validate(name: model)
    }

    func run() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be 1 or more (got \(threads)); leave it out to use every core.")
        }
        let folder = try ModelFolder(name: model)
        // An existing model keeps its settings unless an option says otherwise.
        let existing = folder.exists ? try folder.readDescription() : nil
        let networkName = network ?? existing?.network.shortName ?? NetworkArchitecture.paddockFast.shortName
        guard let architecture = NetworkArchitecture(shortName: networkName) else {
            let names = NetworkArchitecture.allCases.map(\.shortName).joined(separator: ", ")
            throw ValidationError("Unknown network '\(networkName)'; choose one of \(names).")
        }
        let track = self.track ?? existing?.track ?? "beginner_loop"
        let loaded = try TrackCatalog.standard().track(named: track)
        let rewardSource: String
        if let reward {
            do {
                rewardSource = try String(contentsOf: URL(fileURLWithPath: reward), encoding: .utf8)
            } catch {
                throw RewardError.unreadable(path: reward, reason: "no such file, or not text")
            }
        } else if existing != nil {
            rewardSource = try folder.readRewardSource()
        } else {
            let example = try DataDirectory.locate().root.appendingPathComponent(
                "assets/reward_functions/follow_centre_line.py")
            rewardSource = try String(contentsOf: example, encoding: .utf8)
        }
        let algorithmName = algorithm ?? (existing?.algorithm == .sac ? "sac" : "ppo")
        let chosen: Hyperparameters.Algorithm
        switch algorithmName {
        case "ppo", "clipped_ppo": chosen = .ppo
        case "sac": chosen = .sac
        default: throw ValidationError("--algorithm \(algorithmName): choose ppo or sac.")
        }
        var parameters = existing?.hyperparameters ?? Hyperparameters.defaults(for: chosen)
        if let hyperparameters {
            do {
                parameters = try JSONDecoder().decode(
                    Hyperparameters.self, from: Data(contentsOf: URL(fileURLWithPath: hyperparameters)))
            } catch {
                throw ValidationError("\(hyperparameters): not a hyperparameters file DeepRacer would read (\(error)).")
            }
        }
        parameters = try parameters.validated(for: chosen)
        let defaultSpace: ActionSpace =
            chosen == .sac ? .continuous(steering: -30...30, speed: 0.5...1) : .paddockDefault
        let space = try actionSpace.map(ActionSpaceFile.load) ?? existing?.actionSpace ?? defaultSpace
        if chosen == .sac && !space.isContinuous {
            throw ValidationError(
                "SAC needs a continuous action space: give --action-space a file with steering and speed ranges.")
        }
        let sensorKinds = try sensors.map(Self.parseSensors) ?? existing?.sensors ?? [.frontFacingCamera]
        let settings = TrainingSettings(
            algorithm: chosen, actionSpace: space, network: architecture, hyperparameters: parameters,
            sensors: sensorKinds,
            domainRandomization: domainRandomization || existing?.domainRandomization == true,
            seed: existing?.seed ?? seed)
        let session = try TrainingSession(
            folder: folder, description: ModelDescription(track: track, settings: settings), track: loaded,
            rewardSource: rewardSource)
        if let threads { session.trainer.threads = threads }
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        let resumed = session.state.iterations
        print(
            resumed > 0
                ? "Continuing \(model) after iteration \(resumed) (\(session.state.episodes) episodes)."
                : "Training \(model) on \(loaded.id) with \(architecture.shortName), \(space.outputCount) actions, seed \(seed)."
        )
        print("Model folder: \(folder.url.path)")
        let start = ContinuousClock.now
        let limit = minutes * 60
        let interactive = isatty(STDOUT_FILENO) != 0
        var iterationsThisRun = 0
        while (ContinuousClock.now - start).seconds < limit && iterationsThisRun < (iterations ?? Int.max) {
            iterationsThisRun += 1
            let iterationStart = ContinuousClock.now
            var steps = 0
            var lastDraw = ContinuousClock.now
            let report = try session.runIteration(shouldStop: {
                steps += 1
                if interactive, (ContinuousClock.now - lastDraw).seconds > 0.5 {
                    lastDraw = ContinuousClock.now
                    let elapsed = (ContinuousClock.now - start).seconds
                    print(
                        String(
                            format: "\r  iteration %d: %d steps, %.0f steps/s, %.0f s left   ",
                            session.state.iterations + 1,
                            steps, Double(steps) / (ContinuousClock.now - iterationStart).seconds,
                            max(limit - elapsed, 0)),
                        terminator: "")
                    fflush(nil)
                }
                return stopRequested.load(ordering: .relaxed)
            })
            if interactive { print("\r", terminator: "") }
            guard let report else {
                print(
                    "\nStopped. The model keeps its \(session.state.iterations) finished iterations; run the same command to continue."
                )
                return
            }
            let elapsed = (ContinuousClock.now - start).seconds
            print(
                String(
                    format:
                        "iteration %3d  reward %7.1f  completion %5.1f%%  evaluation %5.1f%% (best %5.1f%%)  %4.0f steps/s  %4.0f s left",
                    report.iteration, report.meanTrainingReward, report.meanTrainingCompletion,
                    report.meanEvaluationCompletion, session.state.bestCompletion,
                    Double(report.steps) / max(report.trainingSeconds, 1e-9),
                    max(limit - elapsed, 0)))
            fflush(nil)
        }
        print(
            "Done: \(session.state.iterations) iterations, best evaluation \(String(format: "%.1f", session.state.bestCompletion))% "
                + "at iteration \(session.state.bestIteration).")
    }
}

extension TrainCommand {
    /// Reads `FRONT_FACING_CAMERA,LIDAR`-style sensor lists, with DeepRacer's rules.
    static func parseSensors(_ text: String) throws -> [SensorKind] {
        var kinds: [SensorKind] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).uppercased() }) {
            guard let kind = SensorKind(rawValue: name) else {
                let names = SensorKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("Unknown sensor '\(name)'; DeepRacer's are \(names).")
            }
            kinds.append(kind)
        }
        let cameras = kinds.filter { $0 == .frontFacingCamera || $0 == .stereoCameras }.count
        let lidars = kinds.filter { $0 == .lidar || $0 == .sectorLidar }.count
        guard cameras == 1, lidars <= 1 else {
            throw ValidationError("--sensors needs exactly one camera and at most one LIDAR, as the car has.")
        }
        return kinds
    }
}

/// Reads an action space: `default` (Paddock's), `console` (the console's default), or JSON in
/// model_metadata.json's `action_space` form.
enum ActionSpaceFile {
    static func load(_ argument: String) throws -> ActionSpace {
        if argument == "default" { return .paddockDefault }
        if argument == "console" { return .consoleDefault }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: argument)),
            let object = try? JSONSerialization.jsonObject(with: data)
        else {
            throw ValidationError(
                "\(argument): not a readable JSON file. Use 'default', 'console' or a JSON action space.")
        }
        let body = (object as? [String: Any])?["action_space"] ?? object
        if let list = body as? [[String: Any]] {
            let actions = try list.enumerated().map { index, entry -> ActionSpace.DiscreteAction in
                guard let steering = (entry["steering_angle"] as? NSNumber)?.doubleValue,
                    let speed = (entry["speed"] as? NSNumber)?.doubleValue
                else {
                    throw ValidationError("\(argument): action \(index) needs numbers steering_angle and speed.")
                }
                return .init(steeringAngle: steering, speed: speed)
            }
            return try ActionSpace.discrete(actions).validated()
        }
        if let ranges = body as? [String: Any], let steering = ranges["steering_angle"] as? [String: Any],
            let speed = ranges["speed"] as? [String: Any],
            let steeringLow = (steering["low"] as? NSNumber)?.doubleValue,
            let steeringHigh = (steering["high"] as? NSNumber)?.doubleValue,
            let speedLow = (speed["low"] as? NSNumber)?.doubleValue,
            let speedHigh = (speed["high"] as? NSNumber)?.doubleValue,
            steeringLow < steeringHigh, speedLow < speedHigh
        {
            return try ActionSpace.continuous(steering: steeringLow...steeringHigh, speed: speedLow...speedHigh)
                .validated()
        }
        throw ValidationError(
            "\(argument): expected a list of {\"steering_angle\", \"speed\"} or {\"steering_angle\": {\"low\", \"high\"}, \"speed\": {...}}."
        )
    }
}
