/// One row of a DeepRacer simtrace CSV, formatted as the DeepRacer simulator writes it.
///
/// The simulator writes `str()` of each Python value: floats in their shortest round-trip form
/// (`1.0`, `0.30000000000000004`), booleans as `True`/`False`, `steps` as a float. The 17
/// columns are the set deepracer-utils reads.
public struct SimtraceRow: Sendable, Equatable {
    /// The header line (without the newline).
    public static let header =
        "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration"

    public var episode: Int
    public var steps: Int
    public var x: Double
    public var y: Double
    /// Heading, degrees.
    public var yaw: Double
    /// Commanded steering, degrees.
    public var steer: Double
    /// Commanded speed, metres per second.
    public var throttle: Double
    /// The discrete action's index, or nil for a continuous action (written `[steer speed]`).
    public var actionIndex: Int?
    public var reward: Double
    public var done: Bool
    public var allWheelsOnTrack: Bool
    public var progress: Double
    public var closestWaypoint: Int
    public var trackLength: Double
    /// Simulated time, seconds.
    public var timestamp: Double
    public var status: EpisodeStatus
    public var pauseDuration: Double

    /// The row for a step's result.
    public init(episode: Int, result: StepResult, reward: Double, actionIndex: Int?) {
        self.episode = episode
        self.steps = result.params.steps
        self.x = result.params.x
        self.y = result.params.y
        self.yaw = result.params.heading
        self.steer = result.action.steeringAngle
        self.throttle = result.action.speed
        self.actionIndex = actionIndex
        self.reward = reward
        self.done = result.isDone
        self.allWheelsOnTrack = result.params.allWheelsOnTrack
        self.progress = result.params.progress
        self.closestWaypoint = result.closestWaypoint
        self.trackLength = result.params.trackLength
        self.timestamp = result.simulatedTime
        self.status = result.status
        self.pauseDuration = result.pauseDuration
    }

    /// The CSV line (without the newline).
    public var line: String {
        let action = actionIndex.map(String.init) ?? "[\(Self.python(steer)) \(Self.python(throttle))]"
        return [
            String(episode), Self.python(Double(steps)), Self.python(x), Self.python(y), Self.python(yaw),
            Self.python(steer),
            Self.python(throttle), action, Self.python(reward), done ? "True" : "False",
            allWheelsOnTrack ? "True" : "False",
            Self.python(progress), String(closestWaypoint), Self.python(trackLength), Self.python(timestamp),
            status.rawValue,
            Self.python(pauseDuration),
        ].joined(separator: ",")
    }

    /// A Double as Python's `str()` prints it: shortest round-trip digits, always with a decimal
    /// point or exponent, exponent form below 1e-4 and from 1e16.
    public static func python(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e16 {
            if value == value.rounded() { return String(Int64(value)) + ".0" }
            var text = value.description
            if text.contains("e") {
                // Swift uses exponents for some values Python writes out in full.
                text = Self.expand(text)
            }
            return text
        }
        // Python writes the exponent with at least two digits and a sign: 1e-05, 1e+16.
        var text = value.description
        if !text.contains("e") { return text }
        let parts = text.split(separator: "e")
        var mantissa = String(parts[0])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = String(parts[1])
        let sign = exponent.hasPrefix("-") ? "-" : "+"
        exponent = String(exponent.drop { $0 == "-" || $0 == "+" })
        if exponent.count < 2 { exponent = "0" + exponent }
        text = mantissa + "e" + sign + exponent
        return text
    }

    /// "1.5e-4"-style text written out in full ("0.00015").
    private static func expand(_ text: String) -> String {
        let parts = text.split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return text }
        var mantissa = String(parts[0])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        var digits = mantissa.replacingOccurrences(of: ".", with: "")
        let pointIndex =
            (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count)
            + exponent
        var result: String
        if pointIndex <= 0 {
            result = "0." + String(repeating: "0", count: -pointIndex) + digits
        } else if pointIndex >= digits.count {
            digits += String(repeating: "0", count: pointIndex - digits.count)
            result = digits + ".0"
        } else {
            let index = digits.index(digits.startIndex, offsetBy: pointIndex)
            result = String(digits[..<index]) + "." + String(digits[index...])
        }
        return (negative ? "-" : "") + result
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
