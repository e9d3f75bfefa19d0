import Foundation
import PaddockTestSupport

/// Paths to the sample data in `../shared/data` beside the repository (for tests only).
enum SharedData {
    static let directory = RepositoryPaths.sharedData
    static let tracksDirectory = directory.appendingPathComponent("deepracer-tracks")
    static let logsDirectory = directory.appendingPathComponent("deepracer-logs-sample")
    /// A console training run of 2025 that the car's fit held out (docs/car-dynamics.md).
    static let gazeboRunB = directory.appendingPathComponent(
        "gazebo/simtraces/reinvent_base-2025-console-continuous/run-b.csv")

    static func trackBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: tracksDirectory.appendingPathComponent("\(name).npy")))
    }

    static var trackNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: tracksDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".npy") }.map { String($0.dropLast(4)) }.sorted()
    }
}
