import ArgumentParser
import Assets
import Foundation
import Model
import Simulator

/// `paddock bench`: measured speed figures.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast Paddock runs on this machine.",
        subcommands: [
            SimBench.self, TracksBench.self, FirstLapBench.self, LearnBench.self, AppBench.self, ExportBench.self,
            WorkshopBench.self, FidelityBench.self, CameraBench.self, TrainBench.self, ConvBench.self,
            JourneyBench.self, AnalyzeBench.self,
        ]
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
    @Option(parsing: .unconditional, help: "Steps to time.") var steps = 30_000
    @Option(parsing: .unconditional, help: "Timed runs; the best is reported.") var runs = 3
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard steps > 0, runs > 0 else { throw ValidationError("--steps and --runs must be positive.") }
    }

    func run() throws {
        let catalog = try TrackCatalog.standard()
        let loaded = try catalog.track(named: track)
        let sceneStart = ContinuousClock.now
        let scene = CameraScene(track: loaded)
        let sceneTime = ContinuousClock.now - sceneStart
        // The default camera, then DeepRacer's closest match (4 floor reads along each pixel's depth).
        let modes = [1, 4].map { measure(track: loaded, camera: Camera(scene: scene, depthSamples: $0)) }
        if json {
            let value = JSONValue.object([
                ("track", .string(loaded.id)),
                ("steps", .int(steps)),
                ("steps_per_second", .double(modes[0].stepsPerSecond.rounded())),
                (
                    "real_time_ratio",
                    .double((modes[0].stepsPerSecond / CarGeometry.stepsPerSecond * 10).rounded() / 10)
                ),
                ("camera_microseconds_per_frame", .double((modes[0].cameraMicroseconds * 100).rounded() / 100)),
                ("step_microseconds_without_camera", .double((modes[0].otherMicroseconds * 100).rounded() / 100)),
                ("steps_per_second_depth_samples_4", .double(modes[1].stepsPerSecond.rounded())),
                (
                    "camera_microseconds_per_frame_depth_samples_4",
                    .double((modes[1].cameraMicroseconds * 100).rounded() / 100)
                ),
                ("scene_build_milliseconds", .double((sceneTime.seconds * 1e5).rounded() / 100)),
                ("episodes", .int(modes[0].episodes)),
            ])
            print(value.text())
            return
        }
        print(
            "Track \(loaded.id) (\(String(format: "%.2f", loaded.length)) m), \(steps) steps, best of \(runs) runs, one core:"
        )
        for (mode, label) in zip(modes, ["default camera", "camera with --depth-samples 4"]) {
            print(
                String(
                    format:
                        "  simulator with 160x120 %@: %.0f steps/s = %.0fx real time (15 steps/s); camera %.1f µs a frame",
                    label, mode.stepsPerSecond, mode.stepsPerSecond / CarGeometry.stepsPerSecond,
                    mode.cameraMicroseconds))
        }
        print(String(format: "  everything but the camera: %.1f µs a step", modes[0].otherMicroseconds))
        print(String(format: "  camera scene built once per track in %.1f ms", sceneTime.seconds * 1000))
    }

    struct Measurement {
        var stepsPerSecond: Double
        var cameraMicroseconds: Double
        var otherMicroseconds: Double
        var episodes: Int
    }

    /// Times `steps` simulator steps with a camera frame each, restarting episodes as they end,
    /// and the camera alone; the best of `runs`.
    func measure(track: Track, camera: Camera) -> Measurement {
        var best = Double.infinity
        var bestCameraOnly = Double.infinity
        var episodes = 0
        var frame = [UInt8](repeating: 0, count: Camera.width * Camera.height)
        for _ in 0..<runs {
            var simulation = Simulation(track: track)
            let driver = ScriptedDriver()
            simulation.reset()
            episodes = 0
            let start = ContinuousClock.now
            for _ in 0..<steps {
                let action = driver.action(for: simulation.car, on: simulation.track)
                let result = simulation.step(action)
                camera.render(car: simulation.car, objects: simulation.objects, into: &frame)
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
        return Measurement(
            stepsPerSecond: Double(steps) / best, cameraMicroseconds: bestCameraOnly / Double(steps) * 1e6,
            otherMicroseconds: (best - bestCameraOnly) / Double(steps) * 1e6, episodes: episodes)
    }
}

/// `paddock bench tracks`: how long loading each track file takes.
struct TracksBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracks",
        abstract: "Time loading (read, parse, validate, index) every .npy track in a folder."
    )

    @Option(help: "Folder of .npy files (default: Paddock's tracks/).") var directory: String?
    @Option(parsing: .unconditional, help: "Loads per file; the median is reported.") var repeats = 50
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
