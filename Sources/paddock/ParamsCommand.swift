import ArgumentParser
import Simulator

/// `paddock params`: the reward params DeepRacer would compute for a car at a pose.
struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params",
        abstract: "Print the reward function's params (JSON) for a car at a pose.",
        discussion: """
            The car is placed so that its reference point (DeepRacer's x, y: 0.14 m ahead of the \
            car's centre) is at (x, y), facing --heading. Progress is measured from the track's \
            first waypoint. Every key DeepRacer's reward function receives is printed.
            """
    )

    @OptionGroup var pose: PoseOptions

    func run() throws {
        let track = try pose.loadTrack()
        let simulation = pose.simulation(on: track)
        let params = simulation.params(for: pose.car, action: pose.action)
        print(params.json.text())
    }
}
