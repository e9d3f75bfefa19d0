import Foundation
import PaddockTestSupport
import Testing

/// `paddock train`, `paddock models` and `paddock model predict`, end to end, in a scratch home.
@Suite(.serialized) struct ModelCommandTests {
    @Test func trainListShowPredictCloneDelete() throws {
        let home = PaddockRunner.temporaryFile("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["PADDOCK_HOME": home.path]
        let hyperparameters = PaddockRunner.temporaryFile("hyperparameters.json")
        try Data(#"{"num_episodes_between_training": 5, "num_epochs": 3}"#.utf8).write(to: hyperparameters)
        defer { try? FileManager.default.removeItem(at: hyperparameters) }

        let train = try PaddockRunner.run(
            ["train", "--model", "cli_model", "--iterations", "1", "--hyperparameters", hyperparameters.path],
            environment: environment)
        #expect(train.status == 0, "\(train.standardError)")
        #expect(train.standardOutput.contains("iteration   1"))
        let folder = home.appendingPathComponent("models/cli_model")
        #expect(
            FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("training-simtrace/0-iteration.csv").path))

        let list = try PaddockRunner.run(["models", "list", "--json"], environment: environment)
        let models = try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
        #expect(models?.first?["name"] as? String == "cli_model")
        #expect(models?.first?["iterations"] as? Int == 1)

        let show = try PaddockRunner.run(["models", "show", "cli_model"], environment: environment)
        #expect(show.standardOutput.contains("\"action_space_type\": \"discrete\""))

        let frames = PaddockRunner.temporaryFile("frames.npy")
        defer { try? FileManager.default.removeItem(at: frames) }
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 120, 160, 1), }"
        header += String(repeating: " ", count: (64 - (10 + header.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] =
            [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        bytes += [UInt8](repeating: 70, count: 120 * 160)
        try Data(bytes).write(to: frames)
        let predict = try PaddockRunner.run(
            ["model", "predict", "--model", "cli_model", "--input", frames.path, "--json"], environment: environment)
        #expect(predict.status == 0, "\(predict.standardError)")
        let outputs = try JSONSerialization.jsonObject(with: Data(predict.standardOutput.utf8)) as? [[Double]]
        #expect(outputs?.first?.count == 10)
        #expect(abs((outputs?.first?.reduce(0, +) ?? 0) - 1) < 1e-4)

        // To the car and back: export, the loader's check, import, the same outputs, a lap.
        let archive = PaddockRunner.temporaryFile("cli_model.tar.gz")
        defer { try? FileManager.default.removeItem(at: archive) }
        let export = try PaddockRunner.run(
            ["export", "car", "--model", "cli_model", "-o", archive.path], environment: environment)
        #expect(export.status == 0, "\(export.standardError)")
        #expect(export.standardOutput.contains("agent/model.pb"))
        #expect(export.standardOutput.contains("paddock car upload"))
        let check = try PaddockRunner.run(["car", "check", archive.path], environment: environment)
        #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
        #expect(check.standardOutput.contains("the car's loader would take it"))
        let imported = try PaddockRunner.run(
            ["import", archive.path, "--model", "cli_imported"], environment: environment)
        #expect(imported.status == 0, "\(imported.standardError)")
        let importedPredict = try PaddockRunner.run(
            ["model", "predict", "--model", "cli_imported", "--input", frames.path, "--json"], environment: environment)
        let importedOutputs =
            try JSONSerialization.jsonObject(with: Data(importedPredict.standardOutput.utf8)) as? [[Double]]
        let difference = zip(outputs?.first ?? [], importedOutputs?.first ?? []).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-4, "imported outputs differ by \(difference)")
        let evaluate = try PaddockRunner.run(
            ["evaluate", "--model", "cli_imported", "--trials", "1"], environment: environment)
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        #expect(evaluate.standardOutput.contains("trial 1"))
        let badArchive = PaddockRunner.temporaryFile("bad model.tar.gz")
        defer { try? FileManager.default.removeItem(at: badArchive) }
        try Data("not gzip".utf8).write(to: badArchive)
        let bad = try PaddockRunner.run(["car", "check", badArchive.path], environment: environment)
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("bad model.tar.gz"))

        let clone = try PaddockRunner.run(["models", "clone", "cli_model", "cli_clone"], environment: environment)
        #expect(clone.status == 0, "\(clone.standardError)")
        #expect(
            FileManager.default.fileExists(
                atPath: home.appendingPathComponent("models/cli_clone/paddock/checkpoints/initial.weights").path))
        let again = try PaddockRunner.run(["models", "clone", "cli_model", "cli_clone"], environment: environment)
        #expect(again.status != 0)
        #expect(again.standardError.contains("exists already"))

        let refuse = try PaddockRunner.run(["models", "delete", "cli_clone"], environment: environment)
        #expect(refuse.standardOutput.contains("--yes"))
        let delete = try PaddockRunner.run(["models", "delete", "cli_clone", "--yes"], environment: environment)
        #expect(delete.status == 0)
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("models/cli_clone").path))
    }

    @Test func badInputIsExplained() throws {
        let home = PaddockRunner.temporaryFile("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["PADDOCK_HOME": home.path]
        let name = try PaddockRunner.run(["train", "--model", "my model"], environment: environment)
        #expect(name.status != 0)
        #expect(name.standardError.contains("cannot name a model"))
        let missing = try PaddockRunner.run(["evaluate", "--model", "nobody"], environment: environment)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("no model called 'nobody'"))
        let unknown = try PaddockRunner.run(["train", "--model", "m", "--algorithm", "dqn"], environment: environment)
        #expect(unknown.standardError.contains("choose ppo or sac"))
        let threads = try PaddockRunner.run(["train", "--model", "t", "--threads", "0"], environment: environment)
        #expect(threads.status != 0)
        #expect(threads.standardError.contains("--threads must be 1 or more"))
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("models/t").path))
    }
}

@Suite struct SensorOptionTests {
    @Test func sensorsFollowTheCarsRules() throws {
        let home = PaddockRunner.temporaryFile("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let two = try PaddockRunner.run(
            ["train", "--model", "m", "--sensors", "FRONT_FACING_CAMERA,STEREO_CAMERAS"],
            environment: ["PADDOCK_HOME": home.path])
        #expect(two.status != 0)
        #expect(two.standardError.contains("exactly one camera"))
        let unknown = try PaddockRunner.run(
            ["train", "--model", "m", "--sensors", "RADAR"], environment: ["PADDOCK_HOME": home.path])
        #expect(unknown.standardError.contains("Unknown sensor 'RADAR'"))
    }
}
