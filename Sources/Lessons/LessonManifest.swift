import Foundation

/// `lessons/manifest.json`: the lessons in order.
public struct LessonManifest: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var id: String
        public var file: String
    }

    public var version: Int
    public var lessons: [Entry]

    /// Reads and checks a manifest (version 1, snake_case unique ids, .md files).
    public static func decode(_ data: Data, file: String = "manifest.json") throws -> LessonManifest {
        let manifest: LessonManifest
        do {
            manifest = try JSONDecoder().decode(LessonManifest.self, from: data)
        } catch {
            throw LessonsError(issues: [
                LessonIssue(
                    file: file, line: 1,
                    message:
                        "not a lesson manifest (\(error)); it needs {\"version\": 1, \"lessons\": [{\"id\": ..., \"file\": ...}]}"
                )
            ])
        }
        var issues: [LessonIssue] = []
        if manifest.version != 1 {
            issues.append(
                LessonIssue(
                    file: file, line: 1,
                    message: "manifest version \(manifest.version) is not one this Paddock reads (1); update Paddock"))
        }
        var seen = Set<String>()
        for entry in manifest.lessons {
            let snake = !entry.id.isEmpty && entry.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }
            if !snake {
                issues.append(LessonIssue(file: file, line: 1, message: "lesson id '\(entry.id)' must be snake_case"))
            }
            if !seen.insert(entry.id).inserted {
                issues.append(LessonIssue(file: file, line: 1, message: "lesson id '\(entry.id)' appears twice"))
            }
            if !entry.file.hasSuffix(".md") || entry.file.contains("/") {
                issues.append(
                    LessonIssue(
                        file: file, line: 1,
                        message: "lesson file '\(entry.file)' must be a .md file name in the lessons folder"))
            }
        }
        if manifest.lessons.isEmpty {
            issues.append(LessonIssue(file: file, line: 1, message: "the manifest lists no lessons"))
        }
        guard issues.isEmpty else { throw LessonsError(issues: issues) }
        return manifest
    }
}
