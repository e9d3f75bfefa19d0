import ArgumentParser
import Assets
import Simulator

/// The options that place a car on a track: the track and the reward-params reference point.
struct PoseOptions: ParsableArguments {
    @Option(name: .long, help: "A track id (see 'paddock tracks list') or the path of a DeepRacer .npy track file.")
    var track: String

    @Option(
        name: .customLong("x"), parsing: .unconditional,
        help: "x of the car's reference point (0.14 m ahead of its centre), metres.")
    var x: Double

    @Option(name: .customLong("y"), parsing: .unconditional, help: "y of the car's reference point, metres.")
    var y: Double

    @Option(name: .long, parsing: .unconditional, help: "The car's heading in degrees, counter-clockwise from +x.")
    var heading: Double

    @Option(name: .long, parsing: .unconditional, help: "Commanded speed in m/s (the action's speed).")
    var speed: Double = 1.0

    @Option(name: .long, parsing: .unconditional, help: "Commanded steering angle in degrees, positive to the left.")
    var steering: Double = 0

    @Flag(name: .long, help: "Drive the track in the reversed (clockwise) direction.")
    var reversed = false

    @Option(
        name: .long, parsing: .unconditional,
        help: "Boxes on the track (object avoidance, 1-6), placed as DeepRacer places them.")
    var boxes: Int?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Bot cars on the track (head-to-bot, 1-4), at their starting places.")
    var bots: Int?

    func validate() throws {
        for (name, value) in [
            ("--x", x), ("--y", y), ("--heading", heading), ("--speed", speed), ("--steering", steering),
        ]
        where !value.isFinite {
            throw ValidationError("\(name) must be a finite number, not \(value).")
        }
        try validateObjects()
    }

    func validateObjects() throws {
        if boxes != nil && bots != nil { throw ValidationError("Use --boxes or --bots, not both.") }
        if let boxes, !ObstacleSettings.allowedCounts.contains(boxes) {
            throw ValidationError("--boxes must be from 1 to 6 (DeepRacer's object avoidance range), not \(boxes).")
        }
        if let bots, !BotCarSettings.allowedCounts.contains(bots) {
            throw ValidationError("--bots must be from 1 to 4 (DeepRacer's head-to-bot range), not \(bots).")
        }
    }

    func loadTrack() throws -> Track {
        try TrackCatalog.standard().track(named: track)
    }

    /// A simulation of the track with the chosen objects in their starting places.
    func simulation(on track: Track) -> Simulation {
        var raceType = RaceType.timeTrial
        if let boxes { raceType = .objectAvoidance(ObstacleSettings(count: boxes)) }
        if let bots { raceType = .headToBot(BotCarSettings(count: bots)) }
        var simulation = Simulation(
            track: track, settings: SimulationSettings(raceType: raceType, reverseDirection: reversed))
        simulation.reset()
        return simulation
    }

    var car: CarState { Simulation.car(referencePoint: Vector2(x, y), headingDegrees: heading) }
    var action: Action { Action(steeringAngle: steering, speed: speed) }
}
