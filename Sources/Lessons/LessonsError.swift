/// A mistake in a lesson file or the manifest, with where it is.
public struct LessonIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// Lesson files that cannot be used, with every mistake found.
public struct LessonsError: Error, Sendable, CustomStringConvertible {
    public var issues: [LessonIssue]

    public init(issues: [LessonIssue]) { self.issues = issues }

    public var description: String {
        (issues.map(\.description) + [
            "Fix these lines (docs/lessons-format.md has the format), then run 'paddock lessons check'."
        ])
        .joined(separator: "\n")
    }
}
