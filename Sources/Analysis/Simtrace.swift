/// A DeepRacer simtrace CSV read whole for analysis: one array per column.
///
/// Columns are found by name, so the console's 17-column files, DeepRacer for Cloud's and
/// Paddock's own all read, and so do older ones without `episode_status` or `pause_duration`.
/// `episode`, `steps`, `X`, `Y`, `reward` and `progress` must be there; any other column may be
/// missing (its values are then `nan`, `false`, -1 or empty). A continuous action is written
/// `[steer speed]`; its index is -1.
public struct Simtrace: Sendable, Equatable {
    public var episode: [Int] = []
    /// The row's step number as written (1 for the `prepare` step).
    public var step: [Double] = []
    /// The reward params' reference point, metres.
    public var x: [Double] = []
    public var y: [Double] = []
    /// Heading, degrees.
    public var yaw: [Double] = []
    /// Commanded steering angle, degrees (+ is left).
    public var steer: [Double] = []
    /// Commanded speed, metres per second.
    public var throttle: [Double] = []
    /// The discrete action's index; -1 for a continuous action or no `action` column.
    public var action: [Int] = []
    public var reward: [Double] = []
    public var allWheelsOnTrack: [Bool] = []
    /// Percent of the lap.
    public var progress: [Double] = []
    public var closestWaypoint: [Int] = []
    /// Simulated time, seconds.
    public var time: [Double] = []
    /// `prepare`, `in_progress`, `off_track`, `lap_complete`, ... (empty without the column).
    public var status: [String] = []
    /// The track length the file names (`track_len` of its first row), metres.
    public var trackLength: Double?
    /// The file it was read from, for messages.
    public var sourcePath = ""

    /// The columns every simtrace must have.
    public static let requiredColumns = ["episode", "steps", "X", "Y", "reward", "progress"]

    public init() {}

    /// The number of rows.
    public var count: Int { episode.count }

    /// Whether every action is continuous (or none is named).
    public var isContinuous: Bool { !action.contains { $0 >= 0 } }

    /// Reads a simtrace's bytes.
    ///
    /// - Parameter path: named in errors.
    /// - Throws: `AnalysisError.badSimtrace` naming the file, line and column of anything it
    ///   cannot read.
    public init(csv bytes: [UInt8], path: String) throws(AnalysisError) {
        sourcePath = path
        var lines = CSVLines(bytes: bytes)
        guard let headerLine = lines.next() else {
            throw .badSimtrace(path: path, line: 1, reason: "the file is empty; expected a header and rows")
        }
        let header = CSVLines.fields(bytes, headerLine).map { String(decoding: bytes[$0], as: UTF8.self) }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            let name = name.trimmingCharacters(in: " \t\r\u{FEFF}")
            if index[name] == nil { index[name] = i }
        }
        let missing = Self.requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw .badSimtrace(
                path: path, line: 1,
                reason: "the header has no \(missing.joined(separator: ", ")) column; expected DeepRacer's simtrace "
                    + "columns (episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,"
                    + "progress,closest_waypoint,track_len,tstamp,episode_status)")
        }
        let columnNames = [
            "episode", "steps", "X", "Y", "yaw", "steer", "throttle", "action", "reward", "all_wheels_on_track",
            "progress", "closest_waypoint", "tstamp", "episode_status", "track_len",
        ]
        let columns = columnNames.map { index[$0] ?? -1 }
        let needed = columns.max() ?? 0
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            let fields = CSVLines.fields(bytes, line)
            if fields.count == 1 && fields[0].isEmpty { continue }
            guard fields.count > needed || fields.count >= header.count else {
                throw .badSimtrace(
                    path: path, line: lineNumber,
                    reason:
                        "it has \(fields.count) fields where the header has \(header.count); the file may be cut short")
            }
            func text(_ k: Int) -> ArraySlice<UInt8> {
                columns[k] >= 0 && columns[k] < fields.count ? bytes[fields[columns[k]]] : []
            }
            func number(_ k: Int, required: Bool) throws(AnalysisError) -> Double {
                let field = text(k)
                if let value = CSVLines.double(field) { return value }
                if !required && (field.isEmpty || CSVLines.isNaN(field)) { return .nan }
                throw .badSimtrace(
                    path: path, line: lineNumber,
                    reason: "column \(columnNames[k]) holds '\(String(decoding: field, as: UTF8.self))', not a number")
            }
            let episodeValue = try number(0, required: true)
            guard let episodeNumber = Int(exactly: episodeValue) else {
                throw .badSimtrace(
                    path: path, line: lineNumber, reason: "the episode number \(episodeValue) is not whole")
            }
            episode.append(episodeNumber)
            step.append(try number(1, required: true))
            x.append(try number(2, required: false))
            y.append(try number(3, required: false))
            yaw.append(try number(4, required: false))
            steer.append(try number(5, required: false))
            throttle.append(try number(6, required: false))
            let actionText = text(7)
            action.append(CSVLines.double(actionText).flatMap { Int(exactly: $0) } ?? -1)
            reward.append(try number(8, required: true))
            allWheelsOnTrack.append(CSVLines.isTrue(text(9)))
            progress.append(try number(10, required: true))
            closestWaypoint.append(CSVLines.double(text(11)).flatMap { Int(exactly: $0) } ?? -1)
            time.append(try number(12, required: false))
            status.append(String(decoding: text(13), as: UTF8.self))
            if trackLength == nil, columns[14] >= 0 { trackLength = CSVLines.double(text(14)) }
        }
    }

    /// The rows of each episode, in order: a new episode starts where the episode number
    /// changes or the step number falls back.
    public var episodes: [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for i in 1..<max(count, 1) where episode[i] != episode[i - 1] || step[i] < step[i - 1] {
            ranges.append(start..<i)
            start = i
        }
        if count > 0 { ranges.append(start..<count) }
        return ranges
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
