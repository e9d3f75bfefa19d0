import Foundation
import Model
import Simulator
import Workshop

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
    public var entry: GarageEntry
    public var points: [TrainingController.Point]
    public var bestIteration: Int
    public var evaluation: SavedEvaluation?
    /// The first evaluation trial, replayed as the workshop's projector replays a race.
    public var lap = RacePath(samples: [])
    /// What could not be read, in words for the learner (the rest is still shown).
    public var problem: String?

    public var name: String { entry.name }

    /// Reads `folder`'s description, metrics and latest evaluation; nil when it is not a model.
    init?(folder: ModelFolder) {
        guard let entry = GarageEntry(folder: folder) else { return nil }
        self.entry = entry
        points = []
        bestIteration = 0
        do {
            (points, bestIteration) = try TrainingController.history(of: folder)
            evaluation = try folder.latestEvaluation()
        } catch {
            problem = "\(error)"
        }
        if let drive = evaluation?.drive, let first = drive.episodes.first {
            let steps = drive.steps[first].filter(\.hasPose)
            let start = steps.first?.time ?? 0
            lap = RacePath(
                samples: steps.map {
                    RacePath.Sample(time: $0.time - start, x: $0.x, y: $0.y, heading: $0.yawDegrees * .pi / 180, lap: 1)
                })
        }
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
