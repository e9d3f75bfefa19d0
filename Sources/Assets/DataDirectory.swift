import Foundation

/// Finds Paddock's data folders (`tracks/`, later `lessons/` and `assets/`).
///
/// Looks in `$PADDOCK_DATA_DIR`, then upwards from the running executable (a build in
/// `.build/release/` sits inside the repository), then upwards from the working directory.
public struct DataDirectory: Sendable {
    /// The folder that holds `tracks/`.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public var tracksDirectory: URL { root.appendingPathComponent("tracks") }

    /// Finds the data folder, or explains where it looked.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AssetsError)
        -> DataDirectory
    {
        var searched: [String] = []
        if let explicit = environment["PADDOCK_DATA_DIR"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            if holdsData(url) { return DataDirectory(root: url) }
            searched.append(explicit)
        }
        var starts: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        starts.append(executable.deletingLastPathComponent())
        if let selfPath = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: selfPath).deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var url = start.standardizedFileURL
            while true {
                if holdsData(url) { return DataDirectory(root: url) }
                searched.append(url.path)
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path || url.path == "/" { break }
                url = parent
            }
        }
        throw AssetsError.dataDirectoryNotFound(searched: Array(Set(searched)).sorted().prefix(6).map { $0 })
    }

    static func holdsData(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("tracks/index.json").path)
    }
}
