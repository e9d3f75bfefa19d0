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

    /// The nearest point of the polyline to `p` and its distance along the line, metres.
    func nearest(to p: Vector2) -> (point: Vector2, distanceAlong: Double) {
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
        let a = points[best]
        let b = points[best + 1]
        let along = cumulativeDistances[best] + bestT * (cumulativeDistances[best + 1] - cumulativeDistances[best])
        return (a + (b - a) * bestT, along)
    }

    /// The point `distance` metres along the line (wrapped on a loop, clamped otherwise) and the
    /// direction of the segment holding it, radians.
    func pose(atDistance distance: Double) -> (position: Vector2, heading: Double) {
        var d = distance
        if isLoop {
            d = d.truncatingRemainder(dividingBy: length)
            if d < 0 { d += length }
        } else {
            d = min(max(d, 0), length)
        }
        var lo = 0
        var hi = points.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cumulativeDistances[mid] <= d { lo = mid } else { hi = mid - 1 }
        }
        let a = points[lo]
        let b = points[lo + 1]
        let segmentLength = cumulativeDistances[lo + 1] - cumulativeDistances[lo]
        let t = segmentLength > 0 ? (d - cumulativeDistances[lo]) / segmentLength : 0
        return (a + (b - a) * t, (b - a).angle)
    }
}
