import ArgumentParser
import CarExport
import Foundation
import Model
import NeuralNetwork
import Simulator

/// `paddock bench export`: how long export and import take for DeepRacer's 3-layer model.
struct ExportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Time exporting a 3-layer model to a car archive, and importing it with a first inference.",
        discussion: """
            Makes a model with DeepRacer's 3-layer CNN and the console's 10 actions in a temporary \
            folder, then times: the export (weights to frozen graph, tar, gzip, atomic write) and the \
            import (read, unpack, parse the graph, install) with one inference on a camera frame.
            """)

    @Option(parsing: .unconditional, help: "Runs to time (the median is reported).") var runs = 5
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-bench-export-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let models = directory.appendingPathComponent("models")
        let settings = TrainingSettings(network: .deepRacerShallow)
        var random = NetworkRandom(seed: 1)
        let learner = Learner.make(settings: settings, random: &random)
        let folder = try ModelFolder(name: "bench", in: models)
        try folder.writeDescription(ModelDescription(track: "beginner_loop", settings: settings), rewardSource: "")
        try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
        let frame = Tensor(shape: [1, 120, 160, 1], values: (0..<(120 * 160)).map { Float($0 % 256) })
        var exports: [Double] = []
        var imports: [Double] = []
        var size = 0
        for run in 0..<max(runs, 1) {
            let archiveURL = directory.appendingPathComponent("bench.tar.gz")
            var start = ContinuousClock.now
            let archive = try CarArchive.make(folder: folder)
            try archive.gzipData().write(to: archiveURL, options: .atomic)
            exports.append((ContinuousClock.now - start).seconds)
            size = archive.file("agent/model.pb")?.count ?? 0
            start = ContinuousClock.now
            let target = try ModelFolder(name: "imported_\(run)", in: models)
            let imported = try ImportedModel.install(
                archive: Data(contentsOf: archiveURL), path: archiveURL.path, into: target, track: "beginner_loop")
            _ = try imported.outputs(frame)
            imports.append((ContinuousClock.now - start).seconds)
        }
        let exportMedian = exports.sorted()[exports.count / 2]
        let importMedian = imports.sorted()[imports.count / 2]
        if json {
            print(
                JSONValue.object([
                    ("network", .string(settings.network.rawValue)), ("model_pb_bytes", .int(size)),
                    ("export_seconds", .double((exportMedian * 1000).rounded() / 1000)),
                    ("import_and_first_inference_seconds", .double((importMedian * 1000).rounded() / 1000)),
                ]).text())
        } else {
            print("DeepRacer 3-layer CNN, 10 actions (model.pb \(size / 1024) KB), median of \(exports.count):")
            print(String(format: "  export to a car archive:          %.3f s", exportMedian))
            print(String(format: "  import and first inference:       %.3f s", importMedian))
        }
    }
}
