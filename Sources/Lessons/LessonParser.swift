import CCmark
import Foundation

/// Reads a lesson file (CommonMark through cmark) into a `Lesson`, collecting every mistake
/// with its line (docs/lessons-format.md is the format).
public enum LessonParser {
    /// - Parameters:
    ///   - tracks: the known track ids, to check `track:`; nil skips that check.
    /// - Throws: `LessonsError` listing each mistake with file and line.
    public static func parse(_ markdown: String, id: String, file: String, tracks: Set<String>? = nil) throws -> Lesson
    {
        var parser = Walker(file: file, tracks: tracks)
        let lesson = parser.read(markdown, id: id)
        guard parser.issues.isEmpty else { throw LessonsError(issues: parser.issues) }
        return lesson
    }
}

private struct Walker {
    let file: String
    let tracks: Set<String>?
    var issues: [LessonIssue] = []

    init(file: String, tracks: Set<String>?) {
        self.file = file
        self.tracks = tracks
    }

    mutating func issue(_ line: Int, _ message: String) {
        issues.append(LessonIssue(file: file, line: line, message: message))
    }

    mutating func read(_ markdown: String, id: String) -> Lesson {
        guard let document = cmark_parse_document(markdown, markdown.utf8.count, CMARK_OPT_DEFAULT) else {
            issue(1, "cmark could not read this file")
            return Lesson(id: id, title: "", steps: [], file: file)
        }
        defer { cmark_node_free(document) }
        var title: String?
        var steps: [LessonStep] = []
        var node = cmark_node_first_child(document)
        while let current = node {
            let line = Int(cmark_node_get_start_line(current))
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_HEADING {
                let text = Self.plainText(current)
                switch cmark_node_get_heading_level(current) {
                case 1:
                    if title != nil || !steps.isEmpty {
                        issue(line, "a second '# title'; a lesson has one title, first, and '## ' starts each step")
                    }
                    title = text
                case 2:
                    if title == nil { issue(line, "the lesson needs its '# title' before the first step") }
                    steps.append(LessonStep(title: text, line: line))
                default:
                    issue(line, "use '# ' for the lesson title and '## ' for steps; deeper headings are not shown")
                }
            } else if steps.isEmpty {
                if title == nil {
                    issue(line, "the lesson must start with its '# title'")
                } else {
                    issue(line, "text before the first step: put it under a '## ' step heading")
                }
            } else {
                readBlock(current, type: type, line: line, into: &steps[steps.count - 1])
            }
            node = cmark_node_next(current)
        }
        if title == nil && issues.isEmpty { issue(1, "the lesson has no '# title'") }
        if steps.count < 2 { issue(1, "a lesson needs at least two '## ' steps") }
        if let first = steps.first, first.scene == nil {
            issue(
                first.line,
                "the first step needs a ```scene block, so a learner who jumps here lands somewhere sensible")
        }
        if !steps.isEmpty && !steps.contains(where: { $0.task != nil }) {
            issue(1, "a lesson needs at least one ```task the app checks")
        }
        for step in steps where step.blocks.isEmpty {
            issue(step.line, "step '\(step.title)' has no text")
        }
        return Lesson(id: id, title: title ?? "", steps: steps, file: file)
    }

    mutating func readBlock(_ node: OpaquePointer, type: cmark_node_type, line: Int, into step: inout LessonStep) {
        switch type {
        case CMARK_NODE_PARAGRAPH:
            step.blocks.append(.paragraph(Self.runs(node)))
        case CMARK_NODE_LIST:
            var items: [[TextRun]] = []
            var item = cmark_node_first_child(node)
            while let current = item {
                var runs: [TextRun] = []
                var child = cmark_node_first_child(current)
                while let paragraph = child {
                    if !runs.isEmpty { runs.append(TextRun(" ")) }
                    runs += Self.runs(paragraph)
                    child = cmark_node_next(paragraph)
                }
                items.append(runs)
                item = cmark_node_next(current)
            }
            step.blocks.append(
                cmark_node_get_list_type(node) == CMARK_ORDERED_LIST ? .numberedList(items) : .bulletList(items))
        case CMARK_NODE_CODE_BLOCK:
            let info = String(cString: cmark_node_get_fence_info(node)).trimmingCharacters(in: .whitespaces)
            let body = String(cString: cmark_node_get_literal(node))
            let lines = Self.directiveLines(body, firstLine: line + 1)
            switch info {
            case "scene":
                if step.scene != nil { issue(line, "a step has at most one ```scene block") }
                if step.task != nil || !step.blocks.isEmpty {
                    issue(line, "put the ```scene block first in the step, before its text")
                }
                step.scene = readScene(lines)
            case "task":
                if step.task != nil { issue(line, "a step has at most one ```task block") }
                step.task = readTask(lines, line: line)
            case "quiz":
                if step.quiz != nil { issue(line, "a step has at most one ```quiz block") }
                step.quiz = readQuiz(lines, line: line)
            default:
                step.blocks.append(.code(body))
            }
        case CMARK_NODE_THEMATIC_BREAK:
            break
        default:
            issue(line, "this kind of block (quote, HTML or table) is not shown in lessons; use paragraphs and lists")
        }
    }

    // MARK: Directives

    struct Directive {
        var key: String
        var value: String
        var line: Int
    }

