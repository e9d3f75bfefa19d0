import ArgumentParser
import Assets
import Foundation
import Imaging
import Model
import RewardScript
import Simulator

/// `paddock reward`: run a DeepRacer reward function and see what it pays.
struct RewardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reward",
        abstract: "Run a DeepRacer reward function (Python) and see what it rewards.",
        discussion: """
            FILE is Python defining reward_function(params), exactly as you would paste it into the \
            DeepRacer console. Examples to start from: assets/reward_functions/.
            """,
        subcommands: [EvalReward.self, CheckReward.self, MapReward.self, BenchReward.self]
    )
}

/// Options every reward command shares.
struct RewardFileOptions: ParsableArguments {
    @Argument(help: "The reward function file (Python).") var file: String
    @Option(parsing: .unconditional, help: "Seconds one call may run before it is stopped.") var timeLimit = 1.0

    func validate() throws {
        guard timeLimit > 0, timeLimit <= 60 else {
            throw ValidationError("--time-limit must be between 0 and 60 seconds.")
        }
    }

    func load() throws -> RewardFunction {
        try RewardFunction(contentsOf: URL(fileURLWithPath: file), timeLimit: timeLimit)
    }
}

struct EvalReward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Print the reward for the car at one pose (placed as in 'paddock params')."
    )

    @OptionGroup var reward: RewardFileOptions
    @OptionGroup var pose: PoseOptions
    @Flag(help: "Print JSON: the reward and the params it was given.") var json = false

    func run() throws {
        let function = try reward.load()
        let track = try pose.loadTrack()
        let params = pose.simulation(on: track).params(for: pose.car, action: pose.action)
        let value = try function.reward(for: params)
        if json {
            print(JSONValue.object([("reward", .double(value)), ("params", params.json)]).text())
        } else {
            print("reward: \(SimtraceRow.python(value))")
            print(
                String(
                    format: "  at progress %.1f%%, %.3f m from the centre (%@), %@, speed %.2f m/s, steering %.1f°",
                    params.progress, params.distanceFromCenter, params.isLeftOfCenter ? "left" : "right",
                    params.allWheelsOnTrack ? "all wheels on the track" : "a wheel off the track", params.speed,
                    params.steeringAngle))
        }
    }
}

struct CheckReward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Drive a scripted lap and report the reward at every step, with any errors.",
        discussion: """
            A hand-written driver follows the centre line; the reward function is called on every step \
            DeepRacer would call it. The sparkline shows the reward against progress round the lap.
            """
    )

    @OptionGroup var reward: RewardFileOptions
    @Option(help: "Track id or .npy path.") var track = "beginner_loop"
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let function = try reward.load()
        let loaded = try TrackCatalog.standard().track(named: track)
        let check = RewardLapCheck.run(function: function, track: loaded)
        if json {
            let failures = check.failures.map { failure -> JSONValue in
                .object([
                    ("message", .string(failure.error.description)),
                    ("steps", .array(failure.steps.map(JSONValue.int))),
                ])
            }
            let number = { (value: Double?) -> JSONValue in value.map(JSONValue.double) ?? .null }
            print(
                JSONValue.object([
                    ("file", .string(reward.file)), ("track", .string(loaded.id)),
                    ("lap", .string(check.status.rawValue)),
                    ("steps", .int(check.steps.count)), ("minimum", number(check.minimum)),
                    ("mean", number(check.mean)),
                    ("maximum", number(check.maximum)), ("total", .double(check.total)),
                    (
                        "rewards",
                        .array(
                            check.steps.map { step in
                                .object([
                                    ("step", .int(step.step)), ("progress", .double(step.progress)),
                                    ("reward", number(step.reward)),
                                ])
                            })
                    ),
                    ("errors", .array(failures)),
                ]).text())
            return
        }
        print(
            "Reward along a scripted lap of \(loaded.id) (\(check.steps.count) steps; the lap ended: \(check.status.label.lowercased())):"
        )
        if let minimum = check.minimum, let mean = check.mean, let maximum = check.maximum {
            print(String(format: "  min %.4g   mean %.4g   max %.4g   total %.4g", minimum, mean, maximum, check.total))
            print("  reward against progress, 0% to 100%:")
            print("  |\(check.sparkline())|")
        }
        if check.failures.isEmpty {
            print("  No errors.")
        } else {
            for failure in check.failures {
                let steps = failure.steps.prefix(8).map(String.init).joined(separator: ", ")
                let more = failure.steps.count > 8 ? " and \(failure.steps.count - 8) more" : ""
                print("\nError on \(failure.steps.count) step(s) (\(steps)\(more)):\n\(failure.error.description)")
            }
            throw ExitCode(1)
        }
    }
}

