import Assets
import CarExport
import Foundation
import Lessons
import Model
import Reinforcement
import RewardScript
import Simulator
import Workshop

/// The learner's reward function: the editor, saving and reloading it, the reward map.
extension AppModel {
    public func openRewardEditor() {
        editor = TextEditorState(text: (try? String(contentsOf: home.rewardFile, encoding: .utf8)) ?? "")
        editorError = Self.errorLine(loadLearnerReward().1)
        sheet = .rewardEditor
    }

    /// A click in the code (Shift+click or a drag selects from the cursor to there).
    public func placeEditorCursor(line: Int, column: Int, extendingSelection: Bool = false) {
        editor.place(line: line, column: column, extendingSelection: extendingSelection)
    }

    /// Keeps the cursor in view after it moved; the view says how many lines and columns fit.
    public func scrollEditorToCursor(visibleLines: Int, visibleColumns: Int) {
        editorVisibleLines = visibleLines
        editor.scrollToCursor(visibleLines: visibleLines, visibleColumns: visibleColumns)
    }

    /// The racing line of the track in view (computed once per track).
    public var racingLine: [Vector2] {
        let track = driving.track
        if let line = racingLines[track.id] { return line }
        let line = track.racingLine()
        racingLines[track.id] = line
        return line
    }

    /// Puts a reward function that follows the track's racing line on the clipboard, to paste
    /// into the editor.
    public func copyRacingLineReward() {
        clipboard.text = RacingLineReward.source(track: driving.track.id, line: racingLine)
        notice = "Copied a reward function with \(driving.track.id)'s racing line. Open Reward, Ctrl+A, Ctrl+V, Ctrl+S."
    }

    /// A click on a lesson's code: it goes on the clipboard, ready to paste into the editor.
    public func copyToClipboard(_ text: String) {
        clipboard.text = text
        notice = "Copied. Open the editor with Reward, select all (Ctrl+A) and paste (Ctrl+V)."
    }

    /// The mouse wheel over the editor: scrolls without moving the cursor.
    public func scrollEditor(lines: Int) {
        guard sheet == .rewardEditor else { return }
        editor.scroll(lines: lines, visibleLines: editorVisibleLines)
    }

    /// Types text into the editor or the form's name.
    public func typeText(_ text: String) {
        switch sheet {
        case .rewardEditor: editor.insert(text)
        case .workshop:
            guard workshop.client == nil else { return }
            workshop.fields[workshop.focus] += text.filter { !$0.isNewline }.prefix(60)
        case .newModel:
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
            form.name += text.filter { allowed.contains($0) }.prefix(max(0, 64 - form.name.count))
        default: break
        }
    }

    func editorKey(_ key: AppKey) {
        switch key {
        case .backspace: editor.backspace()
        case .deleteForward: editor.deleteForward()
        case .enter: editor.newLine()
        case .tab: editor.insert("    ")
        case .left: editor.move(.left)
        case .right: editor.move(.right)
        case .up: editor.move(.up)
        case .down: editor.move(.down)
        case .home: editor.move(.home)
        case .end: editor.move(.end)
        case .pageUp: editor.move(.pageUp(lines: editorPageLines))
        case .pageDown: editor.move(.pageDown(lines: editorPageLines))
        case .documentStart: editor.move(.documentStart)
        case .documentEnd: editor.move(.documentEnd)
        case .extendSelection(let movement): editor.move(movement, extendingSelection: true)
        case .selectAll: editor.selectAll()
        case .copy:
            if editor.selection != nil { clipboard.text = editor.selectedText }
        case .cut:
            guard editor.selection != nil else { return }
            clipboard.text = editor.selectedText
            editor.deleteSelection()
        case .paste:
            if let text = clipboard.text { editor.paste(text) }
        case .undo: editor.undo()
        case .redo: editor.redo()
        case .save: saveReward()
        default: break
        }
    }

    /// How far Page Up and Page Down move: the lines the editor showed, less one for context.
    var editorPageLines: Int { max(1, editorVisibleLines - 1) }

