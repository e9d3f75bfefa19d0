#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a point lies relative to a track's centre line.
public struct CentreLineProjection: Sendable, Equatable {
    /// The segment (from waypoint `segment` to `segment + 1`) holding the nearest centre point.
    public var segment: Int
    /// Position of the nearest point along that segment, 0 at its start and 1 at its end.
    public var fraction: Double
    /// The nearest point on the centre line.
    public var point: Vector2
    /// Distance from the point to the centre line, in metres.
    public var distanceFromCentre: Double
    /// Whether the point is left of the centre line, looking in the driving direction.
    public var isLeftOfCentre: Bool
    /// Distance along the centre line from waypoint 0 to the nearest point, in metres.
    public var distanceAlong: Double
}

extension Track {
    /// The nearest point of the centre line to `p`.
    ///
    /// Scans every segment; O(waypoints). Ties go to the earlier segment.
    public func project(_ p: Vector2) -> CentreLineProjection {
        var best = 0
        var bestT = 0.0
        var bestDistanceSquared = Double.infinity
        waypoints.withUnsafeBufferPointer { w in
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
        let a = waypoints[best]
        let ab = waypoints[best + 1] - a
        let point = a + ab * bestT
        return CentreLineProjection(
            segment: best, fraction: bestT, point: point, distanceFromCentre: bestDistanceSquared.squareRoot(),
            isLeftOfCentre: ab.cross(p - a) > 0,
            distanceAlong: cumulativeDistances[best] + bestT
                * (cumulativeDistances[best + 1] - cumulativeDistances[best]))
    }

    /// Whether `p` is on the road: inside the ring between the inner and outer borders.
    public func isOnRoad(_ p: Vector2) -> Bool {
        road.contains(p)
    }

    /// The point of the centre line `distance` metres from waypoint 0, and the direction of
    /// travel there in radians. Distances wrap around on a loop and are clamped on open tracks.
    public func pose(atDistance distance: Double) -> (position: Vector2, heading: Double) {
        var d = distance
        if isLoop {
            d = d.truncatingRemainder(dividingBy: length)
            if d < 0 { d += length }
        } else {
            d = min(max(d, 0), length)
        }
        let segment = self.segment(atDistance: d)
        let a = waypoints[segment]
        let b = waypoints[segment + 1]
        let segmentLength = cumulativeDistances[segment + 1] - cumulativeDistances[segment]
        let t = segmentLength > 0 ? (d - cumulativeDistances[segment]) / segmentLength : 0
        return (a + (b - a) * t, (b - a).angle)
    }

    /// The segment that holds the point `distance` metres along the centre line (already wrapped).
    func segment(atDistance distance: Double) -> Int {
        var lo = 0
        var hi = segmentCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cumulativeDistances[mid] <= distance { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The width of the road where `projection` lies: the distance between the inner and outer
    /// border points nearest to the centre point, interpolated between the segment's two waypoints.
    public func width(at projection: CentreLineProjection) -> Double {
        let w0 = widths[projection.segment]
        let w1 = widths[projection.segment + 1]
        return w0 + (w1 - w0) * projection.fraction
    }
}
