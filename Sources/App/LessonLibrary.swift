import Assets
import Foundation
import Lessons

/// The lessons in `lessons/` (manifest order), read from the data folder.
public struct LessonLibrary: Sendable {
    public var lessons: [Lesson]
    public var directory: URL

    /// Reads the manifest and every lesson; throws `LessonsError` with every mistake found.
    public static func load(from directory: URL, tracks: Set<String>? = nil) throws -> LessonLibrary {
        let manifestURL = directory.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw LessonsError(issues: [
                LessonIssue(
                    file: manifestURL.path, line: 1, message: "no lesson manifest here; is the lessons folder complete?"
                )
            ])
        }
        let manifest = try LessonManifest.decode(data, file: "lessons/manifest.json")
        var lessons: [Lesson] = []
        var issues: [LessonIssue] = []
        for entry in manifest.lessons {
            let url = directory.appendingPathComponent(entry.file)
            let name = "lessons/\(entry.file)"
            guard FileManager.default.fileExists(atPath: url.path) else {
                issues.append(
                    LessonIssue(
                        file: "lessons/manifest.json", line: 1,
                        message: "lesson '\(entry.id)' names \(entry.file), which is not in the lessons folder"))
                continue
            }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                issues.append(
                    LessonIssue(
                        file: "lessons/manifest.json", line: 1,
                        message: "lesson '\(entry.id)' names \(entry.file), which cannot be read as UTF-8 text"))
                continue
            }
            do {
                lessons.append(try LessonParser.parse(text, id: entry.id, file: name, tracks: tracks))
            } catch let error as LessonsError {
                issues += error.issues
            }
        }
        guard issues.isEmpty else { throw LessonsError(issues: issues) }
        return LessonLibrary(lessons: lessons, directory: directory)
    }

    /// The project's lessons, checked against its tracks.
    public static func standard() throws -> LessonLibrary {
        let data = try DataDirectory.locate()
        let catalog = try TrackCatalog.standard()
        return try load(
            from: data.root.appendingPathComponent("lessons"), tracks: Set(catalog.entries.map(\.id)))
    }
}
