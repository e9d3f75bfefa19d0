/// How far a replay's predictions were from the poses the trace recorded.
public struct ReplayScore: Sendable, Equatable {
    /// One prediction's error.
    public struct Error: Sendable, Equatable {
        /// Distance between the predicted and recorded reference points, metres.
        public var position: Double
        /// Difference between the predicted and recorded headings, degrees (0 ... 180).
        public var headingDegrees: Double
        /// The car's speed over the step before the prediction started, metres per second.
        public var speed: Double
    }

    public var errors: [Error]

    /// Scores the predictions of windows the car drove through freely: the windows in which it
    /// was never held or put back (DeepRacer's `prepare` and `pause`), with known poses.
    public init(drive: RecordedDrive, predictions: [DriveReplay.Prediction]) {
        let rows = drive.steps
        errors = []
        errors.reserveCapacity(predictions.count)
        for p in predictions {
            let start = p.fromRow
            guard start >= 1, rows[start - 1].status != "pause", rows[start - 1].hasPose else { continue }
            guard (start...p.row).allSatisfy({ !rows[$0].isHeld && rows[$0].hasPose }) else { continue }
            let recorded = rows[p.row]
            let position = Vector2(p.x, p.y).distance(to: Vector2(recorded.x, recorded.y))
            let heading = abs(CarDynamics.wrapAngle((p.yawDegrees - recorded.yawDegrees) * .pi / 180)) * 180 / .pi
            let moved = rows[start].car.position.distance(to: rows[start - 1].car.position)
            let speed = moved / DriveReplay.interval(rows, start - 1)
            errors.append(Error(position: position, headingDegrees: heading, speed: speed))
        }
    }

    public init(errors: [Error]) {
        self.errors = errors
    }

    /// The errors of predictions that started below (or at and above) `speed`.
    public func split(atSpeed speed: Double) -> (below: ReplayScore, above: ReplayScore) {
        (
            ReplayScore(errors: errors.filter { $0.speed < speed }),
            ReplayScore(errors: errors.filter { $0.speed >= speed })
        )
    }

    /// Median, 90th percentile of the position error (metres) and median heading error (degrees).
    public var summary: Summary {
        Summary(
            count: errors.count, medianPosition: Self.percentile(errors.map(\.position), 0.5),
            p90Position: Self.percentile(errors.map(\.position), 0.9),
            medianHeading: Self.percentile(errors.map(\.headingDegrees), 0.5))
    }

    public struct Summary: Sendable, Equatable {
        public var count: Int
        public var medianPosition: Double
        public var p90Position: Double
        public var medianHeading: Double
    }

    /// The `q` quantile (0 ... 1) with linear interpolation; NaN for no values.
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// The fit's objective: the mean position error (metres, each capped at 2) plus
    /// `headingWeight` metres for each degree of mean heading error (capped at 90).
    public func objective(headingWeight: Double = 0.01) -> Double {
        guard !errors.isEmpty else { return .infinity }
        var total = 0.0
        for e in errors { total += min(e.position, 2) + headingWeight * min(e.headingDegrees, 90) }
        let mean = total / Double(errors.count)
        return mean.isFinite ? mean : .infinity
    }
}
