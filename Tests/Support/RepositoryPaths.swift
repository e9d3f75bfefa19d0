import Foundation

/// Where the repository and the shared sample data are, for tests.
public enum RepositoryPaths {
    /// The folder holding Package.swift, found by walking up from this file.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared/data` beside the repository: real DeepRacer tracks and logs, for tests only.
    public static let sharedData = root.deletingLastPathComponent().appendingPathComponent("shared/data")
}
