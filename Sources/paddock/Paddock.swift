import ArgumentParser

/// The `paddock` command: every job Paddock does, from the command line.
@main
struct Paddock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paddock",
        abstract: "Learn reinforcement learning by teaching a DeepRacer car to race.",
        discussion: """
            With no subcommand, Paddock opens the app: guided lessons beside a live simulator and \
            trainer. With no display it says so and lists the commands that work without one.
            """,
        subcommands: [
            AppCommand.self, LessonsCommand.self, DemoCommand.self, TracksCommand.self, ParamsCommand.self,
            CameraCommand.self, RewardCommand.self,
            TrainCommand.self, EvaluateCommand.self, ModelsCommand.self, ModelCommand.self, ExportCommand.self,
            CarCommand.self, ImportCommand.self, AnalyzeCommand.self, WorkshopCommand.self, SimCommand.self,
            BenchCommand.self,
        ],
        defaultSubcommand: AppCommand.self
    )

    static func main() {
        OpenBLASKernelChoice.applyBeforeStart()
        MallocTuning.keepLargeBlocks()
        main(nil)
    }
}
