/// A place in the editor's text: a line (0-based) and a column (characters from its start).
public struct TextPosition: Sendable, Equatable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: TextPosition, b: TextPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A small code editor's text, cursor and selection: typing, new lines that keep the indent,
/// deleting, moving (with Shift, selecting), copying what is selected, undo and redo, and
/// which part of the text is in view. Knows nothing of drawing or of the system clipboard.
public struct TextEditorState: Sendable, Equatable {
    public private(set) var lines: [String]
    public private(set) var line = 0
    public private(set) var column = 0
    /// The other end of the selection, when there is one (the cursor is the end that moves).
    public private(set) var anchor: TextPosition?
    /// The first line and column shown (the view follows the cursor, and the mouse wheel).
    public var firstVisibleLine = 0
    public var firstVisibleColumn = 0
    /// The text when it was last loaded or saved.
    private var savedLines: [String]
    /// Whether the cursor moved since the view last scrolled to it.
    private var cursorMoved = true

    private struct Snapshot: Sendable, Equatable {
        var lines: [String]
        var cursor: TextPosition
    }
    private enum EditKind: Sendable, Equatable { case typing, deleting, other }
    private var undoStack: [Snapshot] = []
    private var redoStack: [Snapshot] = []
    /// The kind of the last edit, while the next one of the same kind joins its undo step.
    private var lastEdit: EditKind?
    private static let undoLimit = 500

    public init(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.isEmpty { lines = [""] }
        self.lines = lines
        savedLines = lines
    }

    public var text: String { lines.joined(separator: "\n") }

    /// Whether the text differs from what was last loaded or saved.
    public var isModified: Bool { lines != savedLines }

    public var cursor: TextPosition { TextPosition(line: line, column: column) }

    /// The selected range, start before end; nil when nothing is selected.
    public var selection: (start: TextPosition, end: TextPosition)? {
        guard let anchor, anchor != cursor else { return nil }
        return (min(anchor, cursor), max(anchor, cursor))
    }

    public var selectedText: String {
        guard let (start, end) = selection else { return "" }
        if start.line == end.line { return Self.slice(lines[start.line], start.column, end.column) }
        var parts = [Self.slice(lines[start.line], start.column, lines[start.line].count)]
        parts += lines[(start.line + 1)..<end.line]
        parts.append(Self.slice(lines[end.line], 0, end.column))
        return parts.joined(separator: "\n")
    }

    public enum Movement: Sendable, Equatable {
        case left, right, up, down, home, end
        case pageUp(lines: Int), pageDown(lines: Int)
        case documentStart, documentEnd
    }

    // MARK: Editing

    /// Types `text` at the cursor, replacing the selection: a new line keeps the indent (one
    /// more after a colon) and a tab becomes four spaces. Characters typed one after another
    /// are one step for undo.
    public mutating func insert(_ text: String) {
        guard !text.isEmpty else { return }
        beginEdit(text.count == 1 && !text.contains(where: \.isNewline) ? .typing : .other)
        deleteSelectionText()
        for character in text {
            if character.isNewline {
                splitLine()
            } else {
                insertRaw(character == "\t" ? "    " : String(character))
            }
        }
        cursorMoved = true
    }

    /// Pastes `text` at the cursor, replacing the selection, as it is: its own indentation and
    /// line breaks are kept.
    public mutating func paste(_ text: String) {
        let text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\t", with: "    ")
        guard !text.isEmpty else { return }
        beginEdit(.other)
        deleteSelectionText()
        insertRaw(text)
        cursorMoved = true
    }

    /// Splits the line at the cursor; the new line keeps the indent, and one more after a colon.
    public mutating func newLine() { insert("\n") }

