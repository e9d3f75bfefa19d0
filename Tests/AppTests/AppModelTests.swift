import Assets
import Foundation
import Imaging
import Lessons
import PaddockTestSupport
import Simulator
import Testing
import Workshop

@testable import App

/// A data folder with the repository's tracks and assets and two small lessons, and an empty
/// learner home.
struct AppFixture {
    let data: URL
    let home: URL

    static let lessonOne = """
        # Off the road

        ## Leave the road

        ```scene
        track: beginner_loop
        driver: keyboard
        ```

        Steer hard and leave the road.

        ```task
        check: go-off-track
        hint: Hold Up and Right.
        ```

        ## Why

        The episode ended.

        ```quiz
        question: What ended the episode?
        - A lap
        * Leaving the road
        explain: All four wheels left the road.
        ```
        """

    static let lessonTwo = """
        # Actions

        ## Fewer actions

        ```scene
        track: beginner_loop
        driver: centre-line
        panel: actions
        ```

        Remove actions.

        ```task
        check: actions-at-most 8
        hint: Click the × beside an action.
        ```

        ## Done

        That is all.
        """

    /// With `lessons` (Markdown) as the lesson files, in order; lessons one and two by default.
    init(lessons: [String] = [lessonOne, lessonTwo], ids: [String] = ["off", "actions"]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-app-\(UUID().uuidString)")
        data = base.appendingPathComponent("data")
        home = base.appendingPathComponent("home")
        let directory = data.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for folder in ["tracks", "assets"] {
            try FileManager.default.createSymbolicLink(
                at: data.appendingPathComponent(folder),
                withDestinationURL: RepositoryPaths.root.appendingPathComponent(folder))
        }
        var entries: [String] = []
        for (index, text) in lessons.enumerated() {
            let id = index < ids.count ? ids[index] : "lesson\(index + 1)"
            try text.write(to: directory.appendingPathComponent("\(id).md"), atomically: true, encoding: .utf8)
            entries.append(#"{"id": "\#(id)", "file": "\#(id).md"}"#)
        }
        let manifest = #"{"version": 1, "lessons": [\#(entries.joined(separator: ", "))]}"#
        try manifest.write(to: directory.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
    }

    @MainActor func model() throws -> AppModel {
        let catalog = try TrackCatalog(directory: data.appendingPathComponent("tracks"))
        let library = try LessonLibrary.load(
            from: data.appendingPathComponent("lessons"), tracks: Set(catalog.entries.map(\.id)))
        return try AppModel(
            library: library, home: PaddockHome(url: home), dataDirectory: DataDirectory(root: data), catalog: catalog)
    }

    func remove() {
        try? FileManager.default.removeItem(at: data.deletingLastPathComponent())
    }
}

@MainActor @Suite(.serialized) struct AppModelTests {
    @Test func aTaskGatesNextAndProgressIsSavedAndResumed() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        #expect(model.lesson.id == "off")
        #expect(model.stepIndex == 0)
        #expect(!model.isStepDone)
        model.next()
        #expect(model.stepIndex == 0, "Next waits for the task")
        #expect(model.notice?.contains("drive off the track") == true)

        // Drive: full speed straight on, until the road bends away and the car leaves it.
        model.key(.up, pressed: true)
        var seconds = 0.0
        while !model.isStepDone && seconds < 30 {
            model.tick(seconds: 1.0 / 60)
            seconds += 1.0 / 60
        }
        #expect(model.isStepDone)
        #expect(model.driving.endedEpisode == .offTrack)
        model.next()
        #expect(model.stepIndex == 1)

        // The quiz: a wrong answer keeps the step open, the right one finishes it.
        model.answer(0)
        #expect(!model.isStepDone)
        model.answer(1)
        #expect(model.isStepDone)

        // A new start resumes where the learner was, with the finished steps remembered.
        let again = try fixture.model()
        #expect(again.lesson.id == "off")
        #expect(again.stepIndex == 1)
        #expect(again.progress.isCompleted(lesson: "off", step: 0))
        #expect(again.progress.isCompleted(lesson: "off", step: 1))
    }

    @Test func removingActionsPassesTheActionsTaskAndHoldsTheKeyboardToThem() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        model.go(lesson: 1, step: 0)
        #expect(model.actions.count == 10)
        model.removeAction(at: 0)
        #expect(!model.isStepDone)
        model.removeAction(at: 0)
        #expect(model.actions.count == 8)
        #expect(model.isStepDone)
        // DeepRacer needs two actions at least.
        for _ in 0..<10 { model.removeAction(at: 0) }
        #expect(model.actions.count == 2)
        // The "Add" row makes custom lists, within DeepRacer's limits and without repeats.
        model.adjustNewAction(steering: 1, speed: 5)
        #expect(model.newAction == .init(steeringAngle: 5, speed: 1.5))
        model.addAction()
        model.addAction()
        #expect(model.actions.count == 3)
        model.adjustNewAction(steering: -99, speed: 99)
        #expect(model.newAction == .init(steeringAngle: -30, speed: 4))
        model.resetActions()
        #expect(model.actions.count == 10)
    }