    static func directiveLines(_ body: String, firstLine: Int) -> [(text: String, line: Int)] {
        body.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : (trimmed, firstLine + index)
        }
    }

    mutating func keyValues(_ lines: [(text: String, line: Int)], block: String) -> [Directive] {
        var directives: [Directive] = []
        for (text, line) in lines {
            guard let colon = text.firstIndex(of: ":") else {
                issue(line, "'\(text)' in a ```\(block) block should be 'key: value'")
                continue
            }
            directives.append(
                Directive(
                    key: text[..<colon].trimmingCharacters(in: .whitespaces),
                    value: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces), line: line))
        }
        return directives
    }

    mutating func choose<T: RawRepresentable & CaseIterable>(_ value: String, _ key: String, line: Int) -> T?
    where T.RawValue == String {
        if let match = T(rawValue: value) { return match }
        issue(line, "'\(value)' is not a \(key); use one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
    }

    mutating func readScene(_ lines: [(text: String, line: Int)]) -> LessonScene {
        var scene = LessonScene()
        for directive in keyValues(lines, block: "scene") {
            let (value, line) = (directive.value, directive.line)
            switch directive.key {
            case "track":
                if let tracks, !tracks.contains(value) {
                    issue(line, "no track called '\(value)'; use one of: \(tracks.sorted().joined(separator: ", "))")
                }
                scene.track = value
            case "driver": scene.driver = choose(value, "driver", line: line) ?? scene.driver
            case "overlays":
                scene.overlays = Set(
                    value.split(separator: " ").compactMap { choose(String($0), "overlay", line: line) })
            case "view": scene.view = choose(value, "view", line: line) ?? scene.view
            case "race-type": scene.raceType = choose(value, "race type", line: line) ?? scene.raceType
            case "action-space": scene.actionSpace = choose(value, "action space", line: line) ?? scene.actionSpace
            case "panel": scene.panel = choose(value, "panel", line: line) ?? scene.panel
            case "reward":
                if !LessonScene.rewardFunctions.contains(value) {
                    issue(
                        line,
                        "no example reward function '\(value)'; use one of: \(LessonScene.rewardFunctions.joined(separator: ", "))"
                    )
                }
                scene.reward = value
            default:
                issue(
                    line,
                    "unknown scene key '\(directive.key)'; use track, driver, overlays, view, race-type, reward, action-space, panel"
                )
            }
        }
        return scene
    }

    mutating func readTask(_ lines: [(text: String, line: Int)], line: Int) -> LessonTask? {
        var check: LessonCheck?
        var hint: String?
        for directive in keyValues(lines, block: "task") {
            switch directive.key {
            case "check":
                switch LessonCheck.parse(directive.value) {
                case .success(let parsed): check = parsed
                case .failure(let error): issue(directive.line, error.message)
                }
            case "hint": hint = directive.value
            default: issue(directive.line, "unknown task key '\(directive.key)'; a task has 'check:' and 'hint:'")
            }
        }
        if hint?.isEmpty ?? true { issue(line, "the task needs a 'hint:' to show after a failed try") }
        guard let check else {
            if !lines.contains(where: { $0.text.hasPrefix("check:") }) { issue(line, "the task needs a 'check:'") }
            return nil
        }
        return LessonTask(check: check, hint: hint ?? "")
    }

    mutating func readQuiz(_ lines: [(text: String, line: Int)], line: Int) -> Quiz? {
        var question: String?
        var explanation: String?
        var choices: [String] = []
        var correct: [Int] = []
        for (text, at) in lines {
            if text.hasPrefix("- ") || text.hasPrefix("* ") {
                if text.hasPrefix("* ") { correct.append(choices.count) }
                choices.append(String(text.dropFirst(2)).trimmingCharacters(in: .whitespaces))
            } else if text.hasPrefix("question:") {
                question = String(text.dropFirst("question:".count)).trimmingCharacters(in: .whitespaces)
            } else if text.hasPrefix("explain:") {
                explanation = String(text.dropFirst("explain:".count)).trimmingCharacters(in: .whitespaces)
            } else {
                issue(
                    at, "'\(text)' in a ```quiz block: use 'question:', '- wrong choice', '* right choice', 'explain:'")
            }
        }
        if question?.isEmpty ?? true { issue(line, "the quiz needs a 'question:'") }
        if explanation?.isEmpty ?? true { issue(line, "the quiz needs an 'explain:' shown after an answer") }
        if !(2...5).contains(choices.count) { issue(line, "a quiz has two to five choices (it has \(choices.count))") }
        if correct.count != 1 { issue(line, "mark exactly one choice right with '* ' (\(correct.count) are marked)") }
        guard let question, let explanation, let right = correct.first, correct.count == 1 else { return nil }
        return Quiz(question: question, choices: choices, correctIndex: right, explanation: explanation)
    }

    // MARK: Inline text

    static func plainText(_ node: OpaquePointer) -> String {
        runs(node).map(\.text).joined()
    }

    static func runs(_ node: OpaquePointer, style: TextRun.Style = .plain) -> [TextRun] {
        var result: [TextRun] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            let type = cmark_node_get_type(current)
            switch type {
            case CMARK_NODE_TEXT:
                result.append(TextRun(String(cString: cmark_node_get_literal(current)), style))
            case CMARK_NODE_CODE:
                result.append(TextRun(String(cString: cmark_node_get_literal(current)), .code))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                result.append(TextRun(" ", style))
            case CMARK_NODE_STRONG:
                result += runs(current, style: .strong)
            case CMARK_NODE_EMPH:
                result += runs(current, style: style == .strong ? .strong : .emphasis)
            default:
                result += runs(current, style: style)
            }
            child = cmark_node_next(current)
        }
        // Joins neighbours of the same style, so text wraps as one run.
        return result.reduce(into: []) { joined, run in
            if let last = joined.last, last.style == run.style {
                joined[joined.count - 1].text += run.text
            } else {
                joined.append(run)
            }
        }
    }
}
