/// How far a learner has got: the steps done in each lesson and where they are now. Saved as
/// JSON under `$PADDOCK_HOME` by the app.
public struct LessonProgress: Sendable, Equatable, Codable {
    public var version = 1
    /// Where the learner is: a lesson id and a step index.
    public var currentLesson: String?
    public var currentStep = 0
    /// Finished step indexes by lesson id.
    public var completedSteps: [String: Set<Int>] = [:]
    /// Steps the learner moved on from without doing their task or quiz, by lesson id (until
    /// they come back and do it).
    public var skippedSteps: [String: Set<Int>] = [:]
    /// Best evaluation lap in seconds, from progress files written before laps were kept by
    /// track (evaluations then ran on the model's own track).
    public var bestLapSeconds: Double?
    /// Best evaluation lap in seconds by track id, for `beat-lap-time`: a lap of one track is
    /// no record for another.
    public var bestLapSecondsByTrack: [String: Double] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case version, currentLesson, currentStep, completedSteps, skippedSteps, bestLapSeconds, bestLapSecondsByTrack
    }

    /// The best evaluation lap on `track`; an older file's single best stands in until a lap is
    /// kept by track.
    public func bestLap(on track: String) -> Double? {
        bestLapSecondsByTrack[track] ?? (bestLapSecondsByTrack.isEmpty ? bestLapSeconds : nil)
    }

    /// Keeps `seconds` as the best lap on `track` when it beats it.
    public mutating func recordLap(_ seconds: Double, on track: String) {
        if seconds < (bestLap(on: track) ?? .infinity) { bestLapSecondsByTrack[track] = seconds }
    }

    /// Reads progress files from before a field existed (a missing field keeps its default).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        currentLesson = try container.decodeIfPresent(String.self, forKey: .currentLesson)
        currentStep = try container.decodeIfPresent(Int.self, forKey: .currentStep) ?? 0
        completedSteps = try container.decodeIfPresent([String: Set<Int>].self, forKey: .completedSteps) ?? [:]
        skippedSteps = try container.decodeIfPresent([String: Set<Int>].self, forKey: .skippedSteps) ?? [:]
        bestLapSeconds = try container.decodeIfPresent(Double.self, forKey: .bestLapSeconds)
        bestLapSecondsByTrack =
            try container.decodeIfPresent([String: Double].self, forKey: .bestLapSecondsByTrack) ?? [:]
    }

    public func isCompleted(lesson: String, step: Int) -> Bool {
        completedSteps[lesson]?.contains(step) ?? false
    }

    public func isSkipped(lesson: String, step: Int) -> Bool {
        skippedSteps[lesson]?.contains(step) ?? false
    }

    public mutating func complete(lesson: String, step: Int) {
        completedSteps[lesson, default: []].insert(step)
        skippedSteps[lesson]?.remove(step)
        if skippedSteps[lesson]?.isEmpty == true { skippedSteps[lesson] = nil }
    }

    /// Records that the learner moved on from `step` without doing it (a step already done stays done).
    public mutating func skip(lesson: String, step: Int) {
        guard !isCompleted(lesson: lesson, step: step) else { return }
        skippedSteps[lesson, default: []].insert(step)
    }

    /// How many of `lesson`'s steps are done and how many were skipped.
    public func tally(_ lesson: Lesson) -> (done: Int, skipped: Int) {
        let steps = Set(lesson.steps.indices)
        return (
            completedSteps[lesson.id]?.intersection(steps).count ?? 0,
            skippedSteps[lesson.id]?.intersection(steps).count ?? 0
        )
    }

    /// Whether every step of `lesson` is done.
    public func isFinished(_ lesson: Lesson) -> Bool {
        (completedSteps[lesson.id]?.count ?? 0) >= lesson.steps.count
    }
}
