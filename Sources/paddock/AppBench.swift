import App
import ArgumentParser
import Assets
import Foundation
import Imaging
import Simulator

/// `paddock bench app`: start-up to first frame, and frame times while training runs.
struct AppBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "The app's start-up time and frame times (p50, p99) while a model trains.",
        discussion: """
            Opens the app on lesson 8 (training) with a temporary PADDOCK_HOME, presses Train, and \
            draws frames for --seconds while the trainer runs on another thread. With a display it \
            uses a real window (vsync holds it near 60 frames per second); without one it draws with \
            SDL's software renderer into memory, as fast as it can, and reports the drawing time of \
            each frame.
            """
    )

    @Option(parsing: .unconditional, help: "Seconds to draw frames.") var seconds = 20.0
    @Option(parsing: .unconditional, help: "Lesson to open (8 is training).") var lesson = 8
    @Option(help: "Without a display: save the last frame to this PNG (the graph after training).")
    var screenshot: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let start = ContinuousClock.now
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-bench-app-\(getpid())")
        setenv("PADDOCK_HOME", home.path, 1)
        defer { try? FileManager.default.removeItem(at: home) }
        try MainActor.assumeIsolated {
            let model = try AppWindow.makeModel()
            model.go(lesson: lesson - 1, step: 0)
            model.train()
            let frames: FrameTimes
            let firstFrame: Double
            let mode: String
            if AppWindow.hasDisplay {
                (frames, firstFrame) = try AppWindow.run(model: model, maximumSeconds: seconds, start: start)
                mode = "window"
            } else {
                let first = try AppWindow.timeFrames(model: model, frames: 1, width: 1280, height: 800)
                firstFrame = (ContinuousClock.now - start).seconds
                let drawStart = ContinuousClock.now
                var times = first.milliseconds
                while (ContinuousClock.now - drawStart).seconds < seconds {
                    times += try AppWindow.timeFrames(model: model, frames: 60, width: 1280, height: 800).milliseconds
                }
                frames = FrameTimes(milliseconds: times)
                mode = "offscreen software renderer"
            }
            let iterations = model.snapshot.iterationsFinished
            model.training.stop()
            while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
            if let screenshot {
                model.tick(seconds: 0.1)
                let canvas = try AppWindow.render(model: model, width: 1280, height: 800)
                try AtomicFile.write(PNG.encode(canvas), to: URL(fileURLWithPath: screenshot))
            }
            if json {
                print(
                    JSONValue.object([
                        ("mode", .string(mode)), ("first_frame_ms", .double((firstFrame * 1000).rounded())),
                        ("frames", .int(frames.milliseconds.count)),
                        ("frame_ms_p50", .double((frames.percentile(50) * 10).rounded() / 10)),
                        ("frame_ms_p99", .double((frames.percentile(99) * 10).rounded() / 10)),
                        ("training_iterations", .int(iterations)),
                    ]).text())
            } else {
                print("App (\(mode)), 1280x800, training on another thread:")
                print(String(format: "  start-up to first frame: %.0f ms", firstFrame * 1000))
                print(
                    String(
                        format: "  %d frames: p50 %.1f ms, p99 %.1f ms (60 fps needs 16.7 ms)",
                        frames.milliseconds.count, frames.percentile(50), frames.percentile(99)))
                print("  training iterations finished meanwhile: \(iterations)")
            }
        }
    }
}
