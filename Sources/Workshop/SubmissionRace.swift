import Assets
import CarExport
import Foundation
import Model
import Simulator

/// One submission's race: its archive installed in a scratch folder (the import's checks and
/// test frame), then raced on the workshop's track. A child process runs it
/// (`paddock workshop race-submission`, `SubmissionProcess`), so a graph that crashes, traps or
/// never ends takes that process down, never the host.
public struct SubmissionRace: Codable, Sendable, Equatable {
    /// JSON list of the trials' results.
    public var trials: String
    public var bestLap: Double?
    public var averageLap: Double?
    public var offTracks: Int
    /// The laps step by step (`RacePath`'s stored form).
    public var path: Data
    /// One line for the student and the instructor.
    public var message: String

    /// Steps one race lap may take (200 simulated seconds): a car that cannot finish stops there
    /// instead of holding up the queue.
    public static let maximumSteps = 3_000

    /// Installs and races `archive` on `track` for `laps` laps; throws what went wrong (a refused
    /// archive, an inference error).
    public static func run(archive: Data, track: Track, laps: Int, scratch: URL) throws -> SubmissionRace {
        let models = scratch.appendingPathComponent("race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: models) }
        let folder = try ModelFolder(name: "submission", in: models)
        let model = try ImportedModel.install(archive: archive, path: "the submission", into: folder, track: track.id)
        var samples: [RacePath.Sample] = []
        let trials = try model.evaluate(
            track: track, trials: max(laps, 1), raceType: .timeTrial, maximumSteps: maximumSteps
        ) { trial, step, _ in
            let car = step.car
            samples.append(
                .init(time: step.simulatedTime, x: car.position.x, y: car.position.y, heading: car.heading, lap: trial))
        }
        let times = trials.compactMap(\.lapTime)
        let average = times.count == trials.count && !times.isEmpty ? times.reduce(0, +) / Double(times.count) : nil
        return SubmissionRace(
            trials: String(decoding: try JSONEncoder().encode(trials), as: UTF8.self),
            bestLap: times.min(), averageLap: average, offTracks: trials.map(\.offTrackCount).reduce(0, +),
            path: RacePath(samples: samples).data,
            message: "\(times.count) of \(trials.count) laps complete on \(track.id)"
                + (average.map { String(format: ", average %.2f s", $0) } ?? ""))
    }
}
