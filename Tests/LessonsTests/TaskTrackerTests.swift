import Foundation
import Testing

@testable import Lessons

/// What counts as a try at a task, how counting tasks count, and how skipped steps are kept
/// (TaskTrackerTests, beside the parser's tests, checks what passes each check).
@Suite struct TaskTriesTests {
    static func episode(_ end: LessonEvent.EpisodeEnd) -> LessonEvent {
        .episodeEnded(end, byKeyboard: true, cameraOnly: false, boxesPassed: 0)
    }

    /// Lesson 1 asks for three episodes: the first two are progress, not "not yet".
    @Test func countingTasksCountAndNeverFail() {
        var tracker = TaskTracker(check: .episodes(3))
        #expect(tracker.count?.done == 0 && tracker.count?.of == 3)
        tracker.record(Self.episode(.offTrack))
        tracker.record(Self.episode(.lapComplete))
        #expect(!tracker.isDone && tracker.count?.done == 2)
        #expect(tracker.failedTries == 0)
        let passed = tracker.record(Self.episode(.crashed))
        #expect(passed)
        #expect(tracker.isDone && tracker.count?.done == 3)

        var training = TaskTracker(check: .trainIterations(3))
        training.record(Self.episode(.offTrack))
        training.record(.trainingIterationFinished)
        #expect(training.count?.done == 1 && training.failedTries == 0)
        #expect(TaskTracker(check: .completeLap).count == nil)
    }

    /// Only a real try at the task's own kind fails it: the scene's car leaving the road while
    /// the learner reads a training step is not the learner failing to train.
    @Test func onlyRealTriesFail() {
        var lap = TaskTracker(check: .completeLap)
        lap.record(Self.episode(.stopped))
        lap.record(.trainingIterationFinished)
        #expect(lap.failedTries == 0, "restarting (R) is no try")
        lap.record(Self.episode(.offTrack))
        #expect(lap.failedTries == 1)

        var evaluation = TaskTracker(check: .evaluateTrials(3))
        evaluation.record(Self.episode(.offTrack))
        #expect(evaluation.failedTries == 0)
        evaluation.record(.evaluationFinished(trials: 1))
        #expect(evaluation.failedTries == 1)
        let evaluated = evaluation.record(.evaluationFinished(trials: 3))
        #expect(evaluated)

        var reward = TaskTracker(check: .saveReward)
        reward.record(Self.episode(.offTrack))
        #expect(reward.failedTries == 0)
        reward.record(.rewardSaved(loads: false))
        #expect(reward.failedTries == 1)
        let saved = reward.record(.rewardSaved(loads: true))
        #expect(saved)
    }

    @Test func skippedStepsAreKeptUntilDone() throws {
        var progress = LessonProgress()
        progress.skip(lesson: "agent", step: 1)
        #expect(progress.isSkipped(lesson: "agent", step: 1))
        #expect(!progress.isCompleted(lesson: "agent", step: 1))
        progress.complete(lesson: "agent", step: 1)
        #expect(!progress.isSkipped(lesson: "agent", step: 1))
        #expect(progress.isCompleted(lesson: "agent", step: 1))
        progress.skip(lesson: "agent", step: 1)
        #expect(!progress.isSkipped(lesson: "agent", step: 1), "a step done stays done")

        progress.skip(lesson: "agent", step: 2)
        let data = try JSONEncoder().encode(progress)
        #expect(try JSONDecoder().decode(LessonProgress.self, from: data) == progress)
    }

    /// A progress file written before skipping existed still loads.
    @Test func progressFromBeforeSkippingLoads() throws {
        let old = #"{"version": 1, "currentLesson": "agent", "currentStep": 2, "completedSteps": {"agent": [0, 1]}}"#
        let progress = try JSONDecoder().decode(LessonProgress.self, from: Data(old.utf8))
        #expect(progress.currentLesson == "agent" && progress.currentStep == 2)
        #expect(progress.isCompleted(lesson: "agent", step: 1))
        #expect(progress.skippedSteps.isEmpty)
    }
}
