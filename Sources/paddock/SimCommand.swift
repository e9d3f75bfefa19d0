import ArgumentParser
import Assets
import Foundation
import Simulator

/// `paddock sim`: the car model against DeepRacer's own simulator.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Check and fit Paddock's car against DeepRacer's simulator (Gazebo) traces.",
        subcommands: [SimReplayCommand.self, SimFitCommand.self]
    )
}

/// Which car model a command uses.
enum CarChoice: String, ExpressibleByArgument, CaseIterable {
    /// The newest car, or the 2022 car for traces whose earlier rows it predicts better.
    case auto
    /// DeepRacer's car since model version 5 (Paddock's car).
    case deepracer
    /// DeepRacer's car of 2022 (model version 4: a slow steering servo).
    case deepracer2022 = "deepracer-2022"
    /// Paddock's car before calibration.
    case kinematic

    var models: [CarDynamics] {
        switch self {
        case .auto: return [.deepRacer, .deepRacer2022]
        case .deepracer: return [.deepRacer]
        case .deepracer2022: return [.deepRacer2022]
        case .kinematic: return [.kinematic]
        }
    }

    static let help =
        "Car model: auto (DeepRacer's car, or its 2022 car where that predicted the trace's earlier rows better), deepracer, deepracer-2022 or kinematic."

    static func readDrive(_ path: String) throws -> RecordedDrive {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ValidationError("Cannot read the simtrace \(path): \(error.localizedDescription)")
        }
        do {
            return try RecordedDrive(csv: text)
        } catch {
            throw ValidationError("\(path): \(error.description)")
        }
    }
}

/// `paddock sim replay`: predict where the car goes from a trace's recorded commands.
struct SimReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Predict each row's pose N steps ahead from a simtrace's earlier rows and its commands.",
        discussion: """
            For every row t of every episode that has a row before it, the car's state is estimated \
            from rows up to t only (the poses of rows t-1 and t, the commands so far), then the \
            recorded commands of rows t ... t+N-1 are applied and the pose of row t+N is predicted. \
            The output has one line per prediction: episode,steps,X,Y,yaw (steps of the predicted row, \
            X and Y the reference point 0.14 m ahead of base_link, yaw in degrees), as in the trace.
            """
    )

    @Argument(help: "A DeepRacer simtrace CSV (console, DeepRacer for Cloud or Paddock).") var trace: String
    @Option(parsing: .unconditional, help: "Steps ahead to predict (15 = one second).") var horizon = 15
    @Option(help: "Where to write the predictions (CSV).") var out: String
    @Option(help: ArgumentHelp(stringLiteral: CarChoice.help)) var car = CarChoice.auto

    func validate() throws {
        guard (1...1000).contains(horizon) else { throw ValidationError("--horizon must be 1 to 1000 steps.") }
    }

    func run() throws {
        let drive = try CarChoice.readDrive(trace)
        let predictions = DriveReplay(drive: drive, horizon: horizon, models: car.models).predictions()
        var text = "episode,steps,X,Y,yaw\n"
        for p in predictions {
            text += "\(p.episode),\(SimtraceRow.python(p.step)),\(p.x),\(p.y),\(p.yawDegrees)\n"
        }
        try AtomicFile.write(text, to: URL(fileURLWithPath: out))
        let score = ReplayScore(drive: drive, predictions: predictions).summary
        print(
            String(
                format:
                    "%d predictions to %@; against the trace's own poses: median %.1f cm, 90th percentile %.1f cm, heading %.1f°",
                predictions.count, out, score.medianPosition * 100, score.p90Position * 100, score.medianHeading))
    }
}

/// `paddock sim fit`: fit the car's parameters to traces and write them into the source.
struct SimFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit DeepRacer's car to simtraces and write the parameters with their errors.",
        discussion: """
            Searches the car model's parameters (servo, wheel speed, friction, slip) so that the \
            replay's one-second predictions on the fit traces come closest to the recorded poses, then \
            measures the result on every row of the fit traces and of the held-out traces, and writes \
            both into Sources/Simulator/CarDynamics+Fitted.swift (rebuild to use them).
            """
    )

    @Option(help: "Which car to fit: deepracer (model version 5 and later) or deepracer-2022.") var car =
        CarChoice.deepracer
    @Option(name: .customLong("trace"), help: "A simtrace to fit to (repeat for more).") var traces: [String]
    @Option(name: .customLong("holdout"), help: "A simtrace to check on but not fit to (repeat).") var holdouts:
        [String] = []
    @Option(parsing: .unconditional, help: "Most evaluations of the search.") var evaluations = 300
    @Option(parsing: .unconditional, help: "Fit on every Nth row (the figures use every row).") var stride = 4
    @Option(parsing: .unconditional, help: "Centimetres of position error that one degree of heading error counts as.")
    var headingWeight = 1.0
    @Option(help: "The Swift file to write (nothing is written without it).") var write: String?

    func validate() throws {
        guard car == .deepracer || car == .deepracer2022 else {
            throw ValidationError("--car must be deepracer or deepracer-2022.")
        }
        guard !traces.isEmpty else { throw ValidationError("Give at least one --trace to fit to.") }
    }

    func run() throws {
        let fitDrives = try traces.map(CarChoice.readDrive)
        let holdoutDrives = try holdouts.map(CarChoice.readDrive)
        let start = car.models[0]
        let fit = DynamicsFit(drives: fitDrives, stride: stride, headingWeight: headingWeight / 100)
        let began = ContinuousClock.now
        let result = fit.run(from: start, search: NelderMead(maximumEvaluations: evaluations))
        let seconds = (ContinuousClock.now - began).seconds
        let fitted = fit.score(result.car, stride: 1)
        let held = DynamicsFit(drives: holdoutDrives).score(result.car, stride: 1)
        print(String(format: "%d evaluations in %.0f s, objective %.4f", result.evaluations, seconds, result.objective))
        for (name, keyPath) in DynamicsFit.parameters {
            print(String(format: "  %@ = %.4g", name, result.car[keyPath: keyPath]))
        }
        print("  fit traces:     \(FidelityBench.describe(fitted))")
        if !holdoutDrives.isEmpty { print("  held-out traces: \(FidelityBench.describe(held))") }
        guard let write else { return }
        var source = CarDynamicsSource.current
        let note = CarDynamicsSource.note(
            fitTraces: traces, fit: fitted.summary, holdoutTraces: holdouts,
            holdout: holdoutDrives.isEmpty ? nil : held.summary)
        let entry = CarDynamicsSource.Entry(car: result.car, note: note)
        if car == .deepracer { source.current = entry } else { source.older = entry }
        try AtomicFile.write(source.text, to: URL(fileURLWithPath: write))
        print("Wrote \(write); rebuild to use it.")
    }
}

