import Foundation
import PaddockTestSupport

/// Paths to the sample data in `../shared/data` beside the repository (for tests only).
enum SharedData {
    static let directory = RepositoryPaths.sharedData
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
