/// The motion a simtrace recorded: each step's pose, command, time and status, read from a
/// DeepRacer simtrace CSV (the console's, DeepRacer for Cloud's or Paddock's own).
///
/// Columns are found by name (`episode`, `steps`, `X`, `Y`, `yaw`, `steer`, `throttle`, `tstamp`,
/// `episode_status`); others are ignored. A pose may be blank or `nan` (unknown).
public struct RecordedDrive: Sendable, Equatable {
    /// One row of the trace.
    public struct Step: Sendable, Equatable {
        public var episode: Int
        /// The row's step number as written (1.0 for the `prepare` step).
        public var step: Double
        /// The reward params' reference point (0.14 m ahead of base_link), metres.
        public var x: Double
        public var y: Double
        /// Heading, degrees counter-clockwise from +x.
        public var yawDegrees: Double
        /// Commanded steering, degrees (+ is left).
        public var steeringAngle: Double
        /// Commanded speed, metres per second.
        public var speed: Double
        /// Simulated time, seconds.
        public var time: Double
        /// `in_progress`, `prepare`, `pause`, `off_track`, ...
        public var status: String

        public init(
            episode: Int, step: Double, x: Double, y: Double, yawDegrees: Double, steeringAngle: Double, speed: Double,
            time: Double, status: String
        ) {
            self.episode = episode
            self.step = step
            self.x = x
            self.y = y
            self.yawDegrees = yawDegrees
            self.steeringAngle = steeringAngle
            self.speed = speed
            self.time = time
            self.status = status
        }

        /// Whether the car was held this step (DeepRacer's `prepare` and `pause`): no command acts.
        public var isHeld: Bool { status == "prepare" || status == "pause" }

        /// Whether the pose is known.
        public var hasPose: Bool { x.isFinite && y.isFinite && yawDegrees.isFinite }

        /// The car's base_link pose this row records (the reference point is 0.14 m ahead of it).
        public var car: CarState {
            let heading = yawDegrees * .pi / 180
            return CarState(
                position: Vector2(x, y) - Vector2(angle: heading) * CarGeometry.referencePointX, heading: heading)
        }
    }

    public var steps: [Step]
    /// The track's length the trace names (its `track_len` column), metres, when it has one.
    public var trackLength: Double?

    public init(steps: [Step], trackLength: Double? = nil) {
        self.steps = steps
        self.trackLength = trackLength
    }

    /// The columns a trace must have.
    public static let requiredColumns = [
        "episode", "steps", "X", "Y", "yaw", "steer", "throttle", "tstamp", "episode_status",
    ]

    /// Reads a simtrace CSV's text.
    ///
    /// - Throws: `RecordedDriveError` naming the line and column of anything it cannot read.
    public init(csv text: String) throws(RecordedDriveError) {
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
        guard !lines.isEmpty else { throw .empty }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingWhitespace()
        }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        let missing = Self.requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else { throw .missingColumns(missing) }
        func column(_ name: String) -> Int { index[name] ?? 0 }
        let columns = Self.requiredColumns.map(column)
        var steps: [Step] = []
        steps.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 2
            let fields = Self.fields(line)
            guard fields.count > (columns.max() ?? 0) else {
                throw .shortLine(line: lineNumber, fields: fields.count, expected: header.count)
            }
            func number(_ k: Int, allowBlank: Bool) throws(RecordedDriveError) -> Double {
                let text = fields[columns[k]].trimmingWhitespace()
                if allowBlank && (text.isEmpty || text.lowercased() == "nan") { return .nan }
                guard let value = Double(text) else {
                    throw .badNumber(line: lineNumber, column: Self.requiredColumns[k], text: String(text))
                }
                return value
            }
            let episode = try number(0, allowBlank: false)
            guard let episodeNumber = Int(exactly: episode.rounded()) else {
                throw .badNumber(line: lineNumber, column: "episode", text: String(fields[columns[0]]))
            }
            steps.append(
                Step(
                    episode: episodeNumber, step: try number(1, allowBlank: false), x: try number(2, allowBlank: true),
                    y: try number(3, allowBlank: true), yawDegrees: try number(4, allowBlank: true),
                    steeringAngle: try number(5, allowBlank: false), speed: try number(6, allowBlank: false),
                    time: try number(7, allowBlank: true), status: fields[columns[8]].trimmingWhitespace()))
        }
        self.steps = steps
        if let column = index["track_len"], let first = lines.first {
            let fields = Self.fields(first)
            trackLength = column < fields.count ? Double(fields[column].trimmingWhitespace()) : nil
        }
    }

    /// The rows of each episode, in order: a new episode starts where the episode number changes
    /// or the step number falls.
    public var episodes: [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for i in steps.indices.dropFirst()
        where steps[i].episode != steps[i - 1].episode || steps[i].step <= steps[i - 1].step {
            ranges.append(start..<i)
            start = i
        }
        if !steps.isEmpty { ranges.append(start..<steps.count) }
        return ranges
    }

    /// A CSV line's fields; a field in square brackets (a continuous action, `[steer speed]`) or
    /// quotes may hold commas.
    static func fields(_ line: Substring) -> [Substring] {
        var fields: [Substring] = []
        var start = line.startIndex
        var depth = 0
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            switch line[i] {
            case "\"": quoted.toggle()
            case "[" where !quoted: depth += 1
            case "]" where !quoted: depth = max(depth - 1, 0)
            case "," where !quoted && depth == 0:
                fields.append(line[start..<i])
                start = line.index(after: i)
            default: break
            }
            i = line.index(after: i)
        }
        fields.append(line[start..<line.endIndex])
        return fields
    }
}

/// What was wrong with a simtrace, in words a user can act on.
public enum RecordedDriveError: Error, Equatable, CustomStringConvertible {
    case empty
    case missingColumns([String])
    case shortLine(line: Int, fields: Int, expected: Int)
    case badNumber(line: Int, column: String, text: String)

    public var description: String {
        switch self {
        case .empty: return "the simtrace is empty: expected a header line and rows of a DeepRacer simtrace CSV"
        case .missingColumns(let names):
            return "the simtrace's header has no \(names.joined(separator: ", ")) column: "
                + "expected DeepRacer's simtrace columns (\(RecordedDrive.requiredColumns.joined(separator: ",")), ...)"
        case .shortLine(let line, let fields, let expected):
            return "line \(line) has \(fields) fields where the header has \(expected): the file may be cut short"
        case .badNumber(let line, let column, let text):
            return "line \(line), column \(column): '\(text)' is not a number"
        }
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
