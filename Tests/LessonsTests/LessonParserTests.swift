import Foundation
import Testing

@testable import Lessons

@Suite struct LessonParserTests {
    static let good = """
        # The agent is the car

        ## Take the wheel

        ```scene
        track: s_bend_loop
        driver: keyboard
        overlays: trail waypoints
        ```

        You are the **agent** now. Press `R` to *restart*.

        - Up goes faster
        - Left steers left

        ```task
        check: complete-lap
        hint: Slow down before the bends.
        ```

        ## What you did

        The car followed your **policy**.

        ```quiz
        question: Who chose the actions?
        - The track
        * You, the agent
        explain: The agent chooses; the environment answers.
        ```
        """

    @Test func readsStepsScenesTasksAndQuizzes() throws {
        let lesson = try LessonParser.parse(Self.good, id: "agent", file: "02.md", tracks: ["s_bend_loop"])
        #expect(lesson.title == "The agent is the car")
        #expect(lesson.steps.map(\.title) == ["Take the wheel", "What you did"])
        let first = lesson.steps[0]
        #expect(first.scene?.track == "s_bend_loop")
        #expect(first.scene?.overlays == [.trail, .waypoints])
        #expect(first.task == LessonTask(check: .completeLap, hint: "Slow down before the bends."))
        #expect(first.line == 3)
        #expect(
            first.blocks[0]
                == .paragraph([
                    TextRun("You are the "), TextRun("agent", .strong), TextRun(" now. Press "), TextRun("R", .code),
                    TextRun(" to "), TextRun("restart", .emphasis), TextRun("."),
                ]))
        #expect(first.blocks[1] == .bulletList([[TextRun("Up goes faster")], [TextRun("Left steers left")]]))
        let quiz = try #require(lesson.steps[1].quiz)
        #expect(quiz.choices == ["The track", "You, the agent"])
        #expect(quiz.correctIndex == 1)
        // The second step has no scene of its own: it keeps the first step's.
        #expect(lesson.steps[1].scene == nil)
        #expect(lesson.scene(at: 1).track == "s_bend_loop")
    }

    /// Each mistake is reported with its line and what to do.
    @Test(arguments: [
        ("```scene\ntrack: moon_base\n```", 5, "no track called 'moon_base'"),
        ("```scene\ncolour: red\n```", 5, "unknown scene key 'colour'"),
        ("```scene\ndriver: robot\n```", 5, "'robot' is not a driver"),
        ("```task\ncheck: fly\nhint: h\n```", 5, "unknown check 'fly'"),
        ("```task\ncheck: episodes\nhint: h\n```", 5, "needs a number"),
        ("```task\ncheck: complete-lap\n```", 4, "needs a 'hint:'"),
        ("```quiz\nquestion: q\n* a\n* b\nexplain: e\n```", 4, "exactly one choice right"),
        ("> a quote", 4, "not shown in lessons"),
    ])
    func reportsMistakesWithTheirLine(block: String, line: Int, message: String) throws {
        let text =
            "# Title\n\n## Step one\n" + block
            + "\n\nSome text.\n\n## Step two\n\nMore.\n\n```task\ncheck: complete-lap\nhint: h\n```\n"
        let source = text.replacingOccurrences(
            of: "## Step one\n", with: "## Step one\n```scene\ntrack: beginner_loop\n```\n")
        // The scene block above the mistake shifts it by three lines.
        do {
            _ = try LessonParser.parse(source, id: "x", file: "x.md", tracks: ["beginner_loop"])
            Issue.record("expected an error")
        } catch let error as LessonsError {
            let issue = try #require(error.issues.first { $0.message.contains(message) }, "\(error.issues)")
            #expect(issue.line == line + 3)
            #expect(issue.file == "x.md")
        }
    }

    @Test func aLessonNeedsATitleAFirstSceneAndATask() {
        do {
            _ = try LessonParser.parse("## Only\n\nText.\n\n## Two\n\nMore.\n", id: "x", file: "x.md")
            Issue.record("expected an error")
        } catch let error as LessonsError {
            let messages = error.issues.map(\.message).joined(separator: "\n")
            #expect(messages.contains("'# title'"))
            #expect(messages.contains("first step needs a ```scene"))
            #expect(messages.contains("at least one ```task"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func manifestRejectsUnknownVersionsAndDuplicateIds() {
        let bad = #"{"version": 2, "lessons": [{"id": "a", "file": "a.md"}, {"id": "a", "file": "b.md"}]}"#
        do {
            _ = try LessonManifest.decode(Data(bad.utf8))
            Issue.record("expected an error")
        } catch let error as LessonsError {
            let messages = error.issues.map(\.message).joined(separator: "\n")
            #expect(messages.contains("version 2"))
            #expect(messages.contains("appears twice"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func progressRoundTripsThroughJSON() throws {
        var progress = LessonProgress()
        progress.currentLesson = "agent"
        progress.currentStep = 2
        progress.complete(lesson: "agent", step: 0)
        progress.complete(lesson: "agent", step: 1)
        progress.recordLap(12.5, on: "beginner_loop")
        progress.recordLap(13, on: "beginner_loop")
        progress.recordLap(20, on: "s_bend_loop")
        let decoded = try JSONDecoder().decode(LessonProgress.self, from: JSONEncoder().encode(progress))
        #expect(decoded == progress)
        #expect(decoded.isCompleted(lesson: "agent", step: 1))
        #expect(!decoded.isCompleted(lesson: "agent", step: 2))
        #expect(decoded.bestLap(on: "beginner_loop") == 12.5 && decoded.bestLap(on: "s_bend_loop") == 20)
        #expect(decoded.bestLap(on: "wide_loop") == nil, "a lap of one track is no record for another")
    }

    @Test func anOlderFilesSingleBestLapStandsInUntilLapsAreKeptByTrack() throws {
        let old = #"{"version": 1, "completedSteps": {}, "bestLapSeconds": 11.0}"#
        var progress = try JSONDecoder().decode(LessonProgress.self, from: Data(old.utf8))
        #expect(progress.bestLap(on: "beginner_loop") == 11)
        progress.recordLap(12, on: "beginner_loop")
        #expect(progress.bestLap(on: "beginner_loop") == 11, "slower than the best it had")
        progress.recordLap(10, on: "beginner_loop")
        #expect(progress.bestLap(on: "beginner_loop") == 10 && progress.bestLap(on: "s_bend_loop") == nil)
    }
}

@Suite struct TaskTrackerTests {
    static func ended(
        _ end: LessonEvent.EpisodeEnd, keyboard: Bool = true, cameraOnly: Bool = false, boxes: Int = 0,
        model: Bool = false
    ) -> LessonEvent {
        .episodeEnded(end, byKeyboard: keyboard, cameraOnly: cameraOnly, boxesPassed: boxes, byModel: model)
    }

    @Test(arguments: [
        (LessonCheck.completeLap, [ended(.offTrack)], ended(.lapComplete)),
        (.goOffTrack, [ended(.lapComplete)], ended(.offTrack)),
        (.reverse, [ended(.offTrack)], ended(.reversed)),
        (
            .cameraOnlyLap,
            [ended(.lapComplete, cameraOnly: false), ended(.lapComplete, keyboard: false, cameraOnly: true)],
            ended(.lapComplete, cameraOnly: true)
        ),
        (.rewardAtLeast(0.5), [LessonEvent.stepReward(0.4)], .stepReward(0.5)),
        (
            .saveReward, [.rewardSaved(loads: false), .rewardSaved(loads: true, changed: false)],
            .rewardSaved(loads: true)
        ),
        (.actionsAtMost(5), [.actionSpaceChanged(count: 6)], .actionSpaceChanged(count: 5)),
        (
            .steeringAtMost(15), [.actionSpaceChanged(count: 6, maximumSteering: 30)],
            .actionSpaceChanged(count: 8, maximumSteering: 15)
        ),
        // A stand-in driver's lap is not the learner's model's lap.
        (
            .modelLap, [ended(.lapComplete, keyboard: false), ended(.offTrack, model: true)],
            ended(.lapComplete, model: true)
        ),
        (.crash, [ended(.offTrack), ended(.stopped)], ended(.crashed)),
        (
            .evaluationAtLeast(100), [.evaluationTrial(completion: 99, lapSeconds: nil)],
            .evaluationTrial(completion: 100, lapSeconds: 14)
        ),
        (.evaluateTrials(3), [.evaluationFinished(trials: 1)], .evaluationFinished(trials: 3)),
        (.passBoxes(2), [ended(.crashed, boxes: 1)], ended(.offTrack, boxes: 2)),
        (
            .speedAtLeast(3.5), [.actionSpaceChanged(count: 11, maximumSpeed: 3)],
            .actionSpaceChanged(count: 11, maximumSpeed: 4)
        ),
        (.createModel, [.modelCloned], .modelCreated(ModelCreation())),
        (
            .createSACModel, [.modelCreated(ModelCreation(isSAC: false, isContinuous: true))],
            .modelCreated(ModelCreation(isSAC: true, isContinuous: true))
        ),
        (.createRaceModel, [.modelCreated(ModelCreation())], .modelCreated(ModelCreation(isRaceType: true))),
        (
            .changeOneHyperparameter,
            [
                .modelCreated(ModelCreation(changedHyperparameters: 2)),
                .modelCreated(ModelCreation(changedHyperparameters: 1, otherSettingsChanged: true)),
                .modelCreated(ModelCreation(changedHyperparameters: nil)),
            ],
            .modelCreated(ModelCreation(changedHyperparameters: 1))
        ),
        (.compareModels(3), [.modelsCompared(2)], .modelsCompared(4)),
        (.episodeRewardAtLeast(200), [.episodeReward(199.9), .stepReward(500)], .episodeReward(200)),
    ])
    func passesOnTheRightEventOnly(check: LessonCheck, before: [LessonEvent], passing: LessonEvent) {
        var tracker = TaskTracker(check: check)
        for event in before {
            let passed = tracker.record(event)
            #expect(!passed, "\(event)")
        }
        #expect(!tracker.isDone)
        let passed = tracker.record(passing)
        #expect(passed)
        #expect(tracker.isDone)
        // Once done it stays done and reports no second pass.
        let again = tracker.record(passing)
        #expect(!again)
    }

    @Test func countsEpisodesIterationsAndFailedTries() {
        var episodes = TaskTracker(check: .episodes(3))
        episodes.record(Self.ended(.offTrack))
        episodes.record(Self.ended(.reversed))
        #expect(!episodes.isDone)
        episodes.record(Self.ended(.lapComplete))
        #expect(episodes.isDone)

        var training = TaskTracker(check: .trainIterations(2))
        training.record(.trainingIterationFinished)
        #expect(!training.isDone)
        training.record(.trainingIterationFinished)
        #expect(training.isDone)

        var lap = TaskTracker(check: .completeLap)
        lap.record(Self.ended(.offTrack))
        lap.record(.stepReward(1))
        #expect(lap.failedTries == 1)
    }

    @Test func beatLapTimeComparesWithTheBestBefore() {
        var tracker = TaskTracker(check: .beatLapTime, bestLapSeconds: 15)
        tracker.record(.evaluationTrial(completion: 100, lapSeconds: 15.2))
        tracker.record(.evaluationTrial(completion: 40, lapSeconds: nil))
        #expect(!tracker.isDone)
        tracker.record(.evaluationTrial(completion: 100, lapSeconds: 14.8))
        #expect(tracker.isDone)
        var first = TaskTracker(check: .beatLapTime)
        first.record(.evaluationTrial(completion: 100, lapSeconds: 20))
        #expect(first.isDone)
    }
}
