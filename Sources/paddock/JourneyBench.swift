import App
import ArgumentParser
import Foundation
import Simulator

/// `paddock bench journey`: a scripted learner through the first lessons, timed.
struct JourneyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "A scripted learner works through lessons 1 to N in the app; the time each takes, and any dead end.",
        discussion: """
            The learner does each step with the app's own keys, buttons and editor (it drives with \
            the arrow keys, pastes the lesson's code into the reward editor, presses Train), with a \
            temporary PADDOCK_HOME and no window. For each lesson it reports the words to read (and \
            the minutes at --words-per-minute), the simulated seconds of driving and watching at 1x, \
            and the seconds spent waiting for training on this machine. A step it cannot finish is \
            a dead end, and the command fails. It answers quizzes from the lesson file and drives \
            without mistakes: a person needs longer, so read the total as a floor.
            """
    )

    @Option(parsing: .unconditional, help: "The first lesson to work through.") var from = 1
    @Option(parsing: .unconditional, help: "The last lesson to work through.") var lessons = 8
    @Option(parsing: .unconditional, help: "Reading speed.") var wordsPerMinute = 200.0
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-journey-\(getpid())")
        setenv("PADDOCK_HOME", home.path, 1)
        defer { try? FileManager.default.removeItem(at: home) }
        let records = try MainActor.assumeIsolated { () throws -> [ScriptedLearner.StepRecord] in
            let model = try AppWindow.makeModel()
            model.go(lesson: from - 1, step: 0)
            let learner = ScriptedLearner(model: model)
            var records: [ScriptedLearner.StepRecord] = []
            while model.lessonIndex < lessons {
                let record = learner.doStep()
                records.append(record)
                guard record.done else { break }
                if record.lesson == model.lessonIndex && record.step == model.stepIndex { break }
            }
            model.training.stop()
            while model.training.isBusy { Thread.sleep(forTimeInterval: 0.05) }
            return records
        }
        var rows: [(lesson: Int, words: Int, simulated: Double, waited: Double)] = []
        for record in records {
            if rows.last?.lesson != record.lesson { rows.append((record.lesson, 0, 0, 0)) }
            rows[rows.count - 1].words += record.words
            rows[rows.count - 1].simulated += record.simulatedSeconds
            rows[rows.count - 1].waited += record.waitSeconds
        }
        let reading = { (words: Int) in Double(words) / wordsPerMinute * 60 }
        let total = rows.map { reading($0.words) + $0.simulated + $0.waited }.reduce(0, +)
        let deadEnd = records.first { !$0.done }
        if json {
            print(
                JSONValue.object([
                    (
                        "lessons",
                        .array(
                            rows.map {
                                .object([
                                    ("lesson", .int($0.lesson + 1)), ("words", .int($0.words)),
                                    ("reading_s", .double(reading($0.words).rounded())),
                                    ("driving_s", .double($0.simulated.rounded())),
                                    ("waiting_s", .double($0.waited.rounded())),
                                ])
                            })
                    ),
                    ("total_min", .double((total / 6).rounded() / 10)),
                    ("dead_end", deadEnd.map { .string("lesson \($0.lesson + 1) step \($0.step + 1)") } ?? .null),
                ]).text())
        } else {
            print(
                "A scripted learner through lessons \(from) to \(lessons), reading \(Int(wordsPerMinute)) words a minute:"
            )
            for row in rows {
                print(
                    String(
                        format:
                            "  lesson %2d: %4d words (%3.0f s reading), %4.0f s driving and watching, %4.0f s waiting for training",
                        row.lesson + 1, row.words, reading(row.words), row.simulated, row.waited))
            }
            print(String(format: "  total: %.1f minutes", total / 60))
        }
        if let deadEnd {
            throw ValidationError(
                "Dead end: lesson \(deadEnd.lesson + 1), step \(deadEnd.step + 1) (\(deadEnd.title)) was not done.")
        }
    }
}
