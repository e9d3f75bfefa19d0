import CarExport
import Foundation
import Lessons
import Model
import NeuralNetwork
import Simulator
import Testing

@testable import App

/// Each kind of lesson task, done in the app the way a learner does it (keys, clicks, the
/// editor, the buttons), and not done by the near misses a learner makes: the app's events reach
/// the task, and the task checks what its step teaches.
@MainActor @Suite(.serialized) struct TaskKindTests {
    /// A lesson whose first step has `scene` and the task `check`, and a reading step after it.
    static func lesson(_ scene: String, _ check: String) -> String {
        """
        # A task

        ## Try it

        ```scene
        \(scene)
        ```

        Do what the task says.

        ```task
        check: \(check)
        hint: Try again.
        ```

        ## Done

        That was it.
        """
    }

    /// Runs `body` on an app open at a one-task lesson.
    func withTask(_ scene: String, _ check: String, _ body: (AppModel, AppFixture) throws -> Void) throws {
        let fixture = try AppFixture(lessons: [Self.lesson(scene, check)], ids: ["task"])
        defer { fixture.remove() }
        let model = try fixture.model()
        try body(model, fixture)
    }

    /// Simulator steps one at a time (1/15 s each) until `done` or `seconds` of simulated time,
    /// with `each` before every step (a learner's hands on the keys).
    func drive(
        _ model: AppModel, seconds: Double = 90, until done: () -> Bool, each: (AppModel) -> Void = { _ in }
    ) {
        var elapsed = 0.0
        while !done() && elapsed < seconds {
            each(model)
            model.tick(seconds: CarGeometry.stepDuration)
            elapsed += CarGeometry.stepDuration
        }
    }

    /// Presses the arrow keys as a steady learner would to follow `track`'s centre line, `offset`
    /// metres to its left, at about `speed` metres per second.
    func pilot(_ model: AppModel, on track: Track? = nil, speed: Double = 1.0, offset: Double = 0) {
        ScriptedLearner(model: model).pilot(on: track, speed: speed, offset: offset)
    }

    var failedTries: (AppModel) -> Int { { $0.tracker?.failedTries ?? -1 } }

    // MARK: Driving in the simulator panel

    @Test func completeLapPassesOnALapNotOnLeavingTheRoad() throws {
        try withTask("track: beginner_loop\ndriver: keyboard", "complete-lap") { model, _ in
            // Full speed ahead leaves the road at the first bend: a real try that failed.
            drive(model, until: { failedTries(model) > 0 }, each: { $0.key(.up, pressed: true) })
            #expect(failedTries(model) == 1 && !model.isStepDone)
            #expect(model.notice?.hasPrefix("Not yet") == true)
            model.key(.up, pressed: false)
            model.key(.restart, pressed: true)
            drive(model, until: { model.isStepDone }, each: { pilot($0) })
            #expect(model.isStepDone)
            #expect(model.notice?.hasPrefix("Done") == true)
        }
    }

    @Test func cameraOnlyLapNeedsTheTopViewHiddenTheWholeLap() throws {
        try withTask("track: beginner_loop\ndriver: keyboard\nview: camera-only", "camera-only-lap") { model, _ in
            #expect(model.cameraOnly)
            // Peeking at the top view (V) during the lap: the lap does not count.
            model.key(.cameraView, pressed: true)
            drive(model, until: { failedTries(model) > 0 }, each: { pilot($0) })
            #expect(model.driving.endedEpisode == .lapComplete && !model.isStepDone)
            // Hidden again before the next start: the next lap counts.
            model.key(.cameraView, pressed: true)
            model.key(.restart, pressed: true)
            drive(model, until: { model.isStepDone }, each: { pilot($0) })
            #expect(model.isStepDone)
        }
    }

