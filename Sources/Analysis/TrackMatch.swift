import Simulator

/// Finds which track a run drove when its files do not say: the candidate whose length matches
/// the simtraces' `track_len` (within 2 %) and whose road holds nearly all the recorded positions.
public enum TrackMatch {
    /// The share of positions that must lie on the road or within 0.5 m of it.
    static let requiredShare = 0.9

    /// The best candidate, or nil when none fits.
    public static func best(for analysis: RunAnalysis, among candidates: [Track]) -> Track? {
        let traces = analysis.training + analysis.evaluations
        let total = traces.reduce(0) { $0 + $1.simtrace.count }
        guard total > 0 else { return nil }
        // About 400 positions spread over the run.
        let stride = max(total / 400, 1)
        var points: [Vector2] = []
        var k = 0
        for trace in traces {
            for i in 0..<trace.simtrace.count {
                if k % stride == 0, trace.simtrace.x[i].isFinite, trace.simtrace.y[i].isFinite {
                    points.append(Vector2(trace.simtrace.x[i], trace.simtrace.y[i]))
                }
                k += 1
            }
        }
        guard !points.isEmpty else { return nil }
        var best: (track: Track, share: Double)?
        for track in candidates {
            if let length = analysis.trackLength, abs(track.length - length) > 0.02 * track.length { continue }
            let reach = track.averageWidth / 2 + 0.5
            let near = points.filter { track.project($0).distanceFromCentre <= reach }.count
            let share = Double(near) / Double(points.count)
            if share >= requiredShare, share > (best?.share ?? 0) { best = (track, share) }
        }
        return best?.track
    }
}
