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
