import Analysis
import ArgumentParser
import Assets
import Foundation
import Imaging
import Model
import RewardScript

/// `paddock analyze`: a run's logs read and summed up, drawn, and re-scored with another reward.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a training run's logs: figures per iteration, pictures, a reward tried on past laps.",
        discussion: """
            FOLDER is a Paddock model (a name, or its folder), a DeepRacer console log download, a \
            DeepRacer-for-Cloud model folder, a folder of N-iteration.csv simtraces, or one simtrace \
            CSV. Prints, per training iteration: episodes, mean total reward per episode, mean \
            progress (each episode's last), the share of episodes that finished the lap, and the \
            best and mean lap time of those that did; the same for each evaluation.

            The track comes from --track, the run's own files (a Paddock model's settings, \
            WORLD_NAME in DeepRacer's logs or run.env), or the catalogue track whose length and \
            road match the recorded positions. DeepRacer's own track files are looked for in \
            $PADDOCK_DEEPRACER_TRACKS and ../shared/data/deepracer-tracks beside the project.

            --reward re-scores every recorded training step with another reward function: the old \
            and new total per episode, the old and new mean per stretch of track, and the episodes \
            that would rank differently.
            """)

    @Argument(help: "A model name or folder, a log folder, or a simtrace .csv file.") var folder: String
    @Option(help: "The track: an id, a DeepRacer track name or a .npy file.") var track: String?
    @Option(help: "Episodes per iteration when reading one simtrace file (default: the run's, or 20).")
    var episodesPerIteration: Int?
    @Option(help: "Write every picture on one sheet to this PNG.") var png: String?
    @Option(help: "Write each picture to PREFIX-NAME.png, 1280x800 each.") var pngPrefix: String?
    @Option(help: "Re-score the recorded steps with this reward function (.py).") var reward: String?
    @Flag(help: "Print the analysis as JSON.") var json = false

    func validate() throws {
        if let episodesPerIteration, episodesPerIteration < 1 {
            throw ValidationError("--episodes-per-iteration must be at least 1.")
        }
    }

    func run() throws {
        let loaded = try Self.load(folder: folder, track: track, episodesPerIteration: episodesPerIteration)
        var whatIf: RewardWhatIf.Report?
        if let reward {
            guard let pictureTrack = loaded.pictures.track else {
                throw ValidationError("--reward needs the track the run drove; give it with --track.")
            }
            let function = try RewardFunction(contentsOf: URL(fileURLWithPath: reward))
            whatIf = try RewardWhatIf.run(
                analysis: loaded.pictures.analysis, track: pictureTrack, reward: function, rewardFile: reward)
        }
        if let png {
            try AtomicFile.write(PNG.encode(loaded.pictures.sheet()), to: URL(fileURLWithPath: png))
        }
        if let pngPrefix {
            for kind in AnalysisPictures.Kind.allCases {
                try AtomicFile.write(
                    PNG.encode(loaded.pictures.picture(kind)),
                    to: URL(fileURLWithPath: "\(pngPrefix)-\(kind.rawValue).png"))
            }
        }
        if json {
            let report = AnalysisReport(pictures: loaded.pictures, trackFrom: loaded.trackFrom, whatIf: whatIf)
            FileHandle.standardOutput.write(try report.json())
            print()
            return
        }
        print(AnalysisText.summary(loaded.pictures, trackFrom: loaded.trackFrom))
        if let whatIf { print(AnalysisText.whatIf(whatIf)) }
        if let png { print("Wrote \(png).") }
        if let pngPrefix { print("Wrote \(pngPrefix)-*.png (\(AnalysisPictures.Kind.allCases.count) pictures).") }
    }

    static func load(folder: String, track: String?, episodesPerIteration: Int?) throws -> AnalysisLoader.Loaded {
        try AnalysisLoader.load(
            locate(folder), track: track, episodesPerIteration: episodesPerIteration,
            catalog: try TrackCatalog.standard())
    }

    /// A model name, or a path.
    static func locate(_ folder: String) -> URL {
        let url = URL(fileURLWithPath: folder)
        if !FileManager.default.fileExists(atPath: url.path), !folder.contains("/"),
            let model = try? ModelFolder(name: folder),
            FileManager.default.fileExists(atPath: model.url.path)
        {
            return model.url
        }
        return url
    }
}
