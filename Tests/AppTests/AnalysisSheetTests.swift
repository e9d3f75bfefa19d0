import Analysis
import Foundation
import Lessons
import Simulator
import Testing

@testable import App

/// The Analysis sheet, "what the model looks at" and the reward what-if, done in the app as a
/// learner does them, with the tasks of lesson 20.
@MainActor @Suite(.serialized) struct AnalysisSheetTests {
    let tasks = TaskKindTests()

    /// Two episodes of a steady driver on `track`, written as the model's first training iteration.
    func writeTrainingLog(_ model: AppModel) throws {
        let folder = try #require(model.modelFolder)
        let track = try #require(model.track("beginner_loop"))
        var simulation = Simulation(track: track)
        var log = SimtraceLog()
        for episode in 0..<2 {
            simulation.reset()
            let driver = ScriptedDriver(lateralOffset: episode == 0 ? 0 : 0.1)
            for _ in 0..<400 {
                let result = simulation.step(driver.action(for: simulation.car, on: track))
                let reward = result.callsRewardFunction ? result.params.progress / 100 : 0
                log.append(SimtraceRow(episode: episode, result: result, reward: reward, actionIndex: 0))
                if result.isDone { break }
            }
        }
        let file = folder.simtraceFile(iteration: 0)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try log.text.write(to: file, atomically: true, encoding: .utf8)
    }

    @Test func openAnalysisReadsTheModelsRunAndALogFolder() throws {
        try tasks.withTask("track: beginner_loop\ndriver: model", "open-analysis") { model, _ in
            // No model and no logs: the sheet says what to do, and the task waits.
            model.openAnalysis()
            #expect(model.analysis?.sources.isEmpty == true)
            #expect(!model.isStepDone)
            try tasks.makeModel(model)
            try writeTrainingLog(model)
            // A log download put in the logs folder shows beside the model.
            let logs = model.logsDirectory.appendingPathComponent(
                "console-download/sim-trace/training/training-simtrace")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: try #require(model.modelFolder).simtraceFile(iteration: 0),
                to: logs.appendingPathComponent("3-iteration.csv"))
            model.openAnalysis()
            #expect(model.analysis?.sources.map(\.name) == ["my_first_car (model in use)", "console-download"])
            tasks.waitForJobs(model) { model.analysis?.isReading == false }
            let run = try #require(model.analysis?.run)
            #expect(run.loaded.pictures.analysis.iterations.map(\.episodes) == [2])
            #expect(run.loaded.trackFrom == "logs")
            #expect(run.pictures.count == AnalysisPictures.Kind.allCases.count)
            #expect(model.isStepDone)
            model.showAnalysisPicture(.rewardMap)
            #expect(model.analysis?.kind == .rewardMap)
            model.selectAnalysisSource(1)
            tasks.waitForJobs(model) { model.analysis?.isReading == false }
            #expect(model.analysis?.run?.loaded.pictures.analysis.iterations.map(\.iteration) == [3])
            #expect(model.analysis?.run?.loaded.pictures.track?.id == "beginner_loop")
        }
    }

    @Test func explainFrameShowsWhatTheModelLooksAt() throws {
        try tasks.withTask("track: beginner_loop\ndriver: model", "explain-frame") { model, _ in
            model.toggleSaliency()
            #expect(!model.showsSaliency)
            #expect(model.notice?.contains("Train a model first") == true)
            #expect(!model.isStepDone)
            try tasks.makeModel(model)
            model.useModel(model.modelName)
            model.tick(seconds: 0.1)
            model.toggleSaliency()
            #expect(model.showsSaliency && model.isStepDone)
            tasks.waitForJobs(model) { model.saliency != nil }
            let saliency = try #require(model.saliency)
            #expect(saliency.map.count == 160 * 120)
            #expect(saliency.outputs.count == 10)
            model.toggleSaliency()
            #expect(!model.showsSaliency && model.saliency == nil)
        }
    }

    @Test func tryRewardOnPastLapsRescoresTheRun() throws {
        try tasks.withTask("track: beginner_loop\ndriver: model", "try-reward-on-past-laps") { model, fixture in
            try tasks.makeModel(model)
            try writeTrainingLog(model)
            model.openAnalysis()
            tasks.waitForJobs(model) { model.analysis?.isReading == false }
            // No reward of the learner's own yet.
            try? FileManager.default.removeItem(at: model.home.rewardFile)
            model.tryRewardOnPastLaps()
            #expect(model.notice?.contains("no reward function of your own") == true)
            try "def reward_function(params):\n    return params['progress'] / 100\n".write(
                to: model.home.rewardFile, atomically: true, encoding: .utf8)
            model.tryRewardOnPastLaps()
            tasks.waitForJobs(model) { model.analysis?.isScoring == false }
            let whatIf = try #require(model.analysis?.whatIf)
            #expect(model.analysis?.showsWhatIf == true)
            #expect(model.isStepDone)
            // The same reward as recorded: the same totals, the same order.
            for episode in whatIf.report.episodes {
                #expect(abs(episode.newReward - episode.oldReward) < 1e-9 + 1e-12 * abs(episode.oldReward))
            }
            #expect(whatIf.report.rankCorrelation == 1)
            _ = fixture
        }
    }
}
