import Foundation

extension WorkshopServer {
    /// Sets the race: its track, its laps (1 to 10), whether it has started. A new track or lap
    /// count sends every student's latest model back to the queue to race again. Used by the
    /// `POST /api/race` route and by the instructor's app.
    @discardableResult
    public func setRace(track: String? = nil, laps: Int? = nil, start: Bool? = nil) throws -> WorkshopStore.Info {
        if let track, !catalog.entries.contains(where: { $0.id == track }) {
            throw WorkshopError.badRequest(
                "No track called \(track); use one of \(catalog.entries.map(\.id).joined(separator: ", ")).")
        }
        if let laps, !(1...10).contains(laps) {
            throw WorkshopError.badRequest("A race is 1 to 10 laps; \(laps) is not.")
        }
        let before = try store.info()
        let info = try store.updateInfo { info in
            if let track { info.raceTrack = track }
            if let laps { info.raceLaps = laps }
            if let start { info.raceStarted = start }
        }
        if info.raceTrack != before.raceTrack || info.raceLaps != before.raceLaps {
            try store.requeueLatestSubmissions()
            evaluator.wake()
        }
        return info
    }
}
