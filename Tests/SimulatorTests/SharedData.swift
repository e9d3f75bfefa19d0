import Foundation

/// Paths to the sample data in `../shared/data` beside the repository (for tests only).
enum SharedData {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static let directory = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let tracksDirectory = directory.appendingPathComponent("deepracer-tracks")
    static let logsDirectory = directory.appendingPathComponent("deepracer-logs-sample")

    static func trackBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: tracksDirectory.appendingPathComponent("\(name).npy")))
    }

    static var trackNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: tracksDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".npy") }.map { String($0.dropLast(4)) }.sorted()
    }
}