    @Test func reverseNeedsTheWrongWayRound() throws {
        try withTask("track: beginner_loop\ndriver: keyboard", "reverse") { model, _ in
            let startHeading = model.driving.simulation.car.heading
            // Over to the right-hand border, slow right down, a tight U-turn to the left, then
            // the track backwards: at a walking pace the car turns round within the road.
            let learner = ScriptedLearner(model: model)
            var phase = 0
            drive(model, until: { model.isStepDone || failedTries(model) > 0 }) { _ in
                learner.turnRound(phase: &phase, startHeading: startHeading)
            }
            #expect(model.isStepDone)
            #expect(failedTries(model) == 0, "no episode ended another way")
        }
    }

    @Test func crashAndPassBoxesWatchTheBoxes() throws {
        let scene = "track: beginner_loop\ndriver: keyboard\nrace-type: object-avoidance\nreward: object_avoidance.py"
        /// The signed offset from the centre line (left positive) of the next box ahead of the car.
        func nextBox(_ model: AppModel) -> (offset: Double, distance: Double)? {
            let track = model.driving.track
            let here = track.project(model.driving.simulation.car.referencePoint).distanceAlong
            return model.driving.simulation.objects.map { object -> (Double, Double) in
                let projection = track.project(object.position)
                let ahead = (projection.distanceAlong - here + track.length).truncatingRemainder(
                    dividingBy: track.length)
                return (
                    projection.isLeftOfCentre ? projection.distanceFromCentre : -projection.distanceFromCentre, ahead
                )
            }.min { $0.1 < $1.1 }
        }
        try withTask(scene, "crash") { model, _ in
            #expect(model.driving.simulation.objects.count == 3)
            drive(model, until: { model.isStepDone }) { model in
                pilot(model, speed: 0.8, offset: nextBox(model)?.offset ?? 0)
            }
            #expect(model.isStepDone)
            #expect(model.driving.endedEpisode == .crashed)
        }
        try withTask(scene, "pass-boxes 2") { model, _ in
            // Into the first box: one more failed try, no boxes passed.
            drive(model, until: { failedTries(model) > 0 }) { model in
                pilot(model, speed: 0.8, offset: nextBox(model)?.offset ?? 0)
            }
            #expect(!model.isStepDone && model.driving.endedEpisode == .crashed)
            model.key(.restart, pressed: true)
            // Round them, in the other lane each time.
            drive(model, until: { model.isStepDone }) { model in
                let offset = nextBox(model).map { $0.distance < 1.5 ? ($0.offset > 0 ? -0.25 : 0.25) : 0 } ?? 0
                pilot(model, speed: 0.8, offset: offset)
            }
            #expect(model.isStepDone)
        }
    }

    @Test func episodesCountsEveryEndAndNeverSaysNotYet() throws {
        try withTask("track: beginner_loop\ndriver: keyboard", "episodes 3") { model, _ in
            var counts: [Int] = []
            drive(model, seconds: 120, until: { model.isStepDone }) { model in
                model.key(.up, pressed: true)
                if let done = model.tracker?.count?.done, counts.last != done { counts.append(done) }
            }
            #expect(model.isStepDone)
            #expect(counts == [0, 1, 2], "the counter shows 1 of 3, then 2 of 3")
            #expect(model.notice?.hasPrefix("Not yet") != true)
        }
    }

