import Foundation
import Simulator

/// Paddock's tracks (`tracks/index.json` and the `.npy` files beside it), and DeepRacer track
/// files given by path.
public struct TrackCatalog: Sendable {
    /// One line of `tracks/index.json`.
    public struct Entry: Codable, Sendable, Equatable {
        public var id: String
        public var displayName: String
        public var file: String
        public var length: Double
        public var width: Double
        public var difficulty: String
        public var description: String
        public var isLoop: Bool
    }

    struct Manifest: Codable {
        var tracks: [Entry]
    }

    public let directory: URL
    public let entries: [Entry]

    /// Reads `index.json` in `directory`.
    public init(directory: URL) throws(AssetsError) {
        self.directory = directory
        let manifestURL = directory.appendingPathComponent("index.json")
        let data: Data
        do {
            data = try Data(contentsOf: manifestURL)
        } catch {
            throw AssetsError.unreadable(path: manifestURL.path, reason: error.localizedDescription)
        }
        do {
            entries = try JSONDecoder().decode(Manifest.self, from: data).tracks
        } catch {
            throw AssetsError.badManifest(path: manifestURL.path, reason: String(describing: error))
        }
    }

    /// The catalog of the located data folder.
    public static func standard() throws(AssetsError) -> TrackCatalog {
        try TrackCatalog(directory: DataDirectory.locate().tracksDirectory)
    }

    public func entry(id: String) -> Entry? {
        entries.first { $0.id == id }
    }

    /// Loads a track by id, or from a `.npy` path.
    public func track(named name: String) throws -> Track {
        if let entry = entry(id: name) {
            return try Self.loadTrack(at: directory.appendingPathComponent(entry.file), id: entry.id)
        }
        let url = URL(fileURLWithPath: name)
        if name.hasSuffix(".npy") || FileManager.default.fileExists(atPath: url.path) {
            return try Self.loadTrack(at: url, id: url.deletingPathExtension().lastPathComponent)
        }
        throw AssetsError.unknownTrack(name, known: entries.map(\.id))
    }

    /// Reads and validates a DeepRacer `.npy` track file.
    public static func loadTrack(at url: URL, id: String) throws -> Track {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? error.localizedDescription : "no such file"
            throw AssetsError.unreadable(path: url.path, reason: reason)
        }
        return try Track(npyBytes: [UInt8](data), id: id, source: url.path)
    }
}
