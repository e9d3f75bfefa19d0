#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A race track: a centre line with an inner and an outer border, in metres.
///
/// The waypoints are in driving order. On a loop the last waypoint repeats the first, as in
/// DeepRacer's track files and its `waypoints` reward param. "Inner" is the geometric inner
/// border whatever the driving direction. Use `reversed()` for the track driven the other way.
public struct Track: Sendable {
    /// A short name: the file name without `.npy`, or the manifest id.
    public let id: String
    /// Centre-line waypoints in driving order (consecutive duplicates dropped).
    public let waypoints: [Vector2]
    /// Inner border points, one per waypoint.
    public let innerBorder: [Vector2]
    /// Outer border points, one per waypoint.
    public let outerBorder: [Vector2]
    /// Whether the first and last waypoints coincide.
    public let isLoop: Bool
    /// The centre line as a polyline, for projections and look-ups by distance.
    let centreLine: Polyline
    /// Distance along the centre line from waypoint 0 to each waypoint, in metres.
    public var cumulativeDistances: [Double] { centreLine.cumulativeDistances }
    /// Length of the centre line in metres.
    public let length: Double
    /// Whether the waypoints run clockwise (this is the reverse of the file's order).
    public let isReversed: Bool
    /// Distance between the inner and outer border points of each waypoint, in metres.
    public let widths: [Double]
    /// The road surface (the ring between the borders), for inside/outside tests.
    let road: PolygonIndex
    /// The borders and lanes as polylines, for projections.
    let innerPolyline: Polyline
    let outerPolyline: Polyline
    let innerLanePolyline: Polyline
    let outerLanePolyline: Polyline

    /// Builds a track from its three polylines, validating them.
    ///
    /// - Parameters:
    ///   - rowNumbers: the file row of each point, for error messages (defaults to 0, 1, 2, ...).
    public init(
        id: String, waypoints: [Vector2], innerBorder: [Vector2], outerBorder: [Vector2],
        source: String? = nil, rowNumbers: [Int]? = nil
    ) throws(TrackError) {
        let source = source ?? id
        precondition(waypoints.count == innerBorder.count && waypoints.count == outerBorder.count)
        var centre: [Vector2] = []
        var inner: [Vector2] = []
        var outer: [Vector2] = []
        var rows: [Int] = []
        for i in waypoints.indices {
            if let last = centre.last, last.distance(to: waypoints[i]) < 1e-9 { continue }
            centre.append(waypoints[i])
            inner.append(innerBorder[i])
            outer.append(outerBorder[i])
            rows.append(rowNumbers?[i] ?? i)
        }
        let loop = centre.count > 2 && centre[0].distance(to: centre[centre.count - 1]) < 1e-6
        let distinct = loop ? centre.count - 1 : centre.count
        guard distinct >= 4 else { throw TrackError(source: source, problem: .tooFewPoints(distinct)) }

        // Each row's borders must straddle the centre line, and each border must stay on its side.
        var sides: [Double] = []
        for i in centre.indices {
            if inner[i].distance(to: outer[i]) < 1e-6 {
                throw TrackError(source: source, problem: .zeroWidth(row: rows[i]))
            }
            let tangent = Self.tangent(at: i, of: centre, isLoop: loop)
            sides.append(tangent.cross(inner[i] - centre[i]) - tangent.cross(outer[i] - centre[i]))
        }
        let innerIsLeft = sides.filter { $0 > 0 }.count * 2 >= sides.count
        for i in centre.indices {
            let tangent = Self.tangent(at: i, of: centre, isLoop: loop)
            let innerSide = tangent.cross(inner[i] - centre[i])
            let outerSide = tangent.cross(outer[i] - centre[i])
            if innerIsLeft ? innerSide < 0 : innerSide > 0 {
                throw TrackError(source: source, problem: .bordersCrossCentre(row: rows[i], border: "inner"))
            }
            if innerIsLeft ? outerSide > 0 : outerSide < 0 {
                throw TrackError(source: source, problem: .bordersCrossCentre(row: rows[i], border: "outer"))
            }
        }
        self.init(
            validatedID: id, waypoints: centre, innerBorder: inner, outerBorder: outer, isLoop: loop,
            isReversed: false)
    }

    /// Builds a track from polylines already checked by the validating initialiser.
    init(
        validatedID id: String, waypoints: [Vector2], innerBorder: [Vector2], outerBorder: [Vector2],
        isLoop: Bool, isReversed: Bool
    ) {
        self.id = id
        self.waypoints = waypoints
        self.innerBorder = innerBorder
        self.outerBorder = outerBorder
        self.isLoop = isLoop
        self.isReversed = isReversed
        self.centreLine = Polyline(waypoints, isLoop: isLoop)
        self.length = centreLine.length
        self.widths = zip(innerBorder, outerBorder).map { $0.distance(to: $1) }
        self.innerPolyline = Polyline(innerBorder, isLoop: isLoop)
        self.outerPolyline = Polyline(outerBorder, isLoop: isLoop)
        self.innerLanePolyline = Polyline(zip(waypoints, innerBorder).map { ($0 + $1) * 0.5 }, isLoop: isLoop)
        self.outerLanePolyline = Polyline(zip(waypoints, outerBorder).map { ($0 + $1) * 0.5 }, isLoop: isLoop)
        if isLoop {
            self.road = PolygonIndex(rings: [outerBorder, innerBorder])
        } else {
            self.road = PolygonIndex(rings: [outerBorder + innerBorder.reversed()])
        }
    }

    /// The direction of the centre line at waypoint `i` (not normalised).
    static func tangent(at i: Int, of centre: [Vector2], isLoop: Bool) -> Vector2 {
        let n = centre.count
        if isLoop {
            // The last point repeats the first, so neighbours wrap past it.
            let previous = i == 0 ? centre[n - 2] : centre[i - 1]
            let next = i == n - 1 ? centre[1] : centre[i + 1]
            return next - previous
        }
        let previous = centre[max(i - 1, 0)]
        let next = centre[min(i + 1, n - 1)]
        return next - previous
    }

    /// The same track driven the other way: waypoints in reverse order, borders unchanged.
    public func reversed() -> Track {
        Track(
            validatedID: id, waypoints: waypoints.reversed(), innerBorder: innerBorder.reversed(),
            outerBorder: outerBorder.reversed(), isLoop: isLoop, isReversed: !isReversed)
    }

    /// Number of centre-line segments (waypoints minus one).
    @inlinable public var segmentCount: Int { waypoints.count - 1 }

    /// Mean distance between the borders, in metres.
    public var averageWidth: Double { widths.reduce(0, +) / Double(widths.count) }

    /// The smallest axis-aligned box holding both borders: (minimum corner, maximum corner).
    public var bounds: (minimum: Vector2, maximum: Vector2) {
        var lo = Vector2(Double.infinity, Double.infinity)
        var hi = Vector2(-Double.infinity, -Double.infinity)
        for p in innerBorder + outerBorder + waypoints {
            lo = Vector2(min(lo.x, p.x), min(lo.y, p.y))
            hi = Vector2(max(hi.x, p.x), max(hi.y, p.y))
        }
        return (lo, hi)
    }
}