/// The text of CarDynamics+Fitted.swift.
struct CarDynamicsSource {
    struct Entry {
        var car: CarDynamics
        /// What it was fitted to and how close it came, in words.
        var note: String
    }

    var current: Entry
    var older: Entry

    /// The parameters compiled in now, to keep the one not being fitted.
    static var current: CarDynamicsSource {
        CarDynamicsSource(
            current: Entry(car: .deepRacer, note: CarDynamics.deepRacerFit),
            older: Entry(car: .deepRacer2022, note: CarDynamics.deepRacer2022Fit))
    }

    static func note(
        fitTraces: [String], fit: ReplayScore.Summary, holdoutTraces: [String], holdout: ReplayScore.Summary?
    )
        -> String
    {
        /// File names, or a folder's name and count where a folder gives more than two.
        func names(_ paths: [String]) -> String {
            let urls = paths.map { URL(fileURLWithPath: $0) }
            var folders: [String] = []
            for url in urls where !folders.contains(url.deletingLastPathComponent().lastPathComponent) {
                folders.append(url.deletingLastPathComponent().lastPathComponent)
            }
            return folders.flatMap { folder in
                let files = urls.filter { $0.deletingLastPathComponent().lastPathComponent == folder }
                return files.count > 2
                    ? ["\(folder)/ (\(files.count) files)"] : files.map(\.lastPathComponent)
            }.joined(separator: ", ")
        }
        func figures(_ s: ReplayScore.Summary) -> String {
            String(
                format: "median %.1f cm, 90th percentile %.1f cm, heading %.1f° over %d predictions",
                s.medianPosition * 100, s.p90Position * 100, s.medianHeading, s.count)
        }
        var text = "Fitted to \(names(fitTraces)): 1 s ahead, \(figures(fit))."
        if let holdout { text += " Held out \(names(holdoutTraces)): \(figures(holdout))." }
        return text
    }

    var text: String {
        """
        // Written by `paddock sim fit`; the fit is described in docs/car-dynamics.md.

        extension CarDynamics {
            /// DeepRacer's car as the console's simulator runs it since model version 5 (Paddock
            /// trains, evaluates and races on this car).
            public static let deepRacer = \(Self.literal(current.car))

            /// What `deepRacer` was fitted to, and its errors.
            public static let deepRacerFit = \(Self.quoted(current.note))

            /// DeepRacer's car as the console's simulator ran it in 2022 (model version 4: Gazebo's
            /// effort controllers, a slow steering servo).
            public static let deepRacer2022 = \(Self.literal(older.car))

            /// What `deepRacer2022` was fitted to, and its errors.
            public static let deepRacer2022Fit = \(Self.quoted(older.note))
        }

        """
    }

    /// `text` as a multi-line string literal indented for the file, wrapped at 100 characters.
    static func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var lines: [String] = []
        var line = ""
        for word in escaped.split(separator: " ") {
            if !line.isEmpty && line.count + word.count + 1 > 100 {
                lines.append(line + " \\")
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        lines.append(line)
        let body = lines.map { "        " + $0 }.joined(separator: "\n")
        return "\"\"\"\n\(body)\n        \"\"\""
    }

    static func literal(_ car: CarDynamics) -> String {
        func n(_ value: Double) -> String { String(format: "%.4g", value) }
        return """
            CarDynamics(
                    steeringDelay: \(n(car.steeringDelay)),
                    steeringTimeConstant: \(n(car.steeringTimeConstant)),
                    steeringRateLimit: \(n(car.steeringRateLimit)),
                    wheelSpeedTimeConstant: \(n(car.wheelSpeedTimeConstant)),
                    wheelAccelerationLimit: \(n(car.wheelAccelerationLimit)),
                    wheelDecelerationLimit: \(n(car.wheelDecelerationLimit)),
                    friction: \(n(car.friction)),
                    slipSpeedScale: \(n(car.slipSpeedScale)),
                    yawInertiaPerMass: \(n(car.yawInertiaPerMass)))
            """
    }
}
