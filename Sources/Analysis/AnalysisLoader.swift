import Assets
import Foundation
import Simulator

/// Reads a run's logs and finds the track it drove: the one the command line and the app share.
public enum AnalysisLoader {
    /// A run's logs read, with its track found.
    public struct Loaded: Sendable {
        public var pictures: AnalysisPictures
        /// How the track was found: `option`, `logs`, `matched` or `unknown`.
        public var trackFrom: String
    }

    /// Reads the logs at `url` and finds their track: `track` (an id, a DeepRacer track name or a
    /// `.npy` path) when given, else the one the run's files name, else the candidate whose
    /// length and road match the recorded positions.
    ///
    /// - Throws: `AnalysisError` for logs that cannot be read, or a track named but not found.
    public static func load(
        _ url: URL, track: String?, episodesPerIteration: Int? = nil, catalog: TrackCatalog
    ) throws -> Loaded {
        let logs = try RunLogs(at: url)
        let analysis = try RunAnalysis(logs: logs, episodesPerIteration: episodesPerIteration)
        if let track {
            return Loaded(
                pictures: AnalysisPictures(analysis: analysis, track: try loadTrack(track, catalog: catalog)),
                trackFrom: "option")
        }
        if let named = logs.namedTrack {
            guard let found = try? loadTrack(named, catalog: catalog) else {
                throw AnalysisError.unknownTrack(
                    "The logs name the track \(named), which Paddock does not have: give its DeepRacer .npy file "
                        + "with --track (or put DeepRacer's track files in $PADDOCK_DEEPRACER_TRACKS).")
            }
            return Loaded(pictures: AnalysisPictures(analysis: analysis, track: found), trackFrom: "logs")
        }
        if let matched = TrackMatch.best(for: analysis, among: candidateTracks(catalog: catalog)) {
            return Loaded(pictures: AnalysisPictures(analysis: analysis, track: matched), trackFrom: "matched")
        }
        return Loaded(pictures: AnalysisPictures(analysis: analysis, track: nil), trackFrom: "unknown")
    }

    /// Folders of DeepRacer track files: `$PADDOCK_DEEPRACER_TRACKS`, then `../shared/data/deepracer-tracks`
    /// beside the data folder (where a checkout of the project keeps them).
    public static func deepRacerTrackFolders(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [URL] {
        var folders: [URL] = []
        if let path = environment["PADDOCK_DEEPRACER_TRACKS"], !path.isEmpty {
            folders.append(URL(fileURLWithPath: path))
        }
        if let root = try? DataDirectory.locate(environment: environment).root {
            folders.append(root.deletingLastPathComponent().appendingPathComponent("shared/data/deepracer-tracks"))
        }
        return folders
    }

    /// A catalogue id, a DeepRacer track name found in the track folders, or a `.npy` path.
    public static func loadTrack(_ name: String, catalog: TrackCatalog) throws -> Track {
        if catalog.entry(id: name) == nil, !name.hasSuffix(".npy") {
            for folder in deepRacerTrackFolders() {
                let file = folder.appendingPathComponent(name + ".npy")
                if FileManager.default.fileExists(atPath: file.path) {
                    return try TrackCatalog.loadTrack(at: file, id: name)
                }
            }
        }
        return try catalog.track(named: name)
    }

    /// Every track an analysis may match: the catalogue's and DeepRacer's in the track folders.
    public static func candidateTracks(catalog: TrackCatalog) -> [Track] {
        var tracks = catalog.entries.compactMap { try? catalog.track(named: $0.id) }
        for folder in deepRacerTrackFolders() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".npy") {
                if let track = try? TrackCatalog.loadTrack(
                    at: folder.appendingPathComponent(name), id: String(name.dropLast(4)))
                {
                    tracks.append(track)
                }
            }
        }
        return tracks
    }
}
