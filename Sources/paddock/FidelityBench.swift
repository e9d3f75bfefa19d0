import ArgumentParser
import Assets
import Foundation
import Simulator

/// `paddock bench fidelity`: how closely Paddock's car follows DeepRacer's Gazebo car.
struct FidelityBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fidelity",
        abstract:
            "Replay DeepRacer's Gazebo traces 1 s ahead: position and heading errors, Paddock's car vs the old one.",
        discussion: """
            Every simtrace under --data (searched recursively) is replayed with `sim replay`'s \
            protocol at --horizon steps; the errors are the distance between the predicted and the \
            recorded reference point and the heading difference, over the windows the car drove \
            freely (not held or put back), split at 2 m/s. Each trace group is marked as fitted to or \
            held out from the car's fit. Then a scripted driver at 4 m/s shows the car's largest \
            lateral acceleration on reinvent_base.
            """
    )

    @Option(help: "A folder of DeepRacer simtraces (default: ../shared/data/gazebo/simtraces beside the project).")
    var data: String?
    @Option(parsing: .unconditional, help: "Steps ahead (15 = one second).") var horizon = 15
    @Option(help: ArgumentHelp(stringLiteral: CarChoice.help)) var car = CarChoice.auto
    @Flag(help: "Print JSON.") var json = false

    /// Traces the fitted cars were fitted to (the rest are held out).
    static let fitTraces: Set<String> = ["run-a.csv"]
    static let fitFolders = ["reinvent_base-2022-console-discrete/training"]

    func run() throws {
        let root = try dataFolder()
        let files = Self.traceFiles(in: root)
        guard !files.isEmpty else {
            throw ValidationError(
                "No simtrace CSV files under \(root.path): give --data a folder of DeepRacer simtraces.")
        }
        // Group by folder (a training run's iterations together).
        var groups: [(name: String, files: [URL])] = []
        for file in files {
            let relative = file.deletingLastPathComponent().path.replacingOccurrences(of: root.path + "/", with: "")
            let name =
                file.lastPathComponent.hasSuffix("-iteration.csv")
                ? relative : relative + "/" + file.lastPathComponent
            if let i = groups.firstIndex(where: { $0.name == name }) {
                groups[i].files.append(file)
            } else {
                groups.append((name, [file]))
            }
        }
        var rows: [JSONValue] = []
        var allNew: [ReplayScore.Error] = []
        var allOld: [ReplayScore.Error] = []
        if !json {
            print(
                "1 s ahead (\(horizon) steps), position median / 90th percentile, heading median; new car vs old kinematic car:"
            )
        }
        for group in groups {
            var newErrors: [ReplayScore.Error] = []
            var oldErrors: [ReplayScore.Error] = []
            for file in group.files {
                let drive = try CarChoice.readDrive(file.path)
                let replay = DriveReplay(drive: drive, horizon: horizon, models: car.models)
                newErrors += ReplayScore(drive: drive, predictions: replay.predictions()).errors
                let old = DriveReplay(drive: drive, horizon: horizon, models: [.kinematic])
                oldErrors += ReplayScore(drive: drive, predictions: old.predictions(model: 0)).errors
            }
            allNew += newErrors
            allOld += oldErrors
            let fitted =
                group.files.contains { Self.fitTraces.contains($0.lastPathComponent) }
                || Self.fitFolders.contains { group.name.hasSuffix($0) }
            let new = ReplayScore(errors: newErrors)
            let old = ReplayScore(errors: oldErrors)
            if json {
                rows.append(
                    .object([
                        ("trace", .string(group.name)), ("fitted_to", .bool(fitted)),
                        ("car", Self.json(new)), ("kinematic", Self.json(old)),
                    ]))
            } else {
                print("\(group.name) (\(fitted ? "fitted to" : "held out")):")
                print("  new: \(Self.describe(new))")
                print("  old: \(Self.describe(old))")
            }
        }
        let lateral = try Self.largestLateralAcceleration(track: root)
        if json {
            print(
                JSONValue.object([
                    ("horizon_steps", .int(horizon)), ("traces", .array(rows)),
                    (
                        "all",
                        .object([
                            ("car", Self.json(ReplayScore(errors: allNew))),
                            ("kinematic", Self.json(ReplayScore(errors: allOld))),
                        ])
                    ),
                    ("largest_lateral_acceleration_4ms", .double((lateral.car * 100).rounded() / 100)),
                    ("largest_lateral_acceleration_4ms_kinematic", .double((lateral.kinematic * 100).rounded() / 100)),
                ]).text())
            return
        }
        print("All traces:")
        print("  new: \(Self.describe(ReplayScore(errors: allNew)))")
        print("  old: \(Self.describe(ReplayScore(errors: allOld)))")
        print(
            String(
                format:
                    "Largest lateral acceleration, scripted driver at up to 4 m/s on reinvent_base: %.1f m/s² (old car: %.1f m/s²)",
                lateral.car, lateral.kinematic))
    }

    func dataFolder() throws -> URL {
        if let data { return URL(fileURLWithPath: data) }
        let project = try DataDirectory.locate().root
        return project.deletingLastPathComponent().appendingPathComponent("shared/data/gazebo/simtraces")
    }

    static func traceFiles(in root: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let url as URL in walker where url.pathExtension == "csv" { files.append(url) }
        func key(_ url: URL) -> (String, Int, String) {
            let name = url.lastPathComponent
            let number = Int(name.split(separator: "-").first ?? "") ?? -1
            return (url.deletingLastPathComponent().path, number, name)
        }
        return files.sorted { key($0) < key($1) }
    }

    static func describe(_ score: ReplayScore) -> String {
        let (below, above) = score.split(atSpeed: 2)
        func part(_ s: ReplayScore.Summary) -> String {
            s.count == 0
                ? "none"
                : String(
                    format: "%.1f / %.1f cm, %.1f° (%d)", s.medianPosition * 100, s.p90Position * 100, s.medianHeading,
                    s.count)
        }
        return "all \(part(score.summary)); below 2 m/s \(part(below.summary)); 2 m/s and up \(part(above.summary))"
    }

    static func json(_ score: ReplayScore) -> JSONValue {
        let (below, above) = score.split(atSpeed: 2)
        func part(_ s: ReplayScore.Summary) -> JSONValue {
            func r(_ v: Double) -> JSONValue { v.isFinite ? .double((v * 1000).rounded() / 1000) : .null }
            return .object([
                ("predictions", .int(s.count)), ("position_median_m", r(s.medianPosition)),
                ("position_p90_m", r(s.p90Position)), ("heading_median_degrees", r(s.medianHeading)),
            ])
        }
        return .object([
            ("all", part(score.summary)), ("below_2ms", part(below.summary)), ("from_2ms", part(above.summary)),
        ])
    }

    /// The largest lateral acceleration (of base_link, from its velocity's change) a driver aiming at 4 m/s reaches on
    /// reinvent_base (DeepRacer's track file beside the traces, else Paddock's technical circuit)
    /// in 3,000 steps, for Paddock's car and the old kinematic one, m/s².
    static func largestLateralAcceleration(track data: URL) throws -> (car: Double, kinematic: Double) {
        let file = data.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deepracer-tracks/reinvent_base.npy")
        let name = FileManager.default.fileExists(atPath: file.path) ? file.path : "technical_circuit"
        let track = try TrackCatalog.standard().track(named: name)
        func largest(_ dynamics: CarDynamics) -> Double {
            var simulation = Simulation(track: track, settings: SimulationSettings(dynamics: dynamics, noise: .none))
            let driver = ScriptedDriver(topSpeed: 4, cornerSpeed: 4)
            var most = 0.0
            simulation.reset()
            for _ in 0..<3_000 {
                if simulation.isEpisodeDone { simulation.reset() }
                let before = simulation.car
                let result = simulation.step(driver.action(for: simulation.car, on: simulation.track))
                if result.status == .inProgress {
                    let acceleration = before.lateralAcceleration(to: result.car, duration: CarGeometry.stepDuration)
                    most = max(most, abs(acceleration))
                }
            }
            return most
        }
        return (largest(.deepRacer), largest(.kinematic))
    }
}