    /// Deletes the selection, or the character before the cursor (joining lines at the start of
    /// one; inside leading spaces, back to the previous multiple of four).
    public mutating func backspace() {
        if selection != nil { return deleteSelection() }
        guard column > 0 || line > 0 else { return }
        beginEdit(.deleting)
        if column > 0 {
            var current = Array(lines[line])
            let leading = current.prefix { $0 == " " }.count
            let count = column <= leading && column % 4 == 0 ? min(4, column) : 1
            current.removeSubrange((column - count)..<column)
            lines[line] = String(current)
            column -= count
        } else {
            column = lines[line - 1].count
            lines[line - 1] += lines[line]
            lines.remove(at: line)
            line -= 1
        }
        cursorMoved = true
    }

    /// Deletes the selection, or the character after the cursor (joining with the next line at
    /// the end of one).
    public mutating func deleteForward() {
        if selection != nil { return deleteSelection() }
        guard column < lines[line].count || line + 1 < lines.count else { return }
        beginEdit(.deleting)
        if column < lines[line].count {
            var current = Array(lines[line])
            current.remove(at: column)
            lines[line] = String(current)
        } else {
            lines[line] += lines[line + 1]
            lines.remove(at: line + 1)
        }
        cursorMoved = true
    }

    /// Deletes the selected text (cut, once it is on the clipboard).
    public mutating func deleteSelection() {
        guard selection != nil else { return }
        beginEdit(.other)
        deleteSelectionText()
        cursorMoved = true
    }

    /// Takes back the last edit (typing a run of characters is one edit).
    public mutating func undo() {
        guard let snapshot = undoStack.popLast() else { return }
        redoStack.append(Snapshot(lines: lines, cursor: cursor))
        restore(snapshot)
    }

    /// Does again what undo took back.
    public mutating func redo() {
        guard let snapshot = redoStack.popLast() else { return }
        undoStack.append(Snapshot(lines: lines, cursor: cursor))
        restore(snapshot)
    }

    public var canUndo: Bool { !undoStack.isEmpty }

    // MARK: Moving and selecting

    /// Moves the cursor; with `extendingSelection` the selection grows from where it was,
    /// otherwise it is dropped (left and right then go to its edge, as editors do).
    public mutating func move(_ movement: Movement, extendingSelection: Bool = false) {
        lastEdit = nil
        cursorMoved = true
        if extendingSelection {
            if anchor == nil { anchor = cursor }
        } else if let (start, end) = selection {
            anchor = nil
            if movement == .left || movement == .right {
                let edge = movement == .left ? start : end
                (line, column) = (edge.line, edge.column)
                return
            }
        } else {
            anchor = nil
        }
        switch movement {
        case .left:
            if column > 0 {
                column -= 1
            } else if line > 0 {
                line -= 1
                column = lines[line].count
            }
        case .right:
            if column < lines[line].count {
                column += 1
            } else if line + 1 < lines.count {
                line += 1
                column = 0
            }
        case .up: moveLines(by: -1)
        case .down: moveLines(by: 1)
        case .pageUp(let count): moveLines(by: -max(1, count))
        case .pageDown(let count): moveLines(by: max(1, count))
        case .home:
            // Home goes to the first character of the code, then to the line's start.
            let indent = lines[line].prefix { $0 == " " }.count
            column = column == indent ? 0 : indent
        case .end: column = lines[line].count
        case .documentStart: (line, column) = (0, 0)
        case .documentEnd: (line, column) = (lines.count - 1, lines[lines.count - 1].count)
        }
    }

    /// Puts the cursor at a line (0-based) and column, clamped; with `extendingSelection`
    /// (Shift+click, or dragging) the selection runs from where it was to there.
    public mutating func place(line: Int, column: Int, extendingSelection: Bool = false) {
        lastEdit = nil
        if extendingSelection {
            if anchor == nil { anchor = cursor }
        } else {
            anchor = nil
        }
        self.line = min(max(line, 0), lines.count - 1)
        self.column = min(max(column, 0), lines[self.line].count)
        cursorMoved = true
    }

