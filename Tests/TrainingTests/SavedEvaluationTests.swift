import Assets
import Foundation
import Model
import PaddockTestSupport
import Simulator
import Testing

/// Evaluations written into a model folder read back as written, and a damaged one is named.
@Suite struct SavedEvaluationTests {
    func folder() throws -> ModelFolder {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-eval-\(UUID())")
        return try ModelFolder(name: "m", in: directory)
    }

    @Test func theLatestEvaluationReadsBackItsTrialsAndSteps() throws {
        let model = try folder()
        defer { try? FileManager.default.removeItem(at: model.url.deletingLastPathComponent()) }
        #expect(try model.latestEvaluation() == nil)
        let track = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
            .track(named: "short_straight")
        func evaluate(speed: Double, at date: Date) throws {
            let driver = ScriptedDriver(topSpeed: speed, cornerSpeed: speed)
            var log = SimtraceLog()
            let results = Evaluation.run(
                track: track, trials: 3, policy: { driver.action(for: $0.car, on: $0.track) },
                onStep: { log.append(SimtraceRow(episode: $0 - 1, result: $1, reward: 1, actionIndex: nil)) })
            try model.writeEvaluation(results, simtrace: log, at: date)
        }
        try evaluate(speed: 1.0, at: Date(timeIntervalSince1970: 1_000_000))
        try evaluate(speed: 2.0, at: Date(timeIntervalSince1970: 2_000_000))
        let latest = try #require(try model.latestEvaluation())
        #expect(latest.folder.lastPathComponent == "evaluation-19700124033320")
        #expect(latest.trials.map(\.trial) == [1, 2, 3])
        #expect(latest.trials.allSatisfy { $0.lapSeconds != nil && $0.completion == 100 })
        #expect(latest.drive.episodes.count == 3)
        // The lap time is the trial's elapsed time, as the metrics file has it in milliseconds.
        let first = latest.drive.steps[latest.drive.episodes[0]]
        let recorded = (first.last?.time ?? 0) - (first.first?.time ?? 0)
        #expect(abs((latest.trials[0].lapSeconds ?? 0) - recorded) < 0.2)

        // A damaged metrics file is named, with what to expect there.
        let metrics = model.url.appendingPathComponent("metrics/EvaluationMetrics-19700124033320.json")
        try "{\"metrics\": [".write(to: metrics, atomically: true, encoding: .utf8)
        #expect {
            _ = try model.latestEvaluation()
        } throws: { error in
            "\(error)".contains("EvaluationMetrics-19700124033320.json") && "\(error)".contains("evaluation metrics")
        }
    }
}
