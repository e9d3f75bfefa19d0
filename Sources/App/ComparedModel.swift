import Foundation
import Model
import Simulator

extension GarageEntry {
    /// The garage's line for the model in `folder`; nil when its description cannot be read.
    init?(folder: ModelFolder) {
        guard let description = try? folder.readDescription() else { return nil }
        let state = (try? TrainingState.read(folder)) ?? nil
        let actions: String
        switch description.actionSpace {
        case .discrete(let list): actions = "\(list.count) actions"
        case .continuous: actions = "continuous"
        }
        self.init(
            name: folder.name, track: description.track, algorithm: description.algorithm == .sac ? "SAC" : "PPO",
            actions: actions, iterations: state?.iterations ?? 0,
            bestCompletion: (state?.bestCompletion ?? -1) >= 0 ? state?.bestCompletion : nil)
    }
}

/// One model of a comparison: what the garage says of it, its training curve, its latest
/// evaluation and the path of that evaluation's first trial, for the replay.
public struct ComparedModel: Sendable {
    /// A pose of the replayed lap: seconds from its start, the reference point, heading in radians.
    public struct LapPose: Sendable, Equatable {
        public var time: Double
        public var position: Vector2
        public var heading: Double
    }

    public var entry: GarageEntry
    public var points: [TrainingController.Point]
    public var bestIteration: Int
    public var evaluation: SavedEvaluation?
    public var lap: [LapPose]
    /// What could not be read, in words for the learner (the rest is still shown).
    public var problem: String?

    public var name: String { entry.name }

    /// Reads `folder`'s description, metrics and latest evaluation; nil when it is not a model.
    init?(folder: ModelFolder) {
        guard let entry = GarageEntry(folder: folder) else { return nil }
        self.entry = entry
        points = []
        bestIteration = 0
        lap = []
        do {
            (points, bestIteration) = try TrainingController.history(of: folder)
            evaluation = try folder.latestEvaluation()
        } catch {
            problem = "\(error)"
        }
        if let drive = evaluation?.drive, let first = drive.episodes.first {
            let steps = drive.steps[first].filter(\.hasPose)
            let start = steps.first?.time ?? 0
            lap = steps.map {
                LapPose(time: $0.time - start, position: Vector2($0.x, $0.y), heading: $0.yawDegrees * .pi / 180)
            }
        }
    }

    /// How long the replayed lap lasts, seconds.
    public var lapDuration: Double { lap.last?.time ?? 0 }

    /// Where the replayed car is `time` seconds into the lap (between recorded steps, in a
    /// straight line); its last pose once the lap is over.
    public func pose(at time: Double) -> LapPose? {
        guard let first = lap.first, let last = lap.last else { return nil }
        if time <= first.time { return first }
        if time >= last.time { return last }
        // The first pose at or after `time`, by bisection.
        var low = 0
        var high = lap.count - 1
        while low < high {
            let middle = (low + high) / 2
            if lap[middle].time < time { low = middle + 1 } else { high = middle }
        }
        let after = lap[low]
        let before = lap[max(low - 1, 0)]
        let span = after.time - before.time
        let t = span > 0 ? (time - before.time) / span : 1
        return LapPose(
            time: time, position: before.position + (after.position - before.position) * t,
            heading: before.heading + CarDynamics.wrapAngle(after.heading - before.heading) * t)
    }

    /// The latest evaluation's laps in seconds, the mean completion and the off-tracks in all.
    public var evaluationSummary: (laps: [Double], completion: Double, offTracks: Int)? {
        guard let trials = evaluation?.trials, !trials.isEmpty else { return nil }
        return (
            trials.compactMap(\.lapSeconds), trials.map(\.completion).reduce(0, +) / Double(trials.count),
            trials.map(\.offTrackCount).reduce(0, +)
        )
    }
}
