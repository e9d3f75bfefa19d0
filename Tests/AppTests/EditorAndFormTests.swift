import Foundation
import Reinforcement
import Simulator
import Testing

@testable import App

@Suite struct TextEditorStateTests {
    @Test func typingNewLinesKeepTheIndentAndAddOneAfterAColon() {
        var editor = TextEditorState(text: "")
        editor.insert("def reward_function(params):")
        editor.newLine()
        editor.insert("if params['all_wheels_on_track']:")
        editor.newLine()
        editor.insert("return 1.0")
        editor.newLine()
        #expect(
            editor.text
                == "def reward_function(params):\n    if params['all_wheels_on_track']:\n        return 1.0\n        ")
        // Backspace in the indent removes four spaces at a time, then joins lines.
        editor.backspace()
        #expect(editor.lines.last == "    ")
        editor.backspace()
        editor.backspace()
        #expect(editor.lines.count == 3)
        #expect(editor.column == "        return 1.0".count)
        #expect(editor.isModified)
    }

    @Test func movingAndDeletingAcrossLines() {
        var editor = TextEditorState(text: "ab\ncd")
        editor.move(.down)
        editor.move(.end)
        #expect(editor.line == 1 && editor.column == 2)
        editor.move(.right)
        #expect(editor.line == 1 && editor.column == 2, "the end of the text stops the cursor")
        editor.move(.home)
        editor.move(.left)
        #expect(editor.line == 0 && editor.column == 2)
        editor.deleteForward()
        #expect(editor.text == "abcd")
        editor.insert("\t")
        #expect(editor.text == "ab    cd")
        editor.place(line: 9, column: 99)
        #expect(editor.line == 0 && editor.column == 8)
        editor.scrollToCursor(visibleLines: 5)
        #expect(editor.firstVisibleLine == 0)
    }
    @Test func shiftMovesSelectAndTypingReplacesTheSelection() {
        var editor = TextEditorState(text: "return 1.0\nx")
        editor.move(.right)
        editor.move(.end, extendingSelection: true)
        #expect(editor.selectedText == "eturn 1.0")
        editor.move(.down, extendingSelection: true)
        #expect(editor.selectedText == "eturn 1.0\nx")
        editor.move(.left)
        #expect(editor.selection == nil && editor.cursor == TextPosition(line: 0, column: 1), "left goes to its start")
        editor.place(line: 0, column: 7)
        editor.place(line: 0, column: 10, extendingSelection: true)
        editor.insert("2")
        #expect(editor.text == "return 2\nx")
        editor.selectAll()
        #expect(editor.selectedText == editor.text)
        editor.backspace()
        #expect(editor.text == "" && editor.lines == [""])
    }

    @Test func pasteKeepsItsIndentationAndUndoTakesBackWholeEdits() {
        var editor = TextEditorState(text: "def reward_function(params):\n    ")
        editor.move(.documentEnd)
        editor.paste("if x:\n        return 1.0\r\n    return 0.0")
        #expect(editor.lines == ["def reward_function(params):", "    if x:", "        return 1.0", "    return 0.0"])
        #expect(editor.cursor == TextPosition(line: 3, column: 14))
        // Typing a word is one step to undo; the paste another.
        editor.insert("0")
        editor.insert("1")
        #expect(editor.lines[3] == "    return 0.001")
        editor.undo()
        #expect(editor.lines[3] == "    return 0.0")
        editor.undo()
        #expect(editor.text == "def reward_function(params):\n    ")
        #expect(!editor.isModified, "back to the text as loaded")
        editor.redo()
        #expect(editor.lines.count == 4 && editor.isModified)
        editor.undo()
        editor.insert("x")
        editor.redo()
        #expect(editor.text == "def reward_function(params):\n    x", "a new edit drops what could be redone")
    }

    @Test func theViewFollowsTheCursorAcrossLongLinesAndTheWheelScrollsFreely() {
        var editor = TextEditorState(
            text: (1...60).map { "line \($0) " + String(repeating: "=", count: $0) }.joined(separator: "\n"))
        editor.scrollToCursor(visibleLines: 20, visibleColumns: 40)
        #expect(editor.firstVisibleLine == 0 && editor.firstVisibleColumn == 0)
        editor.move(.documentEnd)
        editor.scrollToCursor(visibleLines: 20, visibleColumns: 40)
        #expect(editor.firstVisibleLine == 40, "the last line is in view")
        #expect(editor.column - editor.firstVisibleColumn < 40 && editor.firstVisibleColumn > 0)
        editor.move(.home)
        editor.move(.home)
        editor.scrollToCursor(visibleLines: 20, visibleColumns: 40)
        #expect(editor.firstVisibleColumn == 0)
        // The wheel moves the view, not the cursor, and the view stays put until the cursor moves.
        editor.scroll(lines: -15, visibleLines: 20)
        editor.scrollToCursor(visibleLines: 20, visibleColumns: 40)
        #expect(editor.firstVisibleLine == 25 && editor.line == 59)
        editor.scroll(lines: 100, visibleLines: 20)
        #expect(editor.firstVisibleLine == 40)
        editor.move(.pageUp(lines: 19))
        #expect(editor.line == 40)
    }
}

