import Foundation
import PaddockTestSupport
import Testing

/// `paddock analyze` on real DeepRacer logs and a Paddock model, its figures checked against a
/// plain recomputation from the CSVs (scripts/checks/analysis_recompute.py, Python's csv module).
@Suite(.serialized) struct AnalyzeCommandTests {
    static let consoleRun = RepositoryPaths.sharedData.appendingPathComponent(
        "gazebo/simtraces/reinvent_base-2022-console-discrete")
    static let logsSample = RepositoryPaths.sharedData.appendingPathComponent("deepracer-logs-sample")
    static let continuousRun = RepositoryPaths.sharedData.appendingPathComponent(
        "gazebo/simtraces/reinvent_base-2025-console-continuous/run-b.csv")
    static var haveData: Bool { FileManager.default.fileExists(atPath: consoleRun.path) }

    /// The recomputation's JSON for `target`.
    func recomputed(_ target: String, _ extra: [String] = []) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", RepositoryPaths.root.appendingPathComponent("scripts/checks/analysis_recompute.py").path,
                target,
            ]
            + extra
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func analyzed(_ arguments: [String], environment: [String: String] = [:]) throws -> [String: Any] {
        let output = try PaddockRunner.run(["analyze"] + arguments + ["--json"], environment: environment)
        try #require(output.status == 0, "\(output.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
    }

    /// Every figure of `expected`'s rows equals paddock's, within rounding of the sums' order.
    func expectSameFigures(_ paddock: [String: Any], _ expected: [String: Any], _ key: String) throws {
        let ours = try #require(paddock[key] as? [[String: Any]], "\(key)")
        let theirs = try #require(expected[key] as? [[String: Any]], "\(key)")
        #expect(ours.count == theirs.count, "\(key): \(ours.count) rows, recomputed \(theirs.count)")
        for (a, b) in zip(ours, theirs) {
            for (name, value) in b {
                if let number = value as? Double {
                    let mine = try #require(a[name] as? Double, "\(key) \(name) missing in \(a)")
                    #expect(abs(mine - number) <= 1e-9 * max(1, abs(number)), "\(key) \(name): \(mine) != \(number)")
                } else if value is NSNull {
                    #expect(a[name] is NSNull, "\(key) \(name): \(a[name] ?? "absent") where none is expected")
                } else {
                    #expect("\(a[name] ?? "absent")" == "\(value)", "\(key) \(name)")
                }
            }
        }
    }

    @Test(.enabled(if: haveData))
    func aConsoleRunsFiguresEqualARecomputation() throws {
        let report = try analyzed([Self.consoleRun.path])
        try expectSameFigures(report, try recomputed(Self.consoleRun.path), "iterations")
        try expectSameFigures(report, try recomputed(Self.consoleRun.path), "evaluations")
        #expect((report["iterations"] as? [Any])?.count == 28)
        #expect(report["track"] as? String == "reinvent_base")
        #expect(report["track_from"] as? String == "matched")
        #expect(report["action_space"] as? String == "discrete")
        let sections = try #require(report["sections"] as? [[String: Any]])
        #expect(sections.count == 20)
        #expect(sections.allSatisfy { ($0["steps"] as? Int ?? 0) > 0 })
        let best = try #require(report["best_episodes"] as? [[String: Any]])
        let laps = best.compactMap { $0["lap_time"] as? Double }
        #expect(laps.count == 5 && laps == laps.sorted())
    }

    @Test(.enabled(if: haveData))
    func aDeepRacerForCloudFolderAndASingleFileRead() throws {
        let sample = try analyzed([Self.logsSample.path, "--track", "reinvent_base"])
        #expect(sample["layout"] as? String == "deepracer-for-cloud")
        try expectSameFigures(sample, try recomputed(Self.logsSample.path), "iterations")
        try expectSameFigures(sample, try recomputed(Self.logsSample.path), "evaluations")
        try expectSameFigures(sample, try recomputed(Self.logsSample.path), "training_evaluations")
        #expect((sample["training_evaluations"] as? [Any])?.count == 2)

        let single = try analyzed([Self.continuousRun.path])
        #expect(single["layout"] as? String == "simtrace-file")
        #expect(single["episodes_per_iteration"] as? Int == 20)
        #expect(single["action_space"] as? String == "continuous")
        try expectSameFigures(single, try recomputed(Self.continuousRun.path, ["20"]), "iterations")
    }

    @Test(.enabled(if: haveData))
    func picturesAndTheWhatIf() throws {
        let sheet = PaddockRunner.temporaryFile("analysis.png")
        let prefix = PaddockRunner.temporaryFile("analysis")
        let reward = PaddockRunner.temporaryFile("speedy.py")
        defer {
            try? FileManager.default.removeItem(at: sheet)
            try? FileManager.default.removeItem(at: reward)
        }
        try "def reward_function(params):\n    return params['speed'] if params['all_wheels_on_track'] else 1e-3\n"
            .write(
                to: reward, atomically: true, encoding: .utf8)
        let output = try PaddockRunner.run([
            "analyze", Self.consoleRun.path, "--png", sheet.path, "--png-prefix", prefix.path, "--reward", reward.path,
        ])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("Re-scored with"))
        let bytes = try Data(contentsOf: sheet)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        for name in ["reward", "progress", "laps", "best-paths", "reward-map", "speed-map", "steering", "speed"] {
            let file = URL(fileURLWithPath: prefix.path + "-\(name).png")
            #expect(FileManager.default.fileExists(atPath: file.path), "\(name)")
            try? FileManager.default.removeItem(at: file)
        }

        // A reward that fails names where, and nothing is re-scored.
        try
            "def reward_function(params):\n    if params['steps'] > 40:\n        raise ValueError('too far')\n    return 1.0\n"
            .write(to: reward, atomically: true, encoding: .utf8)
        let failed = try PaddockRunner.run(["analyze", Self.consoleRun.path, "--reward", reward.path])
        #expect(failed.status != 0)
        #expect(failed.standardError.contains("step 41"), "\(failed.standardError)")
        #expect(failed.standardError.contains("too far"))
    }

    /// A Paddock model: its figures, and its own reward function giving back the rewards it
    /// recorded, step for step (what the what-if rebuilds is what training saw).
    @Test func aPaddockModelAndItsOwnRewardGiveBackTheRecordedRewards() throws {
        let home = PaddockRunner.temporaryFile("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["PADDOCK_HOME": home.path]
        let hyperparameters = PaddockRunner.temporaryFile("hyperparameters.json")
        try Data(#"{"num_episodes_between_training": 5, "num_epochs": 3}"#.utf8).write(to: hyperparameters)
        defer { try? FileManager.default.removeItem(at: hyperparameters) }
        let train = try PaddockRunner.run(
            ["train", "--model", "analysed", "--iterations", "2", "--hyperparameters", hyperparameters.path],
            environment: environment)
        try #require(train.status == 0, "\(train.standardError)")
        let folder = home.appendingPathComponent("models/analysed")
        let report = try analyzed(
            ["analysed", "--reward", folder.appendingPathComponent("reward_function.py").path], environment: environment
        )
        #expect(report["layout"] as? String == "paddock-model")
        #expect(report["track_from"] as? String == "logs")
        try expectSameFigures(report, try recomputed(folder.path), "iterations")
        try expectSameFigures(report, try recomputed(folder.path), "training_evaluations")
        #expect((report["training_evaluations"] as? [Any])?.count == 2)
        let whatIf = try #require(report["what_if"] as? [String: Any])
        let episodes = try #require(whatIf["episodes"] as? [[String: Any]])
        #expect(episodes.count == 10)
        for episode in episodes {
            let old = try #require(episode["old_reward"] as? Double)
            let new = try #require(episode["new_reward"] as? Double)
            #expect(abs(old - new) <= 1e-6 * max(1, abs(old)), "episode \(episode["episode"] ?? "?"): \(old) != \(new)")
        }
        #expect((whatIf["rank_correlation"] as? Double ?? 0) > 0.99)

        // What the model looks at: at a point of the lap, and at a step its simtrace recorded.
        let picture = PaddockRunner.temporaryFile("explain.png")
        defer { try? FileManager.default.removeItem(at: picture) }
        let simtrace = folder.appendingPathComponent("training-simtrace/1-iteration.csv").path
        for source in [["--progress", "25"], ["--simtrace", simtrace, "--row", "12"]] {
            let explain = try PaddockRunner.run(
                ["model", "explain", "--model", "analysed", "--png", picture.path, "--json"] + source,
                environment: environment)
            try #require(explain.status == 0, "\(explain.standardError)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(explain.standardOutput.utf8)) as? [String: Any])
            let outputs = try #require(object["outputs"] as? [Double])
            #expect(outputs.count == 10)
            #expect(abs(outputs.reduce(0, +) - 1) < 1e-4)
            #expect(object["explained"] as? Int == outputs.indices.max { outputs[$0] < outputs[$1] })
            #expect(try Data(contentsOf: picture).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
        let pastTheEnd = try PaddockRunner.run(
            [
                "model", "explain", "--model", "analysed", "--png", picture.path, "--simtrace", simtrace, "--row",
                "99999",
            ],
            environment: environment)
        #expect(pastTheEnd.status != 0)
        #expect(pastTheEnd.standardError.contains("--row 99999 is past them"))
    }

    @Test func badInputSaysWhatWasWrong() throws {
        let missing = try PaddockRunner.run(["analyze", "/nonexistent/run"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("no such file or folder"))

        let file = PaddockRunner.temporaryFile("0-iteration.csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try "episode,steps,X,Y,reward\n0,1,0,0,1\n".write(to: file, atomically: true, encoding: .utf8)
        let noProgress = try PaddockRunner.run(["analyze", file.path])
        #expect(noProgress.status != 0)
        #expect(noProgress.standardError.contains("no progress column"), "\(noProgress.standardError)")

        try "episode,steps,X,Y,reward,progress\n0,1,0,0,1,5\n0,2,0,zero,1,6\n".write(
            to: file, atomically: true, encoding: .utf8)
        let badNumber = try PaddockRunner.run(["analyze", file.path])
        #expect(badNumber.standardError.contains("line 3"), "\(badNumber.standardError)")
        #expect(badNumber.standardError.contains("'zero'"))
    }
}
