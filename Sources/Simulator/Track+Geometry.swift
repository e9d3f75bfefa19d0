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
        let nearest = centreLine.nearestSegment(to: p)
        let (point, along) = centreLine.point(segment: nearest.segment, fraction: nearest.fraction)
        let a = waypoints[nearest.segment]
        let ab = waypoints[nearest.segment + 1] - a
        return CentreLineProjection(
            segment: nearest.segment, fraction: nearest.fraction, point: point,
            distanceFromCentre: nearest.distanceSquared.squareRoot(), isLeftOfCentre: ab.cross(p - a) > 0,
            distanceAlong: along)
    }

    /// Whether `p` is on the road: inside the ring between the inner and outer borders.
    public func isOnRoad(_ p: Vector2) -> Bool {
        road.contains(p)
    }

    /// The point of the centre line `distance` metres from waypoint 0, and the direction of
    /// travel there in radians. Distances wrap around on a loop and are clamped on open tracks.
    public func pose(atDistance distance: Double) -> (position: Vector2, heading: Double) {
        centreLine.pose(atDistance: distance)
    }

    /// The width of the road where `projection` lies: the distance between the inner and outer
    /// border points nearest to the centre point, interpolated between the segment's two waypoints.
    public func width(at projection: CentreLineProjection) -> Double {
        let w0 = widths[projection.segment]
        let w1 = widths[projection.segment + 1]
        return w0 + (w1 - w0) * projection.fraction
    }
}
