import App
import ArgumentParser
import Assets
import Foundation
import Imaging
import Lessons

/// `paddock app`: the desktop app; with `--screenshot`, one frame to a PNG without a display.
struct AppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "Open the app: guided lessons beside the live simulator and trainer.",
        discussion: """
            --lesson N [--step M] opens the app there (otherwise it opens where you left off). With no \
            display (no DISPLAY or WAYLAND_DISPLAY), it says so and lists the commands that work without \
            one. --screenshot renders one frame with SDL's software renderer and exits, with or without a \
            display; it does not change your lesson progress.
            """
    )

    @Option(help: "Render one frame to this PNG file and exit.") var screenshot: String?
    @Option(parsing: .unconditional, help: "Open this lesson (1 is the first).") var lesson: Int?
    @Option(parsing: .unconditional, help: "Open this step of that lesson (1 is the first).") var step: Int?
    @Option(help: "Window or screenshot size, WIDTHxHEIGHT.") var size = "1280x800"
    @Option(
        help:
            "For the screenshot: open a panel over the simulator: lessons, models, new-model, reward, workshop, analysis or looks-at."
    )
    var panel: String?
    @Option(
        parsing: .unconditional,
        help: "For the screenshot: seconds of simulation to run first, so the car is under way.")
    var seconds = 3.0

    func run() throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (640...7680).contains(parts[0]), (480...4320).contains(parts[1]) else {
            throw ValidationError("--size \(size): give WIDTHxHEIGHT, such as 1280x800 (at least 640x480).")
        }
        try MainActor.assumeIsolated {
            if let screenshot {
                let model = try AppWindow.makeModel(savesProgress: false)
                let (lessonIndex, stepIndex) = try place(in: model.library)
                model.go(lesson: lessonIndex, step: stepIndex)
                let ticks = Int(seconds * 60)
                for _ in 0..<ticks { model.tick(seconds: 1.0 / 60) }
                switch panel {
                case nil: break
                case "lessons": model.openLessons()
                case "models": model.openGarage()
                case "new-model": model.openNewModel()
                case "reward": model.openRewardEditor()
                case "workshop": model.openWorkshop()
                case "analysis":
                    model.openAnalysis()
                    model.waitForJobs { $0.analysis?.isReading == false }
                case "looks-at":
                    model.toggleSaliency()
                    model.waitForJobs { $0.saliency != nil || !$0.showsSaliency }
                case let other?:
                    throw ValidationError(
                        "--panel \(other): choose lessons, models, new-model, reward, workshop, analysis or looks-at "
                            + "(what the model looks at, over the camera).")
                }
                model.waitForRewardMap()
                let canvas = try AppWindow.render(model: model, width: parts[0], height: parts[1])
                try AtomicFile.write(PNG.encode(canvas), to: URL(fileURLWithPath: screenshot))
                print(
                    "Wrote \(screenshot) (\(parts[0])x\(parts[1]), lesson \(lessonIndex + 1), step \(stepIndex + 1)).")
                return
            }
            guard AppWindow.hasDisplay else {
                print(Self.noDisplayMessage)
                return
            }
            let model = try AppWindow.makeModel()
            if lesson != nil || step != nil {
                let (lessonIndex, stepIndex) = try place(in: model.library)
                model.go(lesson: lessonIndex, step: stepIndex)
            }
            _ = try AppWindow.run(model: model, width: parts[0], height: parts[1])
        }
    }

    /// The lesson and step indexes `--lesson` and `--step` name (lesson 1, step 1 when not given),
    /// or an error that says which exist.
    func place(in library: LessonLibrary) throws -> (lesson: Int, step: Int) {
        let lessonIndex = (lesson ?? 1) - 1
        guard library.lessons.indices.contains(lessonIndex) else {
            throw ValidationError("--lesson \(lesson ?? 1): there are lessons 1 to \(library.lessons.count).")
        }
        let steps = library.lessons[lessonIndex].steps.count
        guard (1...steps).contains(step ?? 1) else {
            throw ValidationError("--step \(step ?? 1): lesson \(lessonIndex + 1) has steps 1 to \(steps).")
        }
        return (lessonIndex, (step ?? 1) - 1)
    }

    static let noDisplayMessage = """
        Paddock's app needs a display, and this session has none (DISPLAY and WAYLAND_DISPLAY are unset).
        Run it on a desktop, or under Xvfb: xvfb-run paddock

        Everything else works without one:
          paddock demo                      watch a scripted lap in the terminal
          paddock lessons list              the lessons, in order
          paddock app --screenshot FILE.png --lesson N --step M
                                            a picture of a lesson step in the app
          paddock tracks list               the tracks
          paddock train --model NAME        teach a model to drive (paddock train --help)
          paddock evaluate --model NAME     time its laps
          paddock models list               your models
          paddock --help                    every command
        """
}
