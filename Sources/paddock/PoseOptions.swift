import ArgumentParser
import Assets
import Simulator

/// The options that place a car on a track: the track and the reward-params reference point.
struct PoseOptions: ParsableArguments {
    @Option(name: .long, help: "A track id (see 'paddock tracks list') or the path of a DeepRacer .npy track file.")
    var track: String

    @Option(name: .customLong("x"), help: "x of the car's reference point (0.14 m ahead of its centre), metres.")
    var x: Double

    @Option(name: .customLong("y"), help: "y of the car's reference point, metres.")
    var y: Double

    @Option(name: .long, help: "The car's heading in degrees, counter-clockwise from +x.")
    var heading: Double

    @Option(name: .long, help: "Commanded speed in m/s (the action's speed).")
    var speed: Double = 1.0

    @Option(name: .long, help: "Commanded steering angle in degrees, positive to the left.")
    var steering: Double = 0

    @Flag(name: .long, help: "Drive the track in the reversed (clockwise) direction.")
    var reversed = false

    func validate() throws {
        for (name, value) in [
            ("--x", x), ("--y", y), ("--heading", heading), ("--speed", speed), ("--steering", steering),
        ]
        where !value.isFinite {
            throw ValidationError("\(name) must be a finite number, not \(value).")
        }
    }

    func loadTrack() throws -> Track {
        try TrackCatalog.standard().track(named: track)
    }

    var car: CarState { Simulation.car(referencePoint: Vector2(x, y), headingDegrees: heading) }
    var action: Action { Action(steeringAngle: steering, speed: speed) }
}
