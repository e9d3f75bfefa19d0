/// The text of one simtrace CSV file (one policy-update iteration), as DeepRacer writes it:
/// the header line, then one line per step.
public struct SimtraceLog: Sendable, Equatable {
    public private(set) var rows: [SimtraceRow] = []

    public init() {}

    public mutating func append(_ row: SimtraceRow) {
        rows.append(row)
    }

    /// The whole file: header and rows, each line ending in a newline.
    public var text: String {
        var text = SimtraceRow.header + "\n"
        for row in rows { text += row.line + "\n" }
        return text
    }

    /// The file name DeepRacer uses for iteration `iteration` (from 0): `<N>-iteration.csv`.
    public static func fileName(iteration: Int) -> String {
        "\(iteration)-iteration.csv"
    }
}
