/// How far a learner has got: the steps done in each lesson and where they are now. Saved as
/// JSON under `$PADDOCK_HOME` by the app.
public struct LessonProgress: Sendable, Equatable, Codable {
    public var version = 1
    /// Where the learner is: a lesson id and a step index.
    public var currentLesson: String?
    public var currentStep = 0
    /// Finished step indexes by lesson id.
    public var completedSteps: [String: Set<Int>] = [:]
    /// Best evaluation lap in seconds, for `beat-lap-time`.
    public var bestLapSeconds: Double?

    public init() {}

    public func isCompleted(lesson: String, step: Int) -> Bool {
        completedSteps[lesson]?.contains(step) ?? false
    }

    public mutating func complete(lesson: String, step: Int) {
        completedSteps[lesson, default: []].insert(step)
    }

    /// Whether every step of `lesson` is done.
    public func isFinished(_ lesson: Lesson) -> Bool {
        (completedSteps[lesson.id]?.count ?? 0) >= lesson.steps.count
    }
}
