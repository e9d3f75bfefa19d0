import ArgumentParser
import Assets
import Foundation
import Simulator

/// `paddock bench`: measured speed figures.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast Paddock runs on this machine.",
        subcommands: [SimBench.self, TracksBench.self]
    )
}

/// `paddock bench sim`: simulator steps per second with the camera on.
struct SimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulator steps per second on one core, camera on, with a scripted driver.",
        discussion: """
            Each step moves the car, applies DeepRacer's episode rules, computes every reward param \
            and renders the 160x120 camera frame. Episodes restart as they end. The figure is \
            compared with real time (15 steps per simulated second).
            """
    )

    @Option(help: "Track id or .npy path.") var track = "beginner_loop"
    @Option(help: "Steps to time.") var steps = 30_000
    @Option(help: "Timed runs; the best is reported.") var runs = 3
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard steps > 0, runs > 0 else { throw ValidationError("--steps and --runs must be positive.") }
    }

    func run() throws {
        let catalog = try TrackCatalog.standard()
        let loaded = try catalog.track(named: track)
        let sceneStart = ContinuousClock.now
        let camera = Camera(scene: CameraScene(track: loaded))
        let sceneTime = ContinuousClock.now - sceneStart
        var best = Double.infinity
        var bestCameraOnly = Double.infinity
        var episodes = 0
        var frame = [UInt8](repeating: 0, count: Camera.width * Camera.height)
        var checksum = 0
        for _ in 0..<runs {
            var simulation = Simulation(track: loaded)
            let driver = ScriptedDriver()
            simulation.reset()
            let start = ContinuousClock.now
            for _ in 0..<steps {
                let action = driver.action(for: simulation.car, on: simulation.track)
                let result = simulation.step(action)
                camera.render(car: simulation.car, objects: simulation.objects, into: &frame)
                checksum &+= Int(frame[Camera.width * 80 + 80])
                if result.isDone {
                    simulation.reset()
                    episodes += 1
                }
            }
            best = min(best, (ContinuousClock.now - start).seconds)
            let cameraStart = ContinuousClock.now
            for _ in 0..<steps {
                camera.render(car: simulation.car, objects: simulation.objects, into: &frame)
            }
            bestCameraOnly = min(bestCameraOnly, (ContinuousClock.now - cameraStart).seconds)
        }
        let stepsPerSecond = Double(steps) / best
        let ratio = stepsPerSecond / CarGeometry.stepsPerSecond
        let cameraMicroseconds = bestCameraOnly / Double(steps) * 1e6
        if json {
            let value = JSONValue.object([
                ("track", .string(loaded.id)),
                ("steps", .int(steps)),
                ("steps_per_second", .double((stepsPerSecond).rounded())),
                ("real_time_ratio", .double((ratio * 10).rounded() / 10)),
                ("camera_microseconds_per_frame", .double((cameraMicroseconds * 100).rounded() / 100)),
                (
                    "step_microseconds_without_camera",
                    .double(((best - bestCameraOnly) / Double(steps) * 1e6 * 100).rounded() / 100)
                ),
                ("scene_build_milliseconds", .double((sceneTime.seconds * 1e5).rounded() / 100)),
                ("episodes", .int(episodes)),
                ("checksum", .int(checksum)),
            ])
            print(value.text())
        } else {
            print(
                "Track \(loaded.id) (\(String(format: "%.2f", loaded.length)) m), \(steps) steps, best of \(runs) runs, one core:"
            )
            print(
                String(
                    format: "  simulator with 160x120 camera: %.0f steps/s = %.0fx real time (15 steps/s)",
                    stepsPerSecond, ratio))
            print(
                String(
                    format: "  camera alone: %.1f µs per frame; everything else: %.1f µs per step", cameraMicroseconds,
                    (best - bestCameraOnly) / Double(steps) * 1e6))
            print(String(format: "  camera scene built once per track in %.1f ms", sceneTime.seconds * 1000))
        }
    }
}

/// `paddock bench tracks`: how long loading each track file takes.
struct TracksBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracks",
        abstract: "Time loading (read, parse, validate, index) every .npy track in a folder."
    )

    @Option(help: "Folder of .npy files (default: Paddock's tracks/).") var directory: String?
    @Option(help: "Loads per file; the median is reported.") var repeats = 50
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let folder = try directory.map { URL(fileURLWithPath: $0) } ?? DataDirectory.locate().tracksDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw ValidationError(
                "\(folder.path) is not a folder Paddock can read; give --directory a folder of .npy files.")
        }
        let files = names.filter { $0.hasSuffix(".npy") }.sorted()
        guard !files.isEmpty else { throw ValidationError("\(folder.path) holds no .npy files.") }
        var rows: [(String, Double, Double)] = []
        for file in files {
            let url = folder.appendingPathComponent(file)
            var times: [Double] = []
            var length = 0.0
            for _ in 0..<max(repeats, 1) {
                let start = ContinuousClock.now
                let track = try TrackCatalog.loadTrack(at: url, id: String(file.dropLast(4)))
                times.append((ContinuousClock.now - start).seconds)
                length = track.length
            }
            times.sort()
            rows.append((file, times[times.count / 2] * 1000, length))
        }
        if json {
            print(
                JSONValue.array(
                    rows.map { row in
                        .object([
                            ("file", .string(row.0)), ("median_milliseconds", .double((row.1 * 1000).rounded() / 1000)),
                            ("length", .double((row.2 * 100).rounded() / 100)),
                        ])
                    }
                ).text())
        } else {
            for (file, ms, length) in rows {
                print(String(format: "  %-32@ %7.3f ms  (%.2f m)", file as NSString, ms, length))
            }
            print(String(format: "  slowest: %.3f ms", rows.map(\.1).max() ?? 0))
        }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
