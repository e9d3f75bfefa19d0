import ArgumentParser
import Assets
import Foundation
import Simulator

/// `paddock demo`: a scripted lap with a live text display, so a newcomer sees something real.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch a scripted driver take the car round a track (no training needed)."
    )

    @Option(help: "Track id or .npy path.") var track: String?
    @Option(parsing: .unconditional, help: "Playback speed: 1 is real time, 0 runs as fast as it can.") var playback =
        2.0

    func run() throws {
        let catalog = try TrackCatalog.standard()
        let trackID =
            track ?? catalog.entries.first(where: { $0.difficulty == "beginner" })?.id ?? catalog.entries[0].id
        let loaded = try catalog.track(named: trackID)
        var simulation = Simulation(track: loaded, settings: .evaluation())
        simulation.reset()
        let driver = ScriptedDriver()
        let map = TextTrackMap(track: loaded, columns: 64, rows: 22)
        let interactive = isatty(STDOUT_FILENO) != 0
        let title =
            "Paddock demo: a scripted driver on \(loaded.id) (\(String(format: "%.2f", loaded.length)) m).\n"
            + "This car follows a hand-written rule. In the lessons you will teach one to drive from its camera.\n"
        print(title)
        var lastPrinted = -10.0
        var result: StepResult
        repeat {
            let action = driver.action(for: simulation.car, on: simulation.track)
            result = simulation.step(action)
            let progress = max(result.params.progress, 0)
            if interactive {
                var screen = "\u{1B}[H\u{1B}[2J" + title + "\n"
                screen += map.render(car: simulation.car) + "\n"
                screen += Self.statusLine(result, time: simulation.episodeTime)
                print(screen)
                if playback > 0 { Thread.sleep(forTimeInterval: CarGeometry.stepDuration / playback) }
            } else if progress - lastPrinted >= 10 || result.isDone {
                print(Self.statusLine(result, time: simulation.episodeTime))
                lastPrinted = progress
            }
        } while !result.isDone
        print("")
        if result.status == .lapComplete {
            print(
                String(
                    format: "Lap complete in %.2f s of simulated time (%d steps at 15 per second).",
                    simulation.episodeTime, result.params.steps))
        } else {
            print("The episode ended: \(result.status.label).")
        }
        print("Next: 'paddock tracks list', 'paddock params --help', 'paddock camera --help', 'paddock bench sim'.")
    }

    static func statusLine(_ result: StepResult, time: Double) -> String {
        let progress = max(result.params.progress, 0)
        let filled = Int(progress / 100 * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        return String(
            format: "[%@] %5.1f%%  step %4d  t=%5.2f s  speed %.1f m/s  steer %+5.1f°  %@",
            bar, progress, result.params.steps, time, result.car.speed, result.action.steeringAngle,
            result.params.allWheelsOnTrack ? "on track" : "wheel off")
    }
}

/// A small top-down map of a track drawn with characters.
struct TextTrackMap {
    let track: Track
    let columns: Int
    let rows: Int
    let grid: [[Character]]
    let minimum: Vector2
    let scale: Double

    init(track: Track, columns: Int, rows: Int) {
        self.track = track
        self.columns = columns
        self.rows = rows
        let bounds = track.bounds
        let size = bounds.maximum - bounds.minimum
        // Characters are about twice as tall as wide.
        let scale = min(Double(columns - 1) / size.x, Double(rows - 1) * 2 / size.y)
        self.scale = scale
        self.minimum = bounds.minimum
        var grid = [[Character]](repeating: [Character](repeating: " ", count: columns), count: rows)
        let samples = Int(track.length / 0.02)
        for k in 0...samples {
            let p = track.pose(atDistance: Double(k) * 0.02).position
            let (c, r) = Self.cell(p, minimum: bounds.minimum, scale: scale, rows: rows)
            if r >= 0, r < rows, c >= 0, c < columns { grid[r][c] = "." }
        }
        self.grid = grid
    }

    static func cell(_ p: Vector2, minimum: Vector2, scale: Double, rows: Int) -> (Int, Int) {
        let c = Int(((p.x - minimum.x) * scale).rounded())
        let r = rows - 1 - Int(((p.y - minimum.y) * scale / 2).rounded())
        return (c, r)
    }

    func render(car: CarState) -> String {
        var grid = self.grid
        let (c, r) = Self.cell(car.referencePoint, minimum: minimum, scale: scale, rows: rows)
        if r >= 0, r < rows, c >= 0, c < columns {
            let arrows: [Character] = [">", "/", "^", "\\", "<", "/", "v", "\\"]
            let turns: Double = (car.heading + 2 * Double.pi).truncatingRemainder(dividingBy: 2 * Double.pi)
            let octant = Int((turns / (Double.pi / 4)).rounded()) % 8
            grid[r][c] = arrows[octant]
        }
        return grid.map { String($0) }.joined(separator: "\n")
    }
}
