import Foundation
import Model
import NeuralNetwork
import Reinforcement
import Simulator
import Testing

@testable import CarExport

/// What `paddock import` takes and refuses, and that evaluation never makes up an action.
@Suite struct ImportTests {
    /// A scratch folder and a Paddock model's car archive files (the console's 10 actions, 3-layer CNN).
    static func exported() throws -> (directory: URL, metadata: Data, graph: Data) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let settings = TrainingSettings(network: .deepRacerShallow)
        var random = NetworkRandom(seed: 5)
        let learner = Learner.make(settings: settings, random: &random)
        let folder = try ModelFolder(name: "source", in: directory)
        try folder.writeDescription(ModelDescription(track: "s_bend_loop", settings: settings), rewardSource: "")
        try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
        let archive = try CarArchive.make(folder: folder)
        return (
            directory, try #require(archive.file("model_metadata.json")), try #require(archive.file("agent/model.pb"))
        )
    }

    /// The metadata with one more action than the graph has outputs.
    static func oneActionTooMany(_ metadata: Data) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: metadata) as? [String: Any])
        var actions = try #require(object["action_space"] as? [[String: Any]])
        actions.append(["steering_angle": 5.0, "speed": 0.5, "index": actions.count])
        object["action_space"] = actions
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test func aDeepRacerForCloudFolderImportsTheCheckpointItNames() throws {
        let (directory, metadata, graph) = try Self.exported()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("drfc/model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try metadata.write(to: model.appendingPathComponent("model_metadata.json"))
        for n in [2, 4] { try graph.write(to: model.appendingPathComponent("model_\(n).pb")) }
        try Data("4_Step-1200.ckpt\n".utf8).write(to: model.appendingPathComponent(".coach_checkpoint"))
        let source = try ModelSource(folder: directory.appendingPathComponent("drfc"))
        #expect(try source.select().checkpoint == 4)
        #expect(try source.select(checkpoint: 2).graphPath == "model/model_2.pb")
        #expect(throws: CarExportError.self) { try source.select(checkpoint: 3) }
        let folder = try ModelFolder(name: "drfc", in: directory.appendingPathComponent("models"))
        let imported = try ImportedModel.install(source: source, into: folder, track: "s_bend_loop")
        #expect(imported.description.settings.actionSpace.outputCount == 10)
        // Without the pointer, several checkpoints need --checkpoint.
        try FileManager.default.removeItem(at: model.appendingPathComponent(".coach_checkpoint"))
        let unpointed = try ModelSource(folder: directory.appendingPathComponent("drfc"))
        #expect {
            try unpointed.select()
        } throws: { error in
            "\(error)".contains("choose one with --checkpoint N")
        }
    }

    /// A console download keeps the files deeper; they are found there.
    @Test func filesUnderAFolderPrefixAreFound() throws {
        let (directory, metadata, graph) = try Self.exported()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = ModelSource(
            files: [
                "model-artifacts/my-model/model_metadata.json": metadata,
                "model-artifacts/my-model/agent/model.pb": graph,
            ], path: "download.tar.gz")
        let selection = try source.select()
        #expect(selection.metadataPath == "model-artifacts/my-model/model_metadata.json")
    }

    /// A graph whose outputs do not match the metadata's actions is refused, and nothing is kept.
    @Test func aMismatchedModelIsRefusedAtImport() throws {
        let (directory, metadata, graph) = try Self.exported()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = ModelSource(
            files: ["model_metadata.json": try Self.oneActionTooMany(metadata), "agent/model.pb": graph],
            path: "mismatch.tar.gz")
        let folder = try ModelFolder(name: "mismatch", in: directory.appendingPathComponent("models"))
        #expect {
            try ImportedModel.install(source: source, into: folder, track: "s_bend_loop")
        } throws: { error in
            "\(error)".contains("its output has 10 values where model_metadata.json's action space has 11 actions")
        }
        #expect(!folder.exists)
    }

    /// An inference error ends the evaluation with that error: it never becomes action 0.
    @Test func evaluationStopsAtAnInferenceError() throws {
        let (directory, metadata, graph) = try Self.exported()
        defer { try? FileManager.default.removeItem(at: directory) }
        let mismatched = try ModelMetadata(data: try Self.oneActionTooMany(metadata))
        let settings = TrainingSettings(actionSpace: mismatched.actionSpace, network: .deepRacerShallow)
        let model = try ImportedModel(
            folder: try ModelFolder(name: "never", in: directory),
            description: ModelDescription(track: "t", settings: settings),
            runner: GraphRunner(modelPB: graph), metadata: mismatched)
        var steps = 0
        #expect(throws: CarExportError.self) {
            try model.evaluate(track: TestTrack.circle(), trials: 1, raceType: .timeTrial) { _, _, _ in steps += 1 }
        }
        #expect(steps == 0)
    }
}

enum TestTrack {
    /// A 3 m circle, 1 m wide.
    static func circle() -> Track {
        func ring(_ r: Double) -> [Vector2] {
            (0...36).map { i in Vector2(r * cos(Double(i % 36) * .pi / 18), r * sin(Double(i % 36) * .pi / 18)) }
        }
        // Valid by construction.
        return (try? Track(id: "circle", waypoints: ring(3), innerBorder: ring(2.5), outerBorder: ring(3.5)))
            ?? { preconditionFailure("the test circle is a valid track") }()
    }
}
