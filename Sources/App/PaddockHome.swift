import Assets
import Foundation
import Lessons

/// The learner's own files under `$PADDOCK_HOME` (default `~/.local/share/paddock`): lesson
/// progress and their reward function.
public struct PaddockHome: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> PaddockHome {
        let url =
            environment["PADDOCK_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/paddock")
        return PaddockHome(url: url)
    }

    public var progressFile: URL { url.appendingPathComponent("progress.json") }
    /// The learner's reward function, edited in any editor; the app reloads it on save.
    public var rewardFile: URL { url.appendingPathComponent("my_reward.py") }

    /// Saved progress, or a fresh start when there is none. A damaged file is kept aside
    /// (`progress.json.damaged`) rather than lost, and the learner starts over.
    public func loadProgress() -> LessonProgress {
        guard let data = FileManager.default.contents(atPath: progressFile.path) else { return LessonProgress() }
        if let progress = try? JSONDecoder().decode(LessonProgress.self, from: data) { return progress }
        try? FileManager.default.moveItem(at: progressFile, to: progressFile.appendingPathExtension("damaged"))
        return LessonProgress()
    }

    public func saveProgress(_ progress: LessonProgress) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try AtomicFile.write(try encoder.encode(progress), to: progressFile)
    }

    /// Creates the learner's reward function from an example the first time.
    public func ensureRewardFile(example: URL) throws {
        guard !FileManager.default.fileExists(atPath: rewardFile.path) else { return }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try AtomicFile.write(try Data(contentsOf: example), to: rewardFile)
    }
}
