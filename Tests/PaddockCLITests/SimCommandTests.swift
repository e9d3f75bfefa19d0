import Foundation
import PaddockTestSupport
import Testing

@Suite struct SimCommandTests {
    static let runB = RepositoryPaths.sharedData.appendingPathComponent(
        "gazebo/simtraces/reinvent_base-2025-console-continuous/run-b.csv")

    /// `sim replay` writes one prediction per row that has a row before it and one N rows on in
    /// the same episode, as `episode,steps,X,Y,yaw`, each naming the predicted row.
    @Test func replayWritesAPredictionForEachRow() throws {
        let trace = PaddockRunner.temporaryFile("trace.csv")
        let out = PaddockRunner.temporaryFile("predicted.csv")
        defer {
            try? FileManager.default.removeItem(at: trace)
            try? FileManager.default.removeItem(at: out)
        }
        // The first 200 rows of a console run: its first episodes.
        let lines = try String(contentsOf: Self.runB, encoding: .utf8).split(whereSeparator: \.isNewline).prefix(201)
        try (lines.joined(separator: "\n") + "\n").write(to: trace, atomically: true, encoding: .utf8)
        let output = try PaddockRunner.run(["sim", "replay", trace.path, "--horizon", "15", "--out", out.path])
        #expect(output.status == 0, "\(output.standardError)")
        let predicted = try String(contentsOf: out, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(predicted.first == "episode,steps,X,Y,yaw")
        // Rows per episode, as the trace's first column gives them.
        var counts: [Substring: Int] = [:]
        var order: [Substring] = []
        for line in lines.dropFirst() {
            let episode = line.split(separator: ",")[0]
            if counts[episode] == nil { order.append(episode) }
            counts[episode, default: 0] += 1
        }
        let expected = order.map { max((counts[$0] ?? 0) - 1 - 15, 0) }.reduce(0, +)
        #expect(predicted.count - 1 == expected)
        let first = predicted[1].split(separator: ",")
        #expect(first.count == 5)
        #expect(first[1] == "17.0" || first[1] == "17")
        #expect(output.standardOutput.contains("median"))
    }

    @Test func replayOfABadTraceSaysWhatIsWrong() throws {
        let trace = PaddockRunner.temporaryFile("bad.csv")
        defer { try? FileManager.default.removeItem(at: trace) }
        try "episode,steps,X,Y\n0,1,0,0\n".write(to: trace, atomically: true, encoding: .utf8)
        let output = try PaddockRunner.run(["sim", "replay", trace.path, "--out", "/tmp/never.csv"])
        #expect(output.status != 0)
        #expect(output.standardError.contains("no yaw, steer, throttle, tstamp, episode_status column"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.csv"))
    }
}
