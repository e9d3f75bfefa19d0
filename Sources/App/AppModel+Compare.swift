import Foundation
import Model
import Simulator

/// Comparing models: up to four from the garage side by side, as the console's "train several
/// and keep the best" habit needs.
extension AppModel {
    /// How many models a comparison holds at most.
    public static let comparedAtMost = 4

    /// Ticks or unticks a garage model for the comparison.
    public func toggleCompare(_ name: String) {
        if let index = compareSelection.firstIndex(of: name) {
            compareSelection.remove(at: index)
        } else if compareSelection.count < Self.comparedAtMost {
            compareSelection.append(name)
        } else {
            notice = "Compare up to \(Self.comparedAtMost) models at a time: untick one first."
        }
    }

    /// Opens the comparison of the ticked models (two to four).
    public func openComparison() {
        guard compareSelection.count >= 2 else {
            notice = "Tick two to four models in the list to compare them."
            return
        }
        comparison = compareSelection.compactMap { name in
            (try? ModelFolder(name: name, in: modelsDirectory)).flatMap(ComparedModel.init(folder:))
        }
        replayTime = 0
        sheet = .compare
        record(.modelsCompared(comparison.count))
        if comparison.allSatisfy({ $0.evaluation == nil }) {
            notice = "None of these models has been evaluated: evaluate each (E) to compare their laps."
        }
    }

    /// The track a compared model's latest evaluation ran on: the one whose length its simtrace
    /// names (a model can be evaluated on any track), else the track it was trained on.
    func evaluationTrack(_ compared: ComparedModel) -> Track? {
        if let length = compared.evaluation?.drive.trackLength,
            let id = catalog.entries.map(\.id).first(where: { abs((track($0)?.length ?? -1) - length) < 1e-6 })
        {
            return track(id)
        }
        return track(compared.entry.track)
    }

    /// The track the replay shows: the first compared model's with a recorded lap.
    public var replayTrack: Track? {
        comparison.first { !$0.lap.samples.isEmpty }.flatMap(evaluationTrack)
    }

    /// The compared laps that run on the replay's track.
    public var replayedModels: [ComparedModel] {
        guard let track = replayTrack else { return [] }
        return comparison.filter { !$0.lap.samples.isEmpty && evaluationTrack($0)?.id == track.id }
    }

    /// Moves the replay on; it starts again 2 s after the slowest lap ends.
    func advanceReplay(seconds: Double) {
        guard sheet == .compare, !isPaused else { return }
        let length = (replayedModels.map(\.lap.duration).max() ?? 0) + 2
        replayTime += seconds * Double(playbackSpeed)
        if replayTime > length { replayTime = 0 }
    }
}