    /// Writes the editor's text to the learner's reward file (atomically) and loads it.
    public func saveReward() {
        do {
            try FileManager.default.createDirectory(at: home.url, withIntermediateDirectories: true)
            try AtomicFile.write(editor.text + (editor.text.hasSuffix("\n") ? "" : "\n"), to: home.rewardFile)
        } catch {
            notice = "Could not save \(home.rewardFile.path): \(error)"
            return
        }
        editor.markSaved()
        rewardFileDate = modificationDate(home.rewardFile)
        let (function, error) = loadLearnerReward()
        editorError = Self.errorLine(error)
        if let line = editorError?.line { editor.place(line: line - 1, column: editor.column) }
        if usesLearnerReward { driving.setReward(function, error: error?.description) }
        record(.rewardSaved(loads: function != nil, changed: learnerRewardChangedThisStep))
        notice =
            function != nil ? "Saved and loaded: the car uses it from the next step." : "Saved, but it has an error."
    }

    /// Whether the learner's reward file differs from what it held when this step opened (saving
    /// it unchanged does not do a task that asks for a new function).
    var learnerRewardChangedThisStep: Bool {
        (try? String(contentsOf: home.rewardFile, encoding: .utf8)) != rewardSourceAtStepStart
    }

    func loadLearnerReward() -> (RewardFunction?, RewardError?) {
        do {
            return (try RewardFunction(contentsOf: home.rewardFile), nil)
        } catch {
            return (nil, error)
        }
    }

    /// The reward map's key: the track and the reward function's text.
    var rewardMapKey: String? {
        guard let reward = driving.reward else { return nil }
        return "\(driving.track.id)|\(reward.fileName)|\(reward.source.hashValue)"
    }

    /// Starts computing the reward map when it is shown and out of date. The learner's Python
    /// runs over every cell of the road (thousands of calls), so it runs in its own compiled copy
    /// of the function, on a thread of its own, never inside a frame.
    func refreshRewardMap() {
        guard overlays.contains(.rewardMap), let key = rewardMapKey, let reward = driving.reward,
            rewardMap?.key != key, rewardMapPending != key
        else { return }
        rewardMapPending = key
        let (source, fileName, track) = (reward.source, reward.fileName, driving.track)
        jobs.start {
            try RewardMap.compute(
                function: try RewardFunction(source: source, fileName: fileName), track: track, resolution: 0.05)
        } then: { model, result in
            if model.rewardMapPending == key { model.rewardMapPending = nil }
            // A function that fails shows no map; the editor and the params panel say why.
            if case .success(let map) = result { model.rewardMap = (key, map) }
        }
    }

    /// Waits (up to `timeout` seconds) for a reward map being computed: a screenshot shows the
    /// map the window would show a moment later.
    public func waitForRewardMap(timeout: Double = 30) {
        refreshRewardMap()
        let deadline = Date().addingTimeInterval(timeout)
        while rewardMapPending != nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            jobs.deliver(to: self)
        }
    }

    func loadReward() -> (RewardFunction?, String?) {
        let url =
            usesLearnerReward
            ? home.rewardFile : dataDirectory.root.appendingPathComponent("assets/reward_functions/\(scene.reward)")
        do {
            return (try RewardFunction(contentsOf: url), nil)
        } catch {
            return (nil, error.description)
        }
    }

    func modificationDate(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    /// Reloads the learner's reward function when its file changed on disk.
    public func reloadRewardIfChanged() {
        let date = modificationDate(home.rewardFile)
        guard date != rewardFileDate else { return }
        rewardFileDate = date
        if sheet == .rewardEditor && !editor.isModified {
            editor = TextEditorState(text: (try? String(contentsOf: home.rewardFile, encoding: .utf8)) ?? "")
            editorError = Self.errorLine(loadLearnerReward().1)
        }
        guard usesLearnerReward else { return }
        let (function, error) = loadReward()
        driving.setReward(function, error: error)
        record(.rewardSaved(loads: function != nil, changed: learnerRewardChangedThisStep))
        notice = function != nil ? "Reloaded your reward function." : "Your reward function has an error: see below."
    }

    func currentRewardSource() -> String {
        let url =
            usesLearnerReward
            ? home.rewardFile : dataDirectory.root.appendingPathComponent("assets/reward_functions/\(scene.reward)")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// The line (if any) and message the editor shows for a reward function's error.
    static func errorLine(_ error: RewardError?) -> (line: Int?, message: String)? {
        guard let error else { return nil }
        switch error {
        case .syntax(_, let line, _, _, _): return (line, error.description)
        case .exception(_, let line, _, _, _, _): return (line, error.description)
        case .wrongSignature(_, let line, _): return (line, error.description)
        case .timeout(_, _, let line), .loadTimeout(_, _, let line): return (line, error.description)
        default: return (nil, error.description)
        }
    }
}