    /// The reward map runs the learner's Python over the whole road: thousands of calls, on a
    /// thread of its own, never inside a frame.
    @Test func theRewardMapIsComputedOffTheFrame() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        _ = try #require(model.driving.reward, "\(String(describing: model.driving.rewardError))")
        model.key(.rewardMap, pressed: true)
        let start = ContinuousClock.now
        model.tick(seconds: 1.0 / 60)
        #expect(ContinuousClock.now - start < .milliseconds(200), "the frame waited for the map")
        #expect(model.rewardMap == nil)
        var waited = 0
        while model.rewardMap == nil && waited < 400 {
            Thread.sleep(forTimeInterval: 0.05)
            model.tick(seconds: 1.0 / 60)
            waited += 1
        }
        let (key, map) = try #require(model.rewardMap)
        #expect(key == model.rewardMapKey)
        #expect(map.values.contains { $0 != nil })
    }

    @Test func aDamagedProgressFileIsKeptAsideNotLost() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let home = PaddockHome(url: fixture.home)
        try FileManager.default.createDirectory(at: fixture.home, withIntermediateDirectories: true)
        try "{ not json".write(to: home.progressFile, atomically: true, encoding: .utf8)
        let progress = home.loadProgress()
        #expect(progress == LessonProgress())
        #expect(FileManager.default.fileExists(atPath: home.progressFile.path + ".damaged"))
    }

    @Test func screenshotsShowTheLessonTheTrackAndTheCamera() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        model.savesProgress = false
        model.go(lesson: 1, step: 0)
        for _ in 0..<120 { model.tick(seconds: 1.0 / 60) }
        let canvas = try AppWindow.render(model: model, width: 1280, height: 800)
        #expect(canvas.width == 1280 && canvas.height == 800)
        // The lesson panel's paper, the grass around the track, and text drawn on the paper.
        let paper = canvas[200, 700]
        #expect(paper.red > 240 && paper.green > 240)
        let grass = canvas[520, 700]
        #expect(grass.green > grass.red && grass.green > grass.blue)
        var inked = 0
        for y in 60..<400 {
            for x in 20..<380 where canvas[x, y].red < 120 { inked += 1 }
        }
        #expect(inked > 2000, "lesson text is drawn")
        // The same model renders the same pixels again.
        #expect(try AppWindow.render(model: model, width: 1280, height: 800) == canvas)
    }

    @Test func theRepositoryLessonsAreComplete() throws {
        let catalog = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
        let library = try LessonLibrary.load(
            from: RepositoryPaths.root.appendingPathComponent("lessons"), tracks: Set(catalog.entries.map(\.id)))
        #expect(library.lessons.count >= 18)
        for lesson in library.lessons {
            #expect(lesson.steps.contains { $0.task != nil }, "\(lesson.id) has a task")
            #expect(lesson.steps.first?.scene != nil, "\(lesson.id) sets its scene")
        }
    }
}

@MainActor @Suite(.serialized) struct AppSheetTests {
    @Test func theRewardEditorSavesAtomicallyAndPointsAtTheErrorLine() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        model.openRewardEditor()
        #expect(model.sheet == .rewardEditor)
        #expect(model.isTyping)
        #expect(model.editor.text.contains("def reward_function"))
        // Replace the text with a function whose third line is broken.
        for _ in 0..<model.editor.lines.count { model.key(.down, pressed: true) }
        model.key(.end, pressed: true)
        while model.editor.text.count > 0 { model.key(.backspace, pressed: true) }
        model.typeText("def reward_function(params):\n")
        model.typeText("x = 1\n")
        model.typeText("return (x +")
        model.key(.save, pressed: true)
        let saved = try String(contentsOf: PaddockHome(url: fixture.home).rewardFile, encoding: .utf8)
        #expect(saved.hasPrefix("def reward_function(params):\n    x = 1\n    return (x +"))
        #expect(model.editorError?.line != nil)
        #expect(model.notice?.contains("error") == true)

