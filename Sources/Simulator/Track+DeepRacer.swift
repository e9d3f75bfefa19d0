/// The lane a car or object drives in: half-way between the centre line and one border.
public enum Lane: String, Sendable, Codable, CaseIterable {
    case inner
    case outer

    public var other: Lane { self == .inner ? .outer : .inner }
}

extension Track {
    /// Whether the waypoints run counter-clockwise seen from above (for an open track: whether
    /// the inner border is on the left).
    public var isCounterClockwise: Bool {
        if isLoop {
            var area = 0.0
            for i in 0..<(waypoints.count - 1) { area += waypoints[i].cross(waypoints[i + 1]) }
            return area > 0
        }
        let tangent = waypoints[1] - waypoints[0]
        return tangent.cross(innerBorder[0] - waypoints[0]) > 0
    }

    /// DeepRacer's `closest_waypoints` for a point `distanceAlong` metres along the centre line:
    /// the last waypoint at or before it and the next one (`bisect_right` over the waypoints'
    /// normalised distances, wrapping at the ends).
    public func closestWaypoints(distanceAlong: Double) -> (previous: Int, next: Int) {
        // bisect_right: the first index whose distance is greater than distanceAlong.
        var lo = 0
        var hi = cumulativeDistances.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulativeDistances[mid] / length > distanceAlong / length { hi = mid } else { lo = mid + 1 }
        }
        var next = lo
        var previous = next - 1
        if previous == -1 { previous = waypoints.count - 1 }
        if next == waypoints.count { next = 0 }
        return (previous, next)
    }

    /// The lane's centre polyline, half-way between the centre line and that lane's border.
    func lanePolyline(_ lane: Lane) -> Polyline {
        lane == .inner ? innerLanePolyline : outerLanePolyline
    }

    /// Where a point in `lane` lies beside the centre point `distance` metres along the centre
    /// line: the lane's nearest point to that centre point, and the lane's direction there.
    public func lanePose(_ lane: Lane, atDistance distance: Double) -> (position: Vector2, heading: Double) {
        let centre = pose(atDistance: distance).position
        let polyline = lanePolyline(lane)
        let along = polyline.nearest(to: centre).distanceAlong
        return polyline.pose(atDistance: along)
    }
}