    @Test func rewardAtLeastReadsTheStepsReward() throws {
        // The learner's own function pays the speed: only driving at 2 m/s or more earns 2.
        let fixture = try AppFixture(
            lessons: [Self.lesson("track: beginner_loop\ndriver: keyboard\nreward: mine", "reward-at-least 2")],
            ids: ["task"])
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: fixture.home, withIntermediateDirectories: true)
        try "def reward_function(params):\n    return float(params['speed'])\n".write(
            to: PaddockHome(url: fixture.home).rewardFile, atomically: true, encoding: .utf8)
        let model = try fixture.model()
        drive(model, seconds: 4, until: { model.isStepDone }) { pilot($0, speed: 1.2) }
        #expect(!model.isStepDone)
        #expect(abs((model.driving.lastReward ?? 0) - 1.2) < 0.2, "the readout shows the speed")
        drive(model, seconds: 4, until: { model.isStepDone }) { pilot($0, speed: 2.5) }
        #expect(model.isStepDone)
        #expect((model.driving.lastReward ?? 0) >= 2)
    }

    @Test func openRewardMapIsTheMapKey() throws {
        try withTask("track: beginner_loop\ndriver: centre-line", "open-reward-map") { model, _ in
            model.key(.waypoints, pressed: true)
            #expect(!model.isStepDone)
            model.key(.rewardMap, pressed: true)
            #expect(model.isStepDone)
            #expect(model.overlays.contains(.rewardMap))
        }
    }

    @Test func saveRewardNeedsAChangedFunctionThatLoads() throws {
        try withTask("track: beginner_loop\ndriver: keyboard\nreward: mine", "save-reward") { model, _ in
            model.openRewardEditor()
            model.key(.save, pressed: true)
            #expect(!model.isStepDone, "saving the file as it was teaches nothing")
            #expect(failedTries(model) == 0)
            model.key(.documentEnd, pressed: true)
            model.typeText("\nreturn (")
            model.key(.save, pressed: true)
            #expect(!model.isStepDone && failedTries(model) == 1, "a save that does not load is a failed try")
            model.key(.undo, pressed: true)
            model.key(.undo, pressed: true)
            model.key(.selectAll, pressed: true)
            model.clipboard.text = "def reward_function(params):\n    return 2.0\n"
            model.key(.paste, pressed: true)
            model.key(.save, pressed: true)
            #expect(model.isStepDone)
        }
    }

    @Test func steeringAtMostLooksAtEveryAction() throws {
        try withTask("track: beginner_loop\ndriver: keyboard\npanel: actions", "steering-at-most 15") { model, _ in
            func isSharp(_ action: Action) -> Bool { Swift.abs(action.steeringAngle) > 15 }
            // Removing a gentle action does not do it; removing every sharp one does.
            let gentle = try #require(model.actions.firstIndex { !isSharp($0) })
            model.removeAction(at: gentle)
            #expect(!model.isStepDone)
            let sharp = model.actions.filter(isSharp)
            #expect(sharp.count == 4)
            for action in sharp {
                #expect(!model.isStepDone)
                let index = try #require(model.actions.firstIndex(of: action))
                model.removeAction(at: index)
            }
            #expect(!model.actions.contains(where: isSharp))
            #expect(model.isStepDone)
        }
    }

    // MARK: The learner's model

    /// An untrained model of the default settings for `track`, saved as the app's current model.
    func makeModel(_ model: AppModel, track: String = "beginner_loop") throws {
        let settings = TrainingSettings()
        var random = NetworkRandom(seed: 7)
        let learner = Learner.make(settings: settings, random: &random)
        let folder = try ModelFolder(name: model.modelName, in: model.modelsDirectory)
        try folder.writeDescription(ModelDescription(track: track, settings: settings), rewardSource: "")
        try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
    }

    @Test func modelLapIsNotTheStandInsLap() throws {
        try withTask("track: beginner_loop\ndriver: model", "model-lap") { model, _ in
            // No model yet: the scripted stand-in laps, which is not the learner's model lapping.
            if case .centreLine = model.driving.driver {} else { Issue.record("no stand-in") }
            drive(model, until: { model.driving.endedEpisode != nil })
            #expect(model.driving.endedEpisode == .lapComplete)
            #expect(!model.isStepDone && failedTries(model) == 0)
            // The learner's (untrained) model drives: its crash is a failed try.
            try makeModel(model)
            model.useModel(model.modelName)
            if case .model = model.driving.driver {} else { Issue.record("the model does not drive") }
            drive(model, until: { failedTries(model) > 0 })
            #expect(failedTries(model) == 1 && !model.isStepDone)
        }
    }

    /// Runs the app until the background evaluation or export is over.
    func waitForJobs(_ model: AppModel, until done: () -> Bool) {
        let deadline = Date().addingTimeInterval(120)
        while !done() && Date() < deadline {
            model.tick(seconds: 1.0 / 60)
            Thread.sleep(forTimeInterval: 0.01)
        }
        // The app takes in what finished at its next frame.
        model.tick(seconds: 1.0 / 60)
    }

    @Test func evaluationTasksWatchTheEvaluationsTrials() throws {
        // Evaluations run on the model's own track: the 7 m practice straight keeps them short.
        // An untrained model finishes it too, put back on the road after each off-track (as
        // DeepRacer's evaluation does), so its laps are slow and full of penalties.
        let scene = "track: short_straight\ndriver: model"
        try withTask(scene, "evaluate-trials 3") { model, _ in
            try makeModel(model, track: "short_straight")
            model.evaluate()
            waitForJobs(model) { model.isStepDone }
            #expect(model.isStepDone, "three trials were run, whatever they scored")
            #expect(model.snapshot.trials.count == 3)
        }
        try withTask(scene, "evaluation-at-least 100") { model, _ in
            try makeModel(model, track: "short_straight")
            model.evaluate()
            waitForJobs(model) { !model.training.isBusy && model.snapshot.evaluationsFinished > 0 }
            let best = model.snapshot.trials.map(\.completion).max() ?? 0
            #expect(model.isStepDone == (best >= 100), "\(model.snapshot.trials)")
        }
        try withTask(scene, "beat-lap-time") { model, _ in
            try makeModel(model, track: "short_straight")
            // The first evaluation sets the time to beat (this step opened with none); the same
            // model, evaluated again the same way, does not beat its own time.
            model.evaluate()
            waitForJobs(model) { !model.training.isBusy && model.snapshot.evaluationsFinished > 0 }
            let laps = model.snapshot.trials.compactMap(\.lapTime)
            #expect(model.isStepDone == !laps.isEmpty, "\(model.snapshot.trials)")
        }
    }

    @Test func cloneAndExportTasksNeedAModelAndDoIt() throws {
        try withTask("track: beginner_loop\ndriver: model", "clone-model") { model, _ in
            model.cloneModel()
            #expect(!model.isStepDone && model.notice?.contains("Train a model") == true)
            try makeModel(model)
            let original = model.modelName
            model.cloneModel()
            #expect(model.isStepDone)
            #expect(model.modelName == original + "_2")
        }
        try withTask("track: beginner_loop\ndriver: model", "export-archive") { model, fixture in
            try makeModel(model)
            model.exportArchive()
            waitForJobs(model) { model.isStepDone }
            #expect(model.isStepDone, "\(model.notice ?? "")")
            let exports = try FileManager.default.contentsOfDirectory(
                at: model.exportsDirectory, includingPropertiesForKeys: nil)
            #expect(exports.map(\.lastPathComponent) == ["\(model.modelName).tar.gz"])
            _ = fixture
        }
    }

    @Test func speedAtLeastWantsAFasterAction() throws {
        try withTask("track: beginner_loop\ndriver: keyboard\npanel: actions", "speed-at-least 3.5") { model, _ in
            // The add row starts at 1 m/s straight ahead; add a slow one first, then a fast one.
            model.adjustNewAction(steering: 1, speed: 5)
            model.addAction()
            #expect(!model.isStepDone && model.actions.last?.speed == 1.5)
            model.adjustNewAction(speed: 20)
            model.addAction()
            #expect(model.actions.last?.speed == 3.5)
            #expect(model.isStepDone)
        }
    }

    @Test func theModelTasksWatchTheNewModelForm() throws {
        // Any new model made in the form.
        try withTask("track: beginner_loop\ndriver: centre-line", "create-model") { model, _ in
            model.cloneModel()
            #expect(!model.isStepDone)
            model.openNewModel()
            model.createModel()
            #expect(model.isStepDone)
            model.training.stop()
            while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
        }
        // A SAC model needs the algorithm switched to SAC in the form (its actions go continuous).
        try withTask("track: beginner_loop\ndriver: centre-line", "create-sac-model") { model, _ in
            model.openNewModel()
            model.createModel()
            while model.training.isBusy { model.training.stop(); Thread.sleep(forTimeInterval: 0.05) }
            #expect(!model.isStepDone && failedTries(model) == 1, "a PPO model is a try, not the task")
            model.openNewModel()
            model.stepForm(.algorithm, by: 1)
            #expect(model.form.value(.actionSpace) == "continuous")
            model.createModel()
            #expect(model.isStepDone)
            model.training.stop()
            while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
        }
        try withTask("track: beginner_loop\ndriver: centre-line", "create-race-model") { model, _ in
            model.openNewModel()
            model.stepForm(.raceType, by: 1)
            model.createModel()
            #expect(model.isStepDone)
            model.training.stop()
            while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
        }
        // One hyperparameter at a time: the form starts from the model in use, so changing one
        // field (and nothing else) is what passes.
        try withTask("track: beginner_loop\ndriver: centre-line", "change-one-hyperparameter") { model, _ in
            try makeModel(model)
            model.openNewModel()
            #expect(model.form.value(.learningRate) == "0.0003" && model.form.value(.actionSpace) == "Actions panel")
            model.stepForm(.learningRate, by: -1)
            model.stepForm(.entropy, by: 1)
            model.createModel()
            #expect(!model.isStepDone && failedTries(model) == 1, "two changes at once")
            model.training.stop()
            while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
            model.useModel("my_first_car")
            model.openNewModel()
            model.stepForm(.learningRate, by: -1)
            model.createModel()
            #expect(model.isStepDone)
            model.training.stop()
            while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
        }
    }

    @Test func compareModelsOpensAComparison() throws {
        try withTask("track: beginner_loop\ndriver: centre-line", "compare-models 2") { model, _ in
            try makeModel(model)
            model.cloneModel()
            model.openGarage()
            model.toggleCompare("my_first_car")
            model.openComparison()
            #expect(!model.isStepDone)
            model.toggleCompare("my_first_car_2")
            model.openComparison()
            #expect(model.isStepDone && model.sheet == .compare)
        }
    }

    @Test func aModelIsEvaluatedAndClonedOnTheTrackInView() throws {
        // Generalisation: a model trained on the bean, tried on the practice straight.
        try withTask("track: short_straight\ndriver: model", "evaluate-trials 3") { model, _ in
            try makeModel(model, track: "beginner_loop")
            model.evaluate()
            #expect(model.notice?.contains("on short_straight") == true)
            #expect(model.notice?.contains("trained on beginner_loop") == true)
            waitForJobs(model) { model.isStepDone }
            let folder = try #require(model.modelFolder)
            let evaluation = try #require(try folder.latestEvaluation())
            #expect(evaluation.drive.trackLength == model.driving.track.length)
            // A clone made here trains on this track, from the original's best checkpoint.
            model.cloneModel()
            let clone = try #require(model.modelFolder)
            #expect(clone.name == "my_first_car_2")
            #expect(try clone.readDescription().track == "short_straight")
            #expect(try folder.readDescription().track == "beginner_loop")
        }
    }

    @Test func episodeRewardAtLeastAddsUpTheEpisode() throws {
        // Lesson 17's loophole: paid for progress on every step, a slow lap earns more.
        let fixture = try AppFixture(
            lessons: [
                Self.lesson("track: beginner_loop\ndriver: keyboard\nreward: mine", "episode-reward-at-least 200")
            ],
            ids: ["task"])
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: fixture.home, withIntermediateDirectories: true)
        try "def reward_function(params):\n    return params['progress'] / 100\n".write(
            to: PaddockHome(url: fixture.home).rewardFile, atomically: true, encoding: .utf8)
        let model = try fixture.model()
        drive(model, until: { failedTries(model) > 0 }) { pilot($0, speed: 1.6) }
        #expect(model.driving.endedEpisode == .lapComplete, "\(String(describing: model.driving.endedEpisode))")
        #expect(!model.isStepDone && model.driving.episodeReward < 200, "a brisk lap earns too little")
        #expect(model.notice?.hasPrefix("Not yet") == true)
        model.key(.restart, pressed: true)
        drive(model, seconds: 120, until: { model.isStepDone }) { pilot($0, speed: 0.6) }
        #expect(model.isStepDone)
    }
}
