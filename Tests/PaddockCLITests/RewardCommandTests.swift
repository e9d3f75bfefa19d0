import Foundation
import PaddockTestSupport
import Testing

/// End-to-end checks of `paddock reward`.
@Suite struct RewardCommandTests {
    static let example = RepositoryPaths.root.appendingPathComponent("assets/reward_functions/follow_centre_line.py")
        .path

    static func writeReward(_ source: String) throws -> URL {
        let url = PaddockRunner.temporaryFile("reward.py")
        try Data(source.utf8).write(to: url)
        return url
    }

    @Test func evalOnTheCentreLine() throws {
        let output = try PaddockRunner.run([
            "reward", "eval", Self.example, "--track", "short_straight", "--x", "3", "--y", "1.0", "--heading", "0",
            "--json",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        let result = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        let params = result?["params"] as? [String: Any]
        let distance = params?["distance_from_center"] as? Double ?? 1
        let width = params?["track_width"] as? Double ?? 0
        // The reward follows the console example's bands.
        let expected = distance <= 0.1 * width ? 1.0 : distance <= 0.25 * width ? 0.5 : 0.1
        #expect(result?["reward"] as? Double == expected)
    }

    @Test func checkDrivesALap() throws {
        let output = try PaddockRunner.run(["reward", "check", Self.example, "--track", "beginner_loop", "--json"])
        #expect(output.status == 0, "\(output.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        #expect(report?["lap"] as? String == "lap_complete")
        #expect((report?["steps"] as? Int ?? 0) > 100)
        #expect((report?["errors"] as? [Any])?.isEmpty == true)
        #expect(report?["maximum"] as? Double == 1.0)
    }

    @Test func checkReportsEveryErrorWithItsSteps() throws {
        let file = try Self.writeReward(
            """
            def reward_function(params):
                if params['progress'] > 50:
                    return params['speed'] / 0
                return 1.0
            """)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try PaddockRunner.run(["reward", "check", file.path, "--track", "beginner_loop"])
        #expect(output.status != 0)
        #expect(output.standardOutput.contains("ZeroDivisionError"))
        #expect(output.standardOutput.contains("line 3"))
        #expect(output.standardOutput.contains("Error on"))
    }

    @Test func syntaxErrorsNameTheLine() throws {
        let file = try Self.writeReward("def reward_function(params)\n    return 1.0\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try PaddockRunner.run([
            "reward", "eval", file.path, "--track", "short_straight", "--x", "3", "--y", "1", "--heading", "0",
        ])
        #expect(output.status != 0)
        #expect(output.standardError.contains("line 1"))
        #expect(output.standardError.contains("not valid Python"))
    }

    @Test func mapWritesAPicture() throws {
        let png = PaddockRunner.temporaryFile("map.png")
        defer { try? FileManager.default.removeItem(at: png) }
        let output = try PaddockRunner.run([
            "reward", "map", Self.example, "--track", "short_straight", "--png", png.path, "--resolution", "0.05",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("rewards 0.1 to 1"))
        #expect((try? Data(contentsOf: png).count) ?? 0 > 5_000)
    }

    @Test func benchReportsMicroseconds() throws {
        let output = try PaddockRunner.run([
            "reward", "bench", Self.example, "--track", "short_straight", "--calls", "500", "--json",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        #expect((report?["median_microseconds"] as? Double ?? 0) > 0)
        #expect((report?["map_points"] as? Int ?? 0) > 1000)
    }

    @Test(arguments: [["reward"], ["reward", "eval"], ["reward", "check"], ["reward", "map"], ["reward", "bench"]])
    func everyRewardCommandHasHelp(_ command: [String]) throws {
        let output = try PaddockRunner.run(command + ["--help"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("USAGE:"))
    }
}
