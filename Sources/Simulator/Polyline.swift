/// A polyline with arc-length look-ups: nearest point, point at a distance.
///
/// Used for the borders and lanes, where DeepRacer projects points with shapely.
struct Polyline: Sendable {
    let points: [Vector2]
    let cumulativeDistances: [Double]
    let isLoop: Bool

    init(_ points: [Vector2], isLoop: Bool) {
        self.points = points
        self.isLoop = isLoop
        var cumulative = [0.0]
        cumulative.reserveCapacity(points.count)
        for i in 1..<points.count {
            cumulative.append(cumulative[i - 1] + points[i].distance(to: points[i - 1]))
        }
        cumulativeDistances = cumulative
    }

    var length: Double { cumulativeDistances[cumulativeDistances.count - 1] }

    /// The segment (from point `segment` to `segment + 1`) holding the nearest point to `p`, how
    /// far along it that point lies (0 ... 1), and its squared distance from `p`.
    ///
    /// Scans every segment; ties go to the earlier one.
    func nearestSegment(to p: Vector2) -> (segment: Int, fraction: Double, distanceSquared: Double) {
        var best = 0
        var bestT = 0.0
        var bestDistanceSquared = Double.infinity
        points.withUnsafeBufferPointer { w in
            for i in 0..<(w.count - 1) {
                let a = w[i]
                let ab = w[i + 1] - a
                let lengthSquared = ab.lengthSquared
                var t = lengthSquared > 0 ? (p - a).dot(ab) / lengthSquared : 0
                t = min(max(t, 0), 1)
                let d = (a + ab * t - p).lengthSquared
                if d < bestDistanceSquared {
                    bestDistanceSquared = d
                    best = i
                    bestT = t
                }
            }
        }
        return (best, bestT, bestDistanceSquared)
    }

    /// The point `fraction` of the way along `segment` and its distance along the line, metres.
    func point(segment: Int, fraction: Double) -> (point: Vector2, distanceAlong: Double) {
        let a = points[segment]
        let b = points[segment + 1]
        let along =
            cumulativeDistances[segment] + fraction * (cumulativeDistances[segment + 1] - cumulativeDistances[segment])
        return (a + (b - a) * fraction, along)
    }

    /// The nearest point of the polyline to `p` and its distance along the line, metres.
    func nearest(to p: Vector2) -> (point: Vector2, distanceAlong: Double) {
        let nearest = nearestSegment(to: p)
        return point(segment: nearest.segment, fraction: nearest.fraction)
    }

    /// `distance` wrapped round a loop, or clamped to the ends of an open line.
    func wrapped(_ distance: Double) -> Double {
        if isLoop {
            let d = distance.truncatingRemainder(dividingBy: length)
            return d < 0 ? d + length : d
        }
        return min(max(distance, 0), length)
    }

    /// The segment that holds the point `distance` metres along the line (already wrapped).
    func segment(atDistance distance: Double) -> Int {
        var lo = 0
        var hi = points.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cumulativeDistances[mid] <= distance { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The point `distance` metres along the line (wrapped on a loop, clamped otherwise) and the
    /// direction of the segment holding it, radians.
    func pose(atDistance distance: Double) -> (position: Vector2, heading: Double) {
        let d = wrapped(distance)
        let segment = segment(atDistance: d)
        let a = points[segment]
        let b = points[segment + 1]
        let segmentLength = cumulativeDistances[segment + 1] - cumulativeDistances[segment]
        let t = segmentLength > 0 ? (d - cumulativeDistances[segment]) / segmentLength : 0
        return (a + (b - a) * t, (b - a).angle)
    }
}
