/// One lesson: a title and a few steps, read from a Markdown file (see docs/lessons-format.md).
public struct Lesson: Sendable, Equatable {
    /// Stable snake_case id from the manifest; progress is saved under it.
    public var id: String
    public var title: String
    public var steps: [LessonStep]
    /// The file it was read from, for messages.
    public var file: String

    public init(id: String, title: String, steps: [LessonStep], file: String) {
        self.id = id
        self.title = title
        self.steps = steps
        self.file = file
    }

    /// The scene in force at step `index`: the nearest `scene` block at or before it.
    public func scene(at index: Int) -> LessonScene {
        guard !steps.isEmpty else { return LessonScene() }
        let last = min(max(index, 0), steps.count - 1)
        return steps[...last].last(where: { $0.scene != nil })?.scene ?? LessonScene()
    }
}

/// One step of a lesson: a few sentences, the scene it sets, and what the learner must do.
public struct LessonStep: Sendable, Equatable {
    public var title: String
    public var blocks: [TextBlock]
    public var scene: LessonScene?
    public var task: LessonTask?
    public var quiz: Quiz?
    /// Line of the step's heading in the file.
    public var line: Int

    public init(
        title: String, blocks: [TextBlock] = [], scene: LessonScene? = nil, task: LessonTask? = nil, quiz: Quiz? = nil,
        line: Int = 0
    ) {
        self.title = title
        self.blocks = blocks
        self.scene = scene
        self.task = task
        self.quiz = quiz
        self.line = line
    }

    /// Whether the learner must do something before going on.
    public var hasCheck: Bool { task != nil || quiz != nil }
}

/// A block of lesson text.
public enum TextBlock: Sendable, Equatable {
    case paragraph([TextRun])
    case bulletList([[TextRun]])
    case numberedList([[TextRun]])
    case code(String)
}

/// A run of text in one style.
public struct TextRun: Sendable, Equatable {
    public enum Style: Sendable, Equatable { case plain, strong, emphasis, code }
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// A multiple-choice question with one right answer.
public struct Quiz: Sendable, Equatable {
    public var question: String
    public var choices: [String]
    public var correctIndex: Int
    public var explanation: String

    public init(question: String, choices: [String], correctIndex: Int, explanation: String) {
        self.question = question
        self.choices = choices
        self.correctIndex = correctIndex
        self.explanation = explanation
    }
}

/// What the learner must do: a check the app watches for, and a hint after a failed try.
public struct LessonTask: Sendable, Equatable {
    public var check: LessonCheck
    public var hint: String

    public init(check: LessonCheck, hint: String) {
        self.check = check
        self.hint = hint
    }
}
