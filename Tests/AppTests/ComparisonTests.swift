import Foundation
import Imaging
import Model
import Simulator
import Testing

@testable import App

/// Comparing models: ticking them in the garage, the overlaid curves, the evaluation table and
/// the laps replayed together.
@MainActor @Suite(.serialized) struct ComparisonTests {
    /// A model in the app's models folder with `iterations` iterations of metrics (evaluation
    /// completion rising to `completion`) and, when `speed` is given, an evaluation of three laps
    /// driven by the scripted driver at that top speed.
    func makeModel(
        _ name: String, in model: AppModel, iterations: Int, completion: Int, speed: Double?,
        track: String = "beginner_loop"
    ) throws {
        let folder = try ModelFolder(name: name, in: model.modelsDirectory)
        try folder.writeDescription(ModelDescription(track: track, settings: TrainingSettings()), rewardSource: "")
        var entries: [TrainingMetrics.Entry] = []
        for iteration in 1...iterations {
            let evaluation = completion * iteration / iterations
            entries.append(
                .init(
                    rewardScore: 10 * iteration, metricTime: iteration * 2000, startTime: iteration * 2000 - 1000,
                    episode: iteration, trial: 0, phase: "training", completionPercentage: evaluation / 2,
                    episodeStatus: "Off track"))
            entries.append(
                .init(
                    rewardScore: 0, metricTime: iteration * 2000 + 500, startTime: iteration * 2000, episode: 0,
                    trial: 1, phase: "evaluation", completionPercentage: evaluation,
                    episodeStatus: evaluation == 100 ? "Lap complete" : "Off track"))
        }
        try folder.writeMetrics(TrainingMetrics(metrics: entries))
        var state = TrainingState()
        state.iterations = iterations
        state.bestIteration = iterations
        state.bestCompletion = Double(completion)
        try folder.writeState(state)
        guard let speed else { return }
        let driver = ScriptedDriver(topSpeed: speed, cornerSpeed: speed * 0.6)
        var log = SimtraceLog()
        let results = Evaluation.run(
            track: try #require(model.track(track)),
            policy: { driver.action(for: $0.car, on: $0.track) },
            onStep: { trial, result in
                log.append(SimtraceRow(episode: trial - 1, result: result, reward: 1, actionIndex: nil))
            })
        try folder.writeEvaluation(results, simtrace: log)
    }

    @Test func tickedModelsAreComparedAndTheirLapsReplayedTogether() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        try makeModel("slow", in: model, iterations: 6, completion: 100, speed: 1.2)
        try makeModel("fast", in: model, iterations: 10, completion: 100, speed: 2.0)
        try makeModel("fresh", in: model, iterations: 2, completion: 40, speed: nil)
        try makeModel("straight", in: model, iterations: 3, completion: 100, speed: 1.0, track: "short_straight")
        try makeModel("fifth", in: model, iterations: 1, completion: 10, speed: nil)
        model.openGarage()
        #expect(model.garage.count == 5)

        // One ticked model is not a comparison; a fifth is refused.
        model.toggleCompare("slow")
        model.openComparison()
        #expect(model.sheet == .garage && model.notice?.contains("two to four") == true)
        for name in ["fast", "fresh", "straight", "fifth"] { model.toggleCompare(name) }
        #expect(model.compareSelection == ["slow", "fast", "fresh", "straight"])
        #expect(model.notice?.contains("up to 4") == true)
        model.openComparison()
        #expect(model.sheet == .compare)
        #expect(model.comparison.map(\.name) == ["slow", "fast", "fresh", "straight"])

        // The curves come from each model's metrics, the table from its latest evaluation.
        let slow = model.comparison[0]
        let fast = model.comparison[1]
        #expect(slow.points.count == 6 && fast.points.count == 10)
        #expect(slow.points.last?.evaluationCompletion == 100)
        #expect(model.comparison[2].evaluation == nil && model.comparison[2].lap.samples.isEmpty)
        let slowLaps = try #require(slow.evaluationSummary?.laps)
        let fastLaps = try #require(fast.evaluationSummary?.laps)
        #expect(slowLaps.count == 3 && fastLaps.count == 3)
        #expect(fastLaps.max() ?? 99 < slowLaps.min() ?? 0, "the faster driver's laps are all faster")

        // The replay runs the laps on the first model's track; the straight's lap is elsewhere.
        #expect(model.replayTrack?.id == "beginner_loop")
        #expect(model.replayedModels.map(\.name) == ["slow", "fast"])
        // Its poses follow the recorded lap, between steps too.
        let lap = fast.lap.samples
        #expect(fast.lap.duration > 5)
        let middle = lap[lap.count / 2]
        let next = lap[lap.count / 2 + 1]
        let between = try #require(fast.lap.pose(at: (middle.time + next.time) / 2))
        #expect(abs(between.x - (middle.x + next.x) / 2) < 1e-6 && abs(between.y - (middle.y + next.y) / 2) < 1e-6)
        #expect(fast.lap.pose(at: 1e6) == lap.last)
        // Time runs while the sheet is open, at the playback speed, and loops.
        model.key(.speed4, pressed: true)
        model.tick(seconds: 0.5)
        #expect(abs(model.replayTime - 2) < 1e-9)
        model.tick(seconds: 1)
        let canvas = try AppWindow.render(model: model, width: 1280, height: 800)
        #expect(canvas.width == 1280)
        model.tick(seconds: (slow.lap.duration + 3) / 4)
        #expect(model.replayTime < 2, "after the slowest lap and a pause it starts again")
        // Esc goes back to the list, ticks kept.
        model.key(.escape, pressed: true)
        #expect(model.sheet == .garage && model.compareSelection.count == 4)
    }
}
