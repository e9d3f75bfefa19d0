import ArgumentParser
import Assets
import CarExport
import Foundation
import Model
import NeuralNetwork
import Reinforcement
import Simulator

/// `paddock evaluate`: drive a trained model for timed laps, as DeepRacer's evaluation does.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Drive a model's best checkpoint for timed laps, with DeepRacer's penalties.",
        discussion: """
            Each trial is a lap from the start line. Going off track costs 2 s and a crash 5 s: the car \
            is put back and held. The evaluation's simtrace and metrics go into the model folder \
            (evaluation-<time>/ and metrics/EvaluationMetrics-<time>.json), as DeepRacer writes them.
            """
    )

    @Option(help: "The model's name.") var model: String
    @Option(help: "Track id or .npy path (default: the model's track).") var track: String?
    @Option(parsing: .unconditional, help: "Laps to drive, 3 to 5 as in DeepRacer (1 to 20 allowed).") var trials = 3
    @Option(parsing: .unconditional, help: "Boxes on the track (object avoidance, 1-6).") var boxes: Int?
    @Option(parsing: .unconditional, help: "Bot cars on the track (head-to-bot, 1-4).") var bots: Int?
    @Option(
        parsing: .unconditional,
        help: "Seed of the car's noise: the same seed drives the same laps, another seed new ones.")
    var seed: UInt64 = 0
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (1...20).contains(trials) else { throw ValidationError("--trials must be from 1 to 20.") }
        if let boxes, !ObstacleSettings.allowedCounts.contains(boxes) {
            throw ValidationError("--boxes must be 1 to 6.")
        }
        if let bots, !BotCarSettings.allowedCounts.contains(bots) { throw ValidationError("--bots must be 1 to 4.") }
    }

    func run() throws {
        let folder = try ModelFolder(name: model)
        guard folder.exists else { throw ModelError.notFound(model) }
        let policy: any CarPolicy =
            ImportedModel.isImported(folder) ? try ImportedModel(folder: folder) : try TrainedModel(folder: folder)
        let trackName = try track ?? folder.readDescription().track
        let loaded = try TrackCatalog.standard().track(named: trackName)
        var raceType = RaceType.timeTrial
        if let boxes { raceType = .objectAvoidance(ObstacleSettings(count: boxes)) }
        if let bots { raceType = .headToBot(BotCarSettings(count: bots)) }
        var log = SimtraceLog()
        let onStep: (Int, StepResult, AgentAction) -> Void = { trial, result, action in
            var index: Int?
            if case .discrete(let choice) = action { index = choice }
            log.append(SimtraceRow(episode: trial - 1, result: result, reward: 0, actionIndex: index))
        }
        let results = try policy.evaluate(track: loaded, trials: trials, raceType: raceType, seed: seed, onStep: onStep)
        // DeepRacer's files: evaluation-<time>/evaluation-simtrace/0-iteration.csv and the metrics.
        try folder.writeEvaluation(results, simtrace: log)
        if json {
            print(
                JSONValue.array(
                    results.map { result in
                        .object([
                            ("trial", .int(result.trial)), ("status", .string(result.status.rawValue)),
                            ("completion", .double(result.completion)),
                            ("lap_time", result.lapTime.map(JSONValue.double) ?? .null),
                            ("off_track", .int(result.offTrackCount)), ("crashes", .int(result.crashCount)),
                            ("penalty_seconds", .double(result.penaltySeconds)),
                        ])
                    }
                ).text())
            return
        }
        print("Evaluation of \(model) on \(loaded.id), \(trials) trial(s):")
        for result in results {
            let time = result.lapTime.map { String(format: "lap %6.2f s", $0) } ?? "not finished"
            print(
                String(
                    format: "  trial %d: %@, %5.1f%%, %d off track, %d crashes, %.0f s of penalties", result.trial,
                    time,
                    result.completion, result.offTrackCount, result.crashCount, result.penaltySeconds))
        }
        let laps = results.compactMap(\.lapTime)
        if !laps.isEmpty {
            let mean = laps.reduce(0, +) / Double(laps.count)
            print(
                String(
                    format: "  best lap %.2f s, average %.2f s (%d of %d laps complete)", laps.min() ?? 0,
                    mean, laps.count, results.count))
            if laps.count > 1 {
                // The sample standard deviation: how much the laps differ (the car's noise, penalties).
                let variance = laps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(laps.count - 1)
                print(
                    String(
                        format: "  spread: standard deviation %.2f s, %.1f %% of the average lap",
                        variance.squareRoot(),
                        variance.squareRoot() / mean * 100))
            }
        }
    }
}

/// `paddock model`: use one model.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Use a trained model directly.",
        subcommands: [PredictCommand.self, ExplainCommand.self])
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Print the network's outputs for camera frames in a .npy file.",
        discussion: """
            FRAMES.npy holds (N, 120, 160, 1) or (120, 160, 1) gray frames as uint8 or float32 0 ... 255 \
            (stereo models: 2 channels). Prints the action probabilities (discrete) or the means in the \
            [-1, 1] box (continuous) of each frame.
            """
    )

    @Option(help: "The model's name.") var model: String
    @Option(help: "The frames (.npy).") var input: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let folder = try ModelFolder(name: model)
        guard folder.exists else { throw ModelError.notFound(model) }
        let imported = ImportedModel.isImported(folder) ? try ImportedModel(folder: folder) : nil
        let trained = imported == nil ? try TrainedModel(folder: folder) : nil
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: input)) else {
            throw AssetsError.unreadable(path: input, reason: "no such file")
        }
        let array = try NumpyArray(bytes: [UInt8](data), source: input)
        let settings = try (imported?.description ?? folder.readDescription()).settings
        guard settings.lidarSize == 0 else {
            throw ValidationError(
                "\(model) also reads a LIDAR; 'model predict' takes camera frames only. Use 'paddock evaluate' to watch it drive."
            )
        }
        let channels = settings.cameraChannels
        var shape = array.shape
        if shape.count == 3 { shape = [1] + shape }
        guard shape.count == 4, shape[1] == 120, shape[2] == 160, shape[3] == channels else {
            throw ValidationError(
                "\(input) has shape \(array.shape); this model needs (N, 120, 160, \(channels)) frames of gray values 0 to 255."
            )
        }
        guard array.elementType == .uint8 || array.elementType == .float32 else {
            throw ValidationError("\(input) holds \(array.elementType); use uint8 or float32 frames.")
        }
        let frames = Tensor(shape: shape, values: array.values.map { Float($0) })
        let outputs = try imported?.outputs(frames) ?? trained?.outputs(frames) ?? frames
        let size = outputs.itemSize
        let rows = (0..<shape[0]).map { Array(outputs.values[($0 * size)..<(($0 + 1) * size)]) }
        if json {
            print(JSONValue.array(rows.map { .array($0.map { .double(Double($0)) }) }).text())
        } else {
            let label =
                settings.algorithm == .sac
                ? "pre-tanh means (steering, speed)"
                : (settings.actionSpace.isContinuous ? "means (steering, speed)" : "action probabilities")
            print("\(label) for \(rows.count) frame(s):")
            for (index, row) in rows.enumerated() {
                print("  \(index): " + row.map { String(format: "%.4f", $0) }.joined(separator: " "))
            }
        }
    }
}
