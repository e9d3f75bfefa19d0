/// A problem finding or reading Paddock's files, with what to do about it.
public enum AssetsError: Error, Sendable, CustomStringConvertible {
    /// The `tracks/` folder with its `index.json` was not found.
    case dataDirectoryNotFound(searched: [String])
    /// A track name that is neither a known id nor a readable `.npy` path.
    case unknownTrack(String, known: [String])
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// A file could not be written.
    case unwritable(path: String, reason: String)
    /// `tracks/index.json` is damaged.
    case badManifest(path: String, reason: String)

    public var description: String {
        switch self {
        case .dataDirectoryNotFound(let searched):
            "Paddock's data folder (the one holding tracks/index.json) was not found. Looked in: "
                + searched.joined(separator: ", ")
                + ". Run paddock from its repository, or set PADDOCK_DATA_DIR to the folder that holds tracks/."
        case .unknownTrack(let name, let known):
            "No track called '\(name)'. Give a track id (\(known.joined(separator: ", "))) or the path of a DeepRacer .npy file. "
                + "'paddock tracks list' shows every track."
        case .unreadable(let path, let reason):
            "\(path): could not be read (\(reason))."
        case .unwritable(let path, let reason):
            "\(path): could not be written (\(reason)). Check that the folder exists and that you may write to it."
        case .badManifest(let path, let reason):
            "\(path): the track list is damaged (\(reason)). Regenerate it with 'paddock tracks build'."
        }
    }
}
