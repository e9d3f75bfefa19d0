import Foundation

/// The race standings: each student's latest evaluated model, finished laps first by average
/// lap time, then the rest by laps completed and best lap.
public struct Leaderboard: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var rank: Int
        public var name: String
        public var averageLap: Double?
        public var bestLap: Double?
        public var lapsCompleted: Int
        public var laps: Int
        public var offTracks: Int
        public var status: String
    }

    public var title: String
    public var track: String
    public var laps: Int
    public var raceStarted: Bool
    public var rows: [Row]

    init(info: WorkshopStore.Info, students: [WorkshopStore.Student], submissions: [WorkshopStore.Submission]) {
        title = info.title
        track = info.raceTrack
        laps = info.raceLaps
        raceStarted = info.raceStarted
        let names = Dictionary(
            uniqueKeysWithValues: students.compactMap { student in student.id.map { ($0, student.name) } })
        var unranked: [Row] = submissions.map { submission in
            let trials = (try? JSONDecoder().decode([LapSummary].self, from: Data(submission.trials.utf8))) ?? []
            return Row(
                rank: 0, name: names[submission.studentId] ?? "?", averageLap: submission.averageLap,
                bestLap: submission.bestLap, lapsCompleted: trials.filter { $0.lapTime != nil }.count,
                laps: trials.count,
                offTracks: submission.offTracks, status: submission.status)
        }
        unranked.sort { a, b in
            switch (a.averageLap, b.averageLap) {
            case (let x?, let y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if a.lapsCompleted != b.lapsCompleted { return a.lapsCompleted > b.lapsCompleted }
                return (a.bestLap ?? .infinity) < (b.bestLap ?? .infinity)
            }
        }
        rows = unranked.enumerated().map { index, row in
            var ranked = row
            ranked.rank = index + 1
            return ranked
        }
    }

    /// The parts of a trial the leaderboard reads.
    struct LapSummary: Codable {
        var lapTime: Double?
    }
}
