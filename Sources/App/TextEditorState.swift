/// A small code editor's text and cursor: typing, new lines that keep the indent, deleting,
/// moving, and the line an error points at. Knows nothing of drawing.
public struct TextEditorState: Sendable, Equatable {
    public private(set) var lines: [String]
    public private(set) var line = 0
    public private(set) var column = 0
    /// The first line shown (the view scrolls to keep the cursor in sight).
    public var firstVisibleLine = 0
    /// Whether the text differs from what was last loaded or saved.
    public private(set) var isModified = false

    public init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.isEmpty { lines = [""] }
    }

    public var text: String { lines.joined(separator: "\n") }

    public enum Movement: Sendable { case left, right, up, down, home, end }

    /// Types `text` at the cursor (a tab becomes four spaces).
    public mutating func insert(_ text: String) {
        for character in text {
            if character == "\n" || character == "\r" {
                newLine()
            } else if character == "\t" {
                insert("    ")
            } else {
                var current = Array(lines[line])
                current.insert(character, at: column)
                lines[line] = String(current)
                column += 1
            }
        }
        isModified = true
    }

    /// Splits the line at the cursor; the new line keeps the indent, and one more after a colon.
    public mutating func newLine() {
        let current = Array(lines[line])
        let before = String(current[..<column])
        let after = String(current[column...])
        var indent = String(before.prefix { $0 == " " })
        if before.trimmingTrailingSpaces.hasSuffix(":") { indent += "    " }
        lines[line] = before
        lines.insert(indent + after, at: line + 1)
        line += 1
        column = indent.count
        isModified = true
    }

    /// Deletes the character before the cursor (joining lines at the start of one).
    public mutating func backspace() {
        if column > 0 {
            var current = Array(lines[line])
            // Inside leading spaces, delete back to the previous multiple of four.
            let leading = current.prefix { $0 == " " }.count
            let count = column <= leading && column % 4 == 0 ? min(4, column) : 1
            current.removeSubrange((column - count)..<column)
            lines[line] = String(current)
            column -= count
        } else if line > 0 {
            column = lines[line - 1].count
            lines[line - 1] += lines[line]
            lines.remove(at: line)
            line -= 1
        } else {
            return
        }
        isModified = true
    }

    /// Deletes the character after the cursor (joining with the next line at the end of one).
    public mutating func deleteForward() {
        if column < lines[line].count {
            var current = Array(lines[line])
            current.remove(at: column)
            lines[line] = String(current)
        } else if line + 1 < lines.count {
            lines[line] += lines[line + 1]
            lines.remove(at: line + 1)
        } else {
            return
        }
        isModified = true
    }

    public mutating func move(_ movement: Movement) {
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
        case .up:
            if line > 0 {
                line -= 1
                column = min(column, lines[line].count)
            }
        case .down:
            if line + 1 < lines.count {
                line += 1
                column = min(column, lines[line].count)
            }
        case .home: column = 0
        case .end: column = lines[line].count
        }
    }

    /// Puts the cursor at a line (0-based) and column, clamped.
    public mutating func place(line: Int, column: Int) {
        self.line = min(max(line, 0), lines.count - 1)
        self.column = min(max(column, 0), lines[self.line].count)
    }

    /// After a save: the text on disk is this text.
    public mutating func markSaved() { isModified = false }

    /// Keeps the cursor within `visibleLines` lines from `firstVisibleLine`.
    public mutating func scrollToCursor(visibleLines: Int) {
        if line < firstVisibleLine { firstVisibleLine = line }
        if line >= firstVisibleLine + visibleLines { firstVisibleLine = line - visibleLines + 1 }
        firstVisibleLine = max(0, firstVisibleLine)
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
