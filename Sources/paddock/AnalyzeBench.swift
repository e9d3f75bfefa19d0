import Analysis
import ArgumentParser
import Foundation
import Imaging

/// `paddock bench analyze`: how long a console run's analysis takes, pictures included.
struct AnalyzeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Time `paddock analyze` on a DeepRacer console run: reading, figures, JSON and every picture.",
        discussion: """
            Times the whole of `paddock analyze FOLDER --json --png SHEET --png-prefix P` without the \
            process start: finding and reading the simtraces, the figures, matching the track, the \
            JSON report, the sheet and the eight 1280x800 pictures encoded as PNG. The default \
            folder is the 28-iteration console training run on reinvent_base in \
            ../shared/data/gazebo/simtraces.
            """)

    @Argument(help: "The run to analyse (default: the shared 28-iteration console run).") var folder: String?
    @Option(parsing: .unconditional, help: "Runs to time (the median is reported).") var runs = 5
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let target =
            try folder
            ?? CameraBench.sharedData().appendingPathComponent("gazebo/simtraces/reinvent_base-2022-console-discrete")
            .path
        var times: [Double] = []
        var steps = 0
        var iterations = 0
        var bytes = 0
        for _ in 0..<max(runs, 1) {
            let start = ContinuousClock.now
            let loaded = try AnalyzeCommand.load(folder: target, track: nil, episodesPerIteration: nil)
            let report = try AnalysisReport(pictures: loaded.pictures, trackFrom: loaded.trackFrom).json()
            var pngs = PNG.encode(loaded.pictures.sheet())
            for kind in AnalysisPictures.Kind.allCases { pngs += PNG.encode(loaded.pictures.picture(kind)) }
            let elapsed = start.duration(to: .now)
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            steps =
                loaded.pictures.analysis.training.reduce(0) { $0 + $1.simtrace.count }
                + loaded.pictures.analysis.evaluations.reduce(0) { $0 + $1.simtrace.count }
            iterations = loaded.pictures.analysis.iterations.count
            bytes = report.count + pngs.count
        }
        let median = times.sorted()[times.count / 2]
        if json {
            print(
                #"{"folder": "\#(target)", "iterations": \#(iterations), "steps": \#(steps), "seconds": \#(median), "output_bytes": \#(bytes)}"#
            )
        } else {
            print(
                String(
                    format: "Analysed %@: %d iterations, %d steps, JSON and 9 pictures in %.3f s (median of %d runs).",
                    target, iterations, steps, median, times.count))
        }
    }
}
