import ArgumentParser

/// The `paddock` command: every job Paddock does, from the command line.
@main
struct Paddock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paddock",
        abstract: "Learn reinforcement learning by teaching a DeepRacer car to race.",
        discussion: """
            With no subcommand, Paddock runs a short demo: a scripted driver takes the car round a \
            track while the terminal shows the lap. The desktop app with guided lessons will open \
            here once it lands.
            """,
        subcommands: [
            DemoCommand.self, TracksCommand.self, ParamsCommand.self, CameraCommand.self, RewardCommand.self,
            TrainCommand.self, EvaluateCommand.self, ModelsCommand.self, ModelCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: DemoCommand.self
    )

    static func main() {
        OpenBLASKernelChoice.applyBeforeStart()
        main(nil)
    }
}
