import App
import ArgumentParser
import Foundation
import Lessons
import Simulator

/// `paddock lessons list|check`.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "The guided lessons: list them, or check the lesson files.",
        subcommands: [ListLessons.self, CheckLessons.self],
        defaultSubcommand: ListLessons.self
    )
}

struct ListLessons: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The lessons, in order, with your progress.")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let library = try LessonLibrary.standard()
        let progress = PaddockHome.standard().loadProgress()
        if json {
            let lessons: [JSONValue] = library.lessons.enumerated().map { index, lesson in
                .object([
                    ("number", .int(index + 1)), ("id", .string(lesson.id)), ("title", .string(lesson.title)),
                    ("file", .string(lesson.file)), ("steps", .int(lesson.steps.count)),
                    ("steps_done", .int(progress.completedSteps[lesson.id]?.count ?? 0)),
                    ("tasks", .array(lesson.steps.compactMap { $0.task.map { .string(AppModel.describe($0.check)) } })),
                ])
            }
            print(JSONValue.array(lessons).text())
            return
        }
        for (index, lesson) in library.lessons.enumerated() {
            let done = progress.completedSteps[lesson.id]?.count ?? 0
            let mark = done >= lesson.steps.count ? "✓" : (done > 0 ? "…" : " ")
            print(
                String(format: "%@ %2d  ", mark, index + 1) + lesson.title
                    + "  (\(lesson.steps.count) steps\(done > 0 ? ", \(done) done" : ""))")
        }
        print(
            "\nOpen the app with 'paddock' to take them; a picture of any step: paddock app --screenshot step.png --lesson N --step M"
        )
    }
}

struct CheckLessons: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every lesson file: format, scenes, tasks, quizzes (file and line for each mistake).")

    func run() throws {
        do {
            let library = try LessonLibrary.standard()
            let steps = library.lessons.map(\.steps.count).reduce(0, +)
            print("\(library.lessons.count) lessons, \(steps) steps: all good.")
        } catch let error as LessonsError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        }
    }
}
