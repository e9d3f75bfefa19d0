import Simulator

/// What the car did in one stretch of the track: the actions it chose there and the reward it got.
public struct SectionSummary: Encodable, Sendable, Equatable {
    /// 0 from the start line, in the driving direction.
    public var section: Int
    /// The stretch, metres along the centre line.
    public var fromMetres: Double
    public var toMetres: Double
    /// Recorded steps in it.
    public var steps: Int
    /// Commanded steering, degrees: mean, 10th and 90th percentile.
    public var meanSteering: Double
    public var lowSteering: Double
    public var highSteering: Double
    /// Commanded speed, metres per second: mean, 10th and 90th percentile.
    public var meanSpeed: Double
    public var lowSpeed: Double
    public var highSpeed: Double
    /// Mean reward a step.
    public var meanReward: Double

    enum CodingKeys: String, CodingKey {
        case section, steps
        case fromMetres = "from_m"
        case toMetres = "to_m"
        case meanSteering = "mean_steering"
        case lowSteering = "steering_p10"
        case highSteering = "steering_p90"
        case meanSpeed = "mean_speed"
        case lowSpeed = "speed_p10"
        case highSpeed = "speed_p90"
        case meanReward = "mean_reward"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(section, forKey: .section)
        try container.encode(fromMetres, forKey: .fromMetres)
        try container.encode(toMetres, forKey: .toMetres)
        try container.encode(steps, forKey: .steps)
        // A stretch nobody drove has no figures: null, not NaN (which JSON cannot hold).
        let figures: [(Double, CodingKeys)] = [
            (meanSteering, .meanSteering), (lowSteering, .lowSteering), (highSteering, .highSteering),
            (meanSpeed, .meanSpeed), (lowSpeed, .lowSpeed), (highSpeed, .highSpeed), (meanReward, .meanReward),
        ]
        for (value, key) in figures { try container.encode(value.isFinite ? value : nil, forKey: key) }
    }

    /// The driving steps (not `prepare` or `pause`) of `traces` split into `count` equal stretches
    /// of `track`'s centre line, by where each step's position projects onto it.
    public static func sections(of traces: [RunAnalysis.Trace], track: Track, count: Int = 20) -> [SectionSummary] {
        var steering = [[Double]](repeating: [], count: count)
        var speed = [[Double]](repeating: [], count: count)
        var reward = [[Double]](repeating: [], count: count)
        for trace in traces {
            let s = trace.simtrace
            for i in 0..<s.count where s.x[i].isFinite && s.y[i].isFinite && Self.isDriving(s.status[i]) {
                let along = track.project(Vector2(s.x[i], s.y[i])).distanceAlong
                let k = min(max(Int(along / track.length * Double(count)), 0), count - 1)
                steering[k].append(s.steer[i])
                speed[k].append(s.throttle[i])
                reward[k].append(s.reward[i])
            }
        }
        let length = track.length / Double(count)
        return (0..<count).map { k in
            SectionSummary(
                section: k, fromMetres: Double(k) * length, toMetres: Double(k + 1) * length, steps: steering[k].count,
                meanSteering: mean(steering[k]), lowSteering: percentile(steering[k], 0.1),
                highSteering: percentile(steering[k], 0.9), meanSpeed: mean(speed[k]),
                lowSpeed: percentile(speed[k], 0.1), highSpeed: percentile(speed[k], 0.9), meanReward: mean(reward[k]))
        }
    }

    /// Whether a step with this status is one where the car acted (`prepare` and `pause` hold it).
    static func isDriving(_ status: String) -> Bool {
        status != "prepare" && status != "pause"
    }

    static func mean(_ values: [Double]) -> Double {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }

    /// The `p` quantile by linear interpolation between order statistics (NumPy's default).
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = p * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