    public mutating func selectAll() {
        lastEdit = nil
        anchor = TextPosition(line: 0, column: 0)
        (line, column) = (lines.count - 1, lines[lines.count - 1].count)
        cursorMoved = true
    }

    /// After a save: the text on disk is this text.
    public mutating func markSaved() { savedLines = lines }

    // MARK: Scrolling

    /// Scrolls so the cursor is within `visibleLines` lines and `visibleColumns` columns of the
    /// first ones shown, once after each move or edit (so the mouse wheel can look elsewhere).
    public mutating func scrollToCursor(visibleLines: Int, visibleColumns: Int = .max) {
        guard cursorMoved else { return }
        cursorMoved = false
        if line < firstVisibleLine { firstVisibleLine = line }
        if line >= firstVisibleLine + visibleLines { firstVisibleLine = line - visibleLines + 1 }
        firstVisibleLine = max(0, firstVisibleLine)
        if column < firstVisibleColumn { firstVisibleColumn = max(0, column - 8) }
        if visibleColumns != .max && column >= firstVisibleColumn + visibleColumns {
            firstVisibleColumn = column - visibleColumns + 8
        }
    }

    /// Scrolls the view by `count` lines (the mouse wheel), leaving the cursor where it is.
    public mutating func scroll(lines count: Int, visibleLines: Int) {
        let last = max(0, lines.count - visibleLines)
        firstVisibleLine = min(max(0, firstVisibleLine + count), last)
    }

    // MARK: Private

    /// Records the text before an edit for undo, unless this edit continues the last one
    /// (characters typed, or deleted, one after another).
    private mutating func beginEdit(_ kind: EditKind) {
        redoStack.removeAll()
        if kind == .other || kind != lastEdit || undoStack.isEmpty {
            undoStack.append(Snapshot(lines: lines, cursor: cursor))
            if undoStack.count > Self.undoLimit { undoStack.removeFirst() }
        }
        lastEdit = kind == .other ? nil : kind
    }

    private mutating func restore(_ snapshot: Snapshot) {
        lines = snapshot.lines
        (line, column) = (snapshot.cursor.line, snapshot.cursor.column)
        anchor = nil
        lastEdit = nil
        cursorMoved = true
    }

    private mutating func deleteSelectionText() {
        guard let (start, end) = selection else {
            anchor = nil
            return
        }
        let head = Self.slice(lines[start.line], 0, start.column)
        let tail = Self.slice(lines[end.line], end.column, lines[end.line].count)
        lines.replaceSubrange(start.line...end.line, with: [head + tail])
        (line, column) = (start.line, start.column)
        anchor = nil
    }

    /// Inserts text as it is, new lines included, and leaves the cursor after it.
    private mutating func insertRaw(_ text: String) {
        let current = lines[line]
        let head = Self.slice(current, 0, column)
        let tail = Self.slice(current, column, current.count)
        let pieces = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var inserted = pieces
        inserted[0] = head + inserted[0]
        let lastIndex = inserted.count - 1
        let newColumn = inserted[lastIndex].count
        inserted[lastIndex] += tail
        lines.replaceSubrange(line...line, with: inserted)
        line += lastIndex
        column = newColumn
    }

    private mutating func splitLine() {
        let current = Array(lines[line])
        let before = String(current[..<column])
        let after = String(current[column...])
        var indent = String(before.prefix { $0 == " " })
        if before.trimmingTrailingSpaces.hasSuffix(":") { indent += "    " }
        lines[line] = before
        lines.insert(indent + after, at: line + 1)
        line += 1
        column = indent.count
    }

    private mutating func moveLines(by delta: Int) {
        line = min(max(line + delta, 0), lines.count - 1)
        column = min(column, lines[line].count)
    }

    private static func slice(_ text: String, _ from: Int, _ to: Int) -> String {
        let start = text.index(text.startIndex, offsetBy: min(from, text.count))
        let end = text.index(text.startIndex, offsetBy: min(to, text.count))
        return String(text[start..<end])
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