        // The cursor went to the error's line. Fix the end of the function; the save loads and
        // the error goes.
        #expect(model.editor.line == (model.editorError?.line ?? 0) - 1)
        for _ in 0..<3 { model.key(.down, pressed: true) }
        model.key(.end, pressed: true)
        model.typeText(" 1)")
        model.key(.save, pressed: true)
        #expect(model.editorError == nil, "\(String(describing: model.editorError))")
        #expect(!model.editor.isModified)
        model.key(.escape, pressed: true)
        #expect(model.sheet == nil)
    }

    @Test func theRewardEditorCopiesCutsAndPastesThroughTheClipboard() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        let clipboard = MemoryClipboard()
        model.clipboard = clipboard
        model.openRewardEditor()
        let original = model.editor.text
        // Select all, copy, then paste at the end: the function twice.
        model.key(.selectAll, pressed: true)
        model.key(.copy, pressed: true)
        #expect(clipboard.text == original)
        model.key(.documentEnd, pressed: true)
        model.key(.paste, pressed: true)
        #expect(model.editor.text == original + original)
        model.key(.undo, pressed: true)
        #expect(model.editor.text == original && !model.editor.isModified)
        // Cut the first line: it leaves the text and lands on the clipboard.
        model.key(.documentStart, pressed: true)
        model.key(.extendSelection(.down), pressed: true)
        let firstLine = model.editor.lines[0] + "\n"
        model.key(.cut, pressed: true)
        #expect(clipboard.text == firstLine)
        #expect(model.editor.text == String(original.dropFirst(firstLine.count)))
        model.key(.redo, pressed: true)
        model.key(.undo, pressed: true)
        #expect(model.editor.text == original)
        // A lesson's code, clicked, is pasted over the selection.
        model.copyToClipboard("def reward_function(params):\n    return 1.0\n")
        #expect(model.notice?.contains("Ctrl+V") == true)
        model.key(.selectAll, pressed: true)
        model.key(.paste, pressed: true)
        model.key(.save, pressed: true)
        #expect(model.editorError == nil)
        let saved = try String(contentsOf: PaddockHome(url: fixture.home).rewardFile, encoding: .utf8)
        #expect(saved == "def reward_function(params):\n    return 1.0\n")
    }

    @Test func theFormMakesAModelThatTrainsAndTheGarageListsIt() throws {
        let fixture = try AppFixture(
            lessons: [TaskKindTests.lesson("track: beginner_loop\ndriver: centre-line", "train-iterations 1")],
            ids: ["train"])
        defer { fixture.remove() }
        let model = try fixture.model()
        // The scene has a scripted driver: while training, the learning policy takes over.
        model.openNewModel()
        #expect(model.sheet == .newModel)
        while !model.form.name.isEmpty { model.key(.backspace, pressed: true) }
        model.typeText("fast car!")
        #expect(model.form.name == "fastcar", "only letters, digits, - and _")
        model.stepForm(.episodes, by: -2)
        #expect(model.form.value(.episodes) == "5")
        model.createModel()
        #expect(model.sheet == nil)
        #expect(model.modelName == "fastcar")
        #expect(model.snapshot.isTraining)
        var waited = 0.0
        while model.snapshot.iterationsFinished < 1 && waited < 120 {
            Thread.sleep(forTimeInterval: 0.2)
            waited += 0.2
        }
        // The simulator panel now shows the policy of the latest finished iteration driving.
        model.tick(seconds: 1.0 / 60)
        #expect(model.isStepDone, "the step's train-iterations 1 task")
        #expect(model.liveIteration != nil && model.liveIteration == model.snapshot.points.last?.iteration)
        if case .model = model.driving.driver {} else { Issue.record("the learning policy does not drive") }
        // Stop (T) says so at once, and keeps the finished iterations.
        model.key(.train, pressed: true)
        #expect(model.notice?.hasPrefix("Stopping") == true)
        #expect(model.snapshot.isStopping || !model.snapshot.isTraining)
        while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!model.snapshot.isStopping)
        #expect(model.snapshot.iterationsFinished >= 1, "\(String(describing: model.snapshot.error))")
        model.openGarage()
        let entry = try #require(model.garage.first { $0.name == "fastcar" })
        #expect(entry.iterations >= 1)
        #expect(entry.actions == "10 actions")
        // Choosing a model shows its own past training in the graph: none for an untrained one,
        // every finished iteration (read back from its metrics) for this one.
        model.useModel("my_first_car")
        #expect(model.snapshot.points.isEmpty)
        model.useModel("fastcar")
        #expect(model.sheet == nil)
        #expect(model.snapshot.points.map(\.iteration) == Array(1...entry.iterations))
        #expect(model.snapshot.bestIteration >= 1)
        #expect(model.snapshot.error == nil)
        // Evaluate writes DeepRacer's evaluation files into the model folder, as paddock evaluate does.
        model.evaluate()
        for _ in 0..<1200 where model.snapshot.evaluationsFinished < 1 {
            model.tick(seconds: 0.05)
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(model.snapshot.trials.count == 3, "\(String(describing: model.snapshot.error))")
        model.tick(seconds: 0.05)
        let written = try #require(model.snapshot.evaluationFolder)
        let csv = try String(
            contentsOf: written.appendingPathComponent("evaluation-simtrace/0-iteration.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count > 3)
        let metricsFolder = written.deletingLastPathComponent().appendingPathComponent("metrics")
        let names = try FileManager.default.contentsOfDirectory(atPath: metricsFolder.path)
        #expect(names.contains { $0.hasPrefix("EvaluationMetrics-") })
        #expect(model.notice?.contains("fastcar/\(written.lastPathComponent)") == true)
        // Export from the app: the car archive lands in $PADDOCK_HOME/exports.
        model.exportArchive()
        #expect(model.notice?.hasPrefix("Exporting") == true)
        // It compresses on a thread of its own; the frames go on meanwhile.
        for _ in 0..<200 where model.notice?.hasPrefix("Exporting") == true {
            model.tick(seconds: 0.05)
            Thread.sleep(forTimeInterval: 0.05)
        }
        let archive = fixture.home.appendingPathComponent("exports/fastcar.tar.gz")
        #expect(FileManager.default.fileExists(atPath: archive.path), "\(String(describing: model.notice))")
        #expect(model.notice?.contains(archive.path) == true)
    }
}

/// No dead ends: reading steps count on Next, any task can wait, any lesson can be opened,
/// except that a workshop's instructor sets the pace.
@MainActor @Suite(.serialized) struct LessonNavigationTests {
    @Test func aTaskCanBeSkippedAndTheMenuShowsIt() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        #expect(!model.isStepDone)
        model.skipStep()
        #expect(model.stepIndex == 1, "skipping moves on")
        #expect(model.progress.isSkipped(lesson: "off", step: 0))
        #expect(!model.progress.isCompleted(lesson: "off", step: 0))

        // Lesson two's last step is reading only: Next counts it as done.
        model.openLessons()
        #expect(model.sheet == .lessons)
        model.openLesson(1)
        #expect(model.sheet == nil)
        #expect(model.lesson.id == "actions" && model.stepIndex == 0)
        model.goToStep(1)
        #expect(model.stepIndex == 1)
        model.next()
        #expect(model.progress.isCompleted(lesson: "actions", step: 1))
        #expect(model.progress.tally(model.lesson) == (done: 1, skipped: 0))

        // Back to lesson one from the menu: it opens at the first step not done, the skipped one.
        model.openLesson(0)
        #expect(model.lesson.id == "off" && model.stepIndex == 0)
        #expect(model.progress.tally(model.lesson) == (done: 0, skipped: 1))

        // The skip survives a restart of the app.
        let again = try fixture.model()
        #expect(again.progress.isSkipped(lesson: "off", step: 0))
    }

    @Test func theInstructorsPacingWins() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let model = try fixture.model()
        // Joined (the client is never called here) and following the instructor.
        model.workshop.client = WorkshopClient(address: "127.0.0.1:9")
        model.workshop.pacing = .init(lesson: 1, step: 1, selfPaced: false)
        #expect(model.isPaced)
        model.skipStep()
        model.openLessons()
        model.openLesson(1)
        model.goToStep(1)
        #expect(model.lessonIndex == 0 && model.stepIndex == 0)
        #expect(model.sheet == nil)
        #expect(model.notice?.contains("instructor sets the pace") == true)
        #expect(!model.progress.isSkipped(lesson: "off", step: 0))

        model.workshop.pacing = .init(lesson: 1, step: 1, selfPaced: true)
        #expect(!model.isPaced)
        model.openLesson(1)
        #expect(model.lesson.id == "actions")
    }
}