@Suite struct ModelFormTests {
    @Test func defaultsAreTheLessonDefaults() throws {
        let form = ModelForm(
            name: "m", tracks: ["beginner_loop", "s_bend_loop"], track: "s_bend_loop", customActions: [])
        let settings = try form.settings()
        #expect(settings.actionSpace == .paddockDefault)
        #expect(settings.hyperparameters == Hyperparameters())
        #expect(settings.hyperparameters.discountFactor == 0.999)
        #expect(settings.network == .paddockFast)
        #expect(form.track == "s_bend_loop")
    }

    /// Each new model gets its own seed (a room that keeps the defaults trains different
    /// models); the settings carry it into the model's description.
    @Test func eachNewModelHasItsOwnSeed() throws {
        let forms = (0..<5).map { _ in
            ModelForm(name: "m", tracks: ["beginner_loop"], track: "beginner_loop", customActions: [])
        }
        #expect(Set(forms.map(\.seed)).count > 1)
        for form in forms {
            #expect((1...999_999).contains(form.seed))
            #expect(try form.settings().seed == form.seed)
        }
        let chosen = ModelForm(name: "m", tracks: ["beginner_loop"], track: "beginner_loop", customActions: [], seed: 7)
        #expect(try chosen.settings().seed == 7)
    }

    @Test func sacForcesAContinuousSpaceAndItsOwnFields() throws {
        var form = ModelForm(name: "m", tracks: ["beginner_loop"], track: "beginner_loop", customActions: [])
        form.step(.algorithm, by: 1)
        #expect(form.value(.algorithm) == "SAC")
        #expect(form.value(.actionSpace) == "continuous")
        #expect(form.fields.contains(.sacAlpha) && !form.fields.contains(.epochs))
        let settings = try form.settings()
        #expect(settings.algorithm == .sac)
        #expect(settings.actionSpace == .continuous(steering: -30...30, speed: 0.5...1))
        #expect(settings.hyperparameters.episodesBetweenTraining == 1)
        // A minimum speed above the maximum is refused with a reason.
        form.step(.minimumSpeed, by: 2)
        #expect(throws: ActionSpaceError.self) { try form.settings() }
    }

    @Test func stepsWrapRoundAndFollowDeepRacersChoices() throws {
        var form = ModelForm(name: "m", tracks: ["beginner_loop"], track: "beginner_loop", customActions: [])
        form.step(.steeringGranularity, by: 1)
        form.step(.speedGranularity, by: 1)
        #expect(try form.settings().actionSpace.outputCount == 7 * 3)
        form.step(.batchSize, by: -2)
        #expect(form.value(.batchSize) == "512")
        form.step(.actionSpace, by: 1)
        #expect(form.value(.actionSpace) == "Actions panel")
        #expect(throws: ActionSpaceError.self) { try form.settings() }
    }
}