struct MapReward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw a heat map of the reward over the track (the car placed at every point).",
        discussion: """
            Every point of the road gets the reward the function pays with the car's reference point \
            there, facing along the track, at the given speed and steering. Bright is high reward.
            """
    )

    @OptionGroup var reward: RewardFileOptions
    @Option(help: "Track id or .npy path.") var track = "beginner_loop"
    @Option(help: "Where to write the PNG.") var png: String
    @Option(parsing: .unconditional, help: "Commanded speed every pose reports, m/s.") var speed = 1.0
    @Option(parsing: .unconditional, help: "Commanded steering every pose reports, degrees.") var steering = 0.0
    @Option(parsing: .unconditional, help: "Grid spacing, metres.") var resolution = 0.02
    @Option(parsing: .unconditional, help: "Boxes on the track (object avoidance, 1-6).") var boxes: Int?

    func validate() throws {
        guard resolution >= 0.005, resolution <= 0.5 else {
            throw ValidationError("--resolution must be 0.005 to 0.5 m.")
        }
        if let boxes, !ObstacleSettings.allowedCounts.contains(boxes) {
            throw ValidationError("--boxes must be from 1 to 6.")
        }
    }

    func run() throws {
        let function = try reward.load()
        let loaded = try TrackCatalog.standard().track(named: track)
        let start = ContinuousClock.now
        let raceType: RaceType = boxes.map { .objectAvoidance(ObstacleSettings(count: $0)) } ?? .timeTrial
        let map = try RewardMap.compute(
            function: function, track: loaded, resolution: resolution,
            action: Action(steeringAngle: steering, speed: speed),
            raceType: raceType)
        let elapsed = ContinuousClock.now - start
        let file = URL(fileURLWithPath: reward.file).lastPathComponent
        let canvas = RewardMapPicture(
            map: map, track: loaded, objects: raceType == .timeTrial ? [] : objectsOf(loaded, raceType)
        )
        .draw(title: "\(file) on \(loaded.id), speed \(speed) m/s, steering \(steering)°")
        try AtomicFile.write(PNG.encode(canvas), to: URL(fileURLWithPath: png))
        let range = map.range.map { String(format: "rewards %.4g to %.4g", $0.lowerBound, $0.upperBound) } ?? "no road"
        print(
            String(
                format: "Wrote %@ (%dx%d): %@, %d points at %.0f cm in %.2f s.", png, canvas.width, canvas.height,
                range,
                map.values.compactMap { $0 }.count, resolution * 100, elapsed.seconds))
    }

    func objectsOf(_ track: Track, _ raceType: RaceType) -> [TrackObject] {
        var simulation = Simulation(track: track, settings: SimulationSettings(raceType: raceType))
        simulation.reset()
        return simulation.objects
    }
}

struct BenchReward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a reward function: microseconds per call with full params, and a reward map.",
        discussion: """
            Each call builds the whole params dict (waypoints included) as DeepRacer passes it and \
            calls reward_function; the median over many calls is reported. Then a reward map of the \
            track at 2 cm is timed.
            """
    )

    @OptionGroup var reward: RewardFileOptions
    @Option(help: "Track id or .npy path.") var track = "wide_loop"
    @Option(parsing: .unconditional, help: "Calls to time.") var calls = 20_000
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let function = try reward.load()
        let loaded = try TrackCatalog.standard().track(named: track)
        // Params from a real lap, so every call sees a different pose.
        var simulation = Simulation(track: loaded)
        simulation.reset()
        var poses: [RewardParams] = []
        let driver = ScriptedDriver()
        while poses.count < 200 {
            let result = simulation.step(driver.action(for: simulation.car, on: simulation.track))
            if result.callsRewardFunction { poses.append(result.params) }
            if result.isDone { simulation.reset() }
        }
        var times: [Double] = []
        times.reserveCapacity(calls)
        for i in 0..<max(calls, 1) {
            let start = ContinuousClock.now
            _ = try function.reward(for: poses[i % poses.count])
            times.append((ContinuousClock.now - start).seconds * 1e6)
        }
        times.sort()
        let median = times[times.count / 2]
        let p90 = times[times.count * 9 / 10]
        let mapStart = ContinuousClock.now
        let map = try RewardMap.compute(function: function, track: loaded)
        let mapSeconds = (ContinuousClock.now - mapStart).seconds
        let points = map.values.compactMap { $0 }.count
        if json {
            print(
                JSONValue.object([
                    ("file", .string(reward.file)), ("track", .string(loaded.id)), ("calls", .int(times.count)),
                    ("median_microseconds", .double((median * 100).rounded() / 100)),
                    ("p90_microseconds", .double((p90 * 100).rounded() / 100)),
                    ("map_points", .int(points)), ("map_seconds", .double((mapSeconds * 1000).rounded() / 1000)),
                    ("track_length", .double((loaded.length * 100).rounded() / 100)),
                ]).text())
        } else {
            print(
                "\(URL(fileURLWithPath: reward.file).lastPathComponent), full params with \(loaded.waypoints.count) waypoints:"
            )
            print(
                String(
                    format: "  %.2f µs per call (median of %d), %.2f µs at the 90th percentile", median, times.count,
                    p90))
            print(
                String(
                    format: "  reward map of %@ (%.1f m) at 2 cm: %d points in %.2f s", loaded.id, loaded.length,
                    points,
                    mapSeconds))
        }
    }
}
