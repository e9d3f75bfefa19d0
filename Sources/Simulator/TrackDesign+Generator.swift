/// One piece of a centripetal Catmull-Rom spline, between two control points, in Hermite form.
///
/// The spline follows Yuksel, Schaefer and Keyser, "Parameterization and applications of
/// Catmull-Rom curves" (Computer-Aided Design 43, 2011): knots spaced by the square root of the
/// distance between control points (alpha = 0.5), which never forms cusps or loops inside a
/// piece. With neighbours `p0`, `p3` and knot gaps `d01`, `d12`, `d23`, the tangents at `p1` and
/// `p2` are
///
///     m1 = (p1 - p0) / d01 - (p2 - p0) / (d01 + d12) + (p2 - p1) / d12
///     m2 = (p2 - p1) / d12 - (p3 - p1) / (d12 + d23) + (p3 - p2) / d23
///
/// and the piece is the cubic Hermite curve from `p1` to `p2` with tangents `m1 * d12` and
/// `m2 * d12` over the local parameter `u` in 0...1.
struct CatmullRomSegment: Sendable {
    var start: Vector2
    var end: Vector2
    /// Derivative at the start with respect to `u`, in metres.
    var startTangent: Vector2
    /// Derivative at the end with respect to `u`, in metres.
    var endTangent: Vector2

    init(_ p0: Vector2, _ p1: Vector2, _ p2: Vector2, _ p3: Vector2) {
        let d01 = p0.distance(to: p1).squareRoot()
        let d12 = p1.distance(to: p2).squareRoot()
        let d23 = p2.distance(to: p3).squareRoot()
        let m1 = (p1 - p0) / d01 - (p2 - p0) / (d01 + d12) + (p2 - p1) / d12
        let m2 = (p2 - p1) / d12 - (p3 - p1) / (d12 + d23) + (p3 - p2) / d23
        start = p1
        end = p2
        startTangent = m1 * d12
        endTangent = m2 * d12
    }

    /// The point at `u` (0 at `start`, 1 at `end`). Exactly `start` at 0 and `end` at 1.
    func point(at u: Double) -> Vector2 {
        let u2 = u * u
        let u3 = u2 * u
        return start * (2 * u3 - 3 * u2 + 1) + startTangent * (u3 - 2 * u2 + u) + end * (3 * u2 - 2 * u3)
            + endTangent * (u3 - u2)
    }

    /// The derivative with respect to `u` at `u`, in metres.
    func derivative(at u: Double) -> Vector2 {
        let u2 = u * u
        return start * (6 * u2 - 6 * u) + startTangent * (3 * u2 - 4 * u + 1) + end * (6 * u - 6 * u2)
            + endTangent * (3 * u2 - 2 * u)
    }

    /// The pieces of the spline through `points`: one per consecutive pair, and one more from the
    /// last point back to the first on a loop. An open spline gets mirrored end neighbours
    /// (`2 * p[0] - p[1]` before the first point), so it starts and ends heading along its
    /// first and last chords.
    static func spline(through points: [Vector2], isLoop: Bool) -> [CatmullRomSegment] {
        let n = points.count
        let extended: [Vector2]
        if isLoop {
            extended = [points[n - 1]] + points + [points[0], points[1]]
        } else {
            extended = [points[0] * 2 - points[1]] + points + [points[n - 1] * 2 - points[n - 2]]
        }
        let count = isLoop ? n : n - 1
        return (0..<count).map { i in
            CatmullRomSegment(extended[i], extended[i + 1], extended[i + 2], extended[i + 3])
        }
    }
}

extension TrackDesign {
    /// Straight pieces between spline samples, per spline piece, for measuring arc length.
    static let samplesPerSegment = 64

    /// The generated centre line and borders, with what the checks measured.
    struct Layout: Sendable {
        var waypoints: [Vector2]
        var innerBorder: [Vector2]
        var outerBorder: [Vector2]
        /// Distance along the spline of each waypoint, metres.
        var distances: [Double]
        /// The control point nearest each waypoint along the spline.
        var nearestControlPoints: [Int]
        /// Length of the spline, metres (a little more than the polyline through the waypoints).
        var length: Double
        var minimumRadius: Double
        var minimumRadiusDistance: Double
        var minimumClearance: Double?
    }

    /// Generates and checks the centre line and borders.
    func makeLayout(source: String) throws(TrackError) -> Layout {
        func fail(_ message: String) -> TrackError {
            TrackError(source: source, problem: .invalidDesign(message))
        }
        try checkFields(fail)

        // 1. The spline, sampled finely to measure its length.
        let segments = CatmullRomSegment.spline(through: controlPoints, isLoop: isLoop)
        let perSegment = Self.samplesPerSegment
        var samples: [(segment: Int, u: Double)] = []
        samples.reserveCapacity(segments.count * perSegment + 1)
        for segment in segments.indices {
            for k in 0..<perSegment { samples.append((segment, Double(k) / Double(perSegment))) }
        }
        samples.append(isLoop ? (0, 0) : (segments.count - 1, 1))
        var cumulative = [0.0]
        cumulative.reserveCapacity(samples.count)
        var previous = segments[0].point(at: 0)
        for sample in samples.dropFirst() {
            let p = segments[sample.segment].point(at: sample.u)
            cumulative.append(cumulative[cumulative.count - 1] + p.distance(to: previous))
            previous = p
        }
        let length = cumulative[cumulative.count - 1]
        guard Self.lengthRange.contains(length) else {
            throw fail(
                "the centre line is \(Self.metres(length)) m long; a track must be \(Self.metres(Self.lengthRange.lowerBound)) "
                    + "to \(Self.metres(Self.lengthRange.upperBound)) m long. Move the control points "
                    + (length < Self.lengthRange.lowerBound ? "further apart." : "closer together."))
        }

        // 2. Waypoints at equal steps of arc length, with the spline's own direction at each.
        let intervals = max(1, Int((length / waypointSpacing).rounded()))
        let count = isLoop ? intervals : intervals + 1
        var waypoints: [Vector2] = []
        var directions: [Vector2] = []
        var distances: [Double] = []
        var nearest: [Int] = []
        for k in 0..<count {
            let target = length * Double(k) / Double(intervals)
            let (segment, u) =
                k == intervals ? samples[samples.count - 1] : Self.parameter(at: target, cumulative, samples)
            let direction = segments[segment].derivative(at: u)
            guard direction.lengthSquared > 0 else {
                throw fail(
                    "the centre line has no direction \(Self.metres(target)) m along it, near control point "
                        + "\(segment); check for control points lying on top of each other there.")
            }
            waypoints.append(segments[segment].point(at: u))
            directions.append(direction.normalized)
            distances.append(target)
            nearest.append(u < 0.5 ? segment : (segment + 1) % controlPoints.count)
        }
        if isLoop {
            waypoints.append(waypoints[0])
            directions.append(directions[0])
            distances.append(length)
            nearest.append(0)
        }

        // 3. Borders: inner on the left of the driving direction (the inside of a
        //    counter-clockwise loop), outer on the right.
        let halfWidth = width / 2
        let innerBorder = zip(waypoints, directions).map { $0 + $1.perpendicularLeft * halfWidth }
        let outerBorder = zip(waypoints, directions).map { $0 - $1.perpendicularLeft * halfWidth }

        var layout = Layout(
            waypoints: waypoints, innerBorder: innerBorder, outerBorder: outerBorder, distances: distances,
            nearestControlPoints: nearest, length: length, minimumRadius: .infinity, minimumRadiusDistance: 0,
            minimumClearance: nil)

        // 4. Checks, the most basic first.
        try checkCrossings(layout, fail)
        if isLoop {
            var twiceArea = 0.0
            for i in 0..<(waypoints.count - 1) { twiceArea += waypoints[i].cross(waypoints[i + 1]) }
            guard twiceArea > 0 else {
                throw fail(
                    "the control points run clockwise; Paddock's loops run counter-clockwise seen from above "
                        + "(as DeepRacer's do). List the control points in the reverse order.")
            }
        }
        try checkRadii(&layout, fail)
        try checkClearance(&layout, fail)
        return layout
    }

    /// Checks the design's numbers before any geometry is built.
    private func checkFields(_ fail: (String) -> TrackError) throws(TrackError) {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first),
            id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else {
            throw fail(
                "the id \"\(id)\" is not snake_case; use lower-case letters, digits and underscores, "
                    + "starting with a letter (it names the file \(fileName)).")
        }
        guard width.isFinite, Self.widthRange.contains(width) else {
            throw fail(
                "the width is \(width) m; a road must be \(Self.metres(Self.widthRange.lowerBound)) to "
                    + "\(Self.metres(Self.widthRange.upperBound)) m wide (DeepRacer's tracks are 0.76 or 1.07 m).")
        }
        guard waypointSpacing.isFinite, Self.waypointSpacingRange.contains(waypointSpacing) else {
            throw fail(
                "the waypoint spacing is \(waypointSpacing) m; use \(Self.metres(Self.waypointSpacingRange.lowerBound)) to "
                    + "\(Self.metres(Self.waypointSpacingRange.upperBound)) m (DeepRacer's files use about 0.15 m).")
        }
        let needed = isLoop ? 3 : 2
        guard controlPoints.count >= needed else {
            throw fail(
                "has \(controlPoints.count) control points; \(isLoop ? "a loop" : "an open track") needs at least \(needed)."
            )
        }
        for (index, point) in controlPoints.enumerated() where !(point.x.isFinite && point.y.isFinite) {
            throw fail("control point \(index) is not a finite number of metres; write it as [x, y].")
        }
        let pairs = isLoop ? controlPoints.count : controlPoints.count - 1
        for i in 0..<pairs {
            let j = (i + 1) % controlPoints.count
            let gap = controlPoints[i].distance(to: controlPoints[j])
            guard gap >= Self.minimumControlPointSpacing else {
                if isLoop && j == 0 {
                    throw fail(
                        "the last control point repeats the first; list each point once, the loop closes by itself.")
                }
                throw fail(
                    "control points \(i) and \(j) are only \(Self.metres(gap)) m apart; keep consecutive control points "
                        + "at least \(Self.metres(Self.minimumControlPointSpacing)) m apart (remove one of them).")
            }
        }
    }

    /// Rejects a centre line that crosses itself.
    private func checkCrossings(_ layout: Layout, _ fail: (String) -> TrackError) throws(TrackError) {
        let points = layout.waypoints
        let segmentCount = points.count - 1
        for i in 0..<segmentCount {
            let a = points[i]
            let b = points[i + 1]
            let ab = b - a
            let minimum = Vector2(min(a.x, b.x), min(a.y, b.y))
            let maximum = Vector2(max(a.x, b.x), max(a.y, b.y))
            for j in (i + 2)..<max(i + 2, segmentCount) {
                // On a loop the last segment ends where the first begins: neighbours, not a crossing.
                if isLoop && i == 0 && j == segmentCount - 1 { continue }
                let c = points[j]
                let d = points[j + 1]
                if max(c.x, d.x) < minimum.x || min(c.x, d.x) > maximum.x || max(c.y, d.y) < minimum.y
                    || min(c.y, d.y) > maximum.y
                {
                    continue
                }
                let cd = d - c
                let sideC = ab.cross(c - a)
                let sideD = ab.cross(d - a)
                let sideA = cd.cross(a - c)
                let sideB = cd.cross(b - c)
                guard (sideC > 0) != (sideD > 0), (sideA > 0) != (sideB > 0), sideC != 0, sideD != 0 else {
                    continue
                }
                let t = sideA / (sideA - sideB)
                let crossing = a + ab * t
                let first = layout.distances[i] + t * (layout.distances[i + 1] - layout.distances[i])
                throw fail(
                    "the centre line crosses itself at \(Self.place(crossing)), \(Self.metres(first)) m along it "
                        + "(near control point \(layout.nearestControlPoints[i])) and again \(Self.metres(layout.distances[j])) m "
                        + "along it (near control point \(layout.nearestControlPoints[j])). A track may not cross itself "
                        + "(no figure-eights or bridges); move the control points so the road does not overlap.")
            }
        }
    }

    /// Measures the radius of curvature at every waypoint and rejects corners too tight for the
    /// road's width, naming the tightest.
    ///
    /// The radius at a waypoint is that of the circle through it and its two neighbours: what
    /// the car meets over about a car length, and what decides whether the inner border folds.
    private func checkRadii(_ layout: inout Layout, _ fail: (String) -> TrackError) throws(TrackError) {
        let points = layout.waypoints
        let distinct = isLoop ? points.count - 1 : points.count
        let needed = width / 2 + Self.minimumInnerRadius
        let indices = isLoop ? 0..<distinct : 1..<(distinct - 1)
        var tightest = -1
        var tightCorners = 0
        var previousWasTight = false
        var firstIsTight = false
        for i in indices {
            let before = points[i == 0 ? distinct - 1 : i - 1]
            let radius = Self.circumradius(before, points[i], points[i + 1])
            if radius < layout.minimumRadius {
                layout.minimumRadius = radius
                layout.minimumRadiusDistance = layout.distances[i]
                tightest = i
            }
            let isTight = radius < needed
            if isTight && !previousWasTight { tightCorners += 1 }
            if i == indices.lowerBound { firstIsTight = isTight }
            previousWasTight = isTight
        }
        // On a loop a tight stretch may run on past the last waypoint into the first.
        if isLoop && firstIsTight && previousWasTight && tightCorners > 1 { tightCorners -= 1 }
        guard layout.minimumRadius < needed, tightest >= 0 else { return }
        let others =
            tightCorners > 1
            ? " \(tightCorners - 1) other place\(tightCorners > 2 ? "s are" : " is") too tight as well." : ""
        throw fail(
            "the corner near control point \(layout.nearestControlPoints[tightest]) at \(Self.place(points[tightest])), "
                + "\(Self.metres(layout.distances[tightest])) m along the centre line, turns with a radius of "
                + "\(Self.metres(layout.minimumRadius)) m; a \(Self.metres(width)) m wide road needs at least "
                + "\(Self.metres(needed)) m (half the width plus \(Self.metres(Self.minimumInnerRadius)) m) or its inner "
                + "border folds. Open the corner: move its control points further apart or further out.\(others)")
    }

    /// Measures the closest approach of distant parts of the track and rejects roads that touch
    /// or nearly touch.
    ///
    /// Two parts of the track are distant where the distance between their waypoints is a local
    /// minimum over both waypoints (the line between them is square to the road at both ends,
    /// like the two straights either side of a hairpin), apart from the trivial minimum of a
    /// waypoint with itself. Their road edges are the distance minus the width apart.
    private func checkClearance(_ layout: inout Layout, _ fail: (String) -> TrackError) throws(TrackError) {
        let points = layout.waypoints
        let n = isLoop ? points.count - 1 : points.count
        func index(_ i: Int) -> Int? {
            if isLoop { return (i + n) % n }
            return i >= 0 && i < n ? i : nil
        }
        var worst: (gap: Double, i: Int, j: Int)?
        for i in 0..<n {
            for j in (i + 2)..<max(i + 2, n) {
                if isLoop && i == 0 && j == n - 1 { continue }
                let distance = points[i].distance(to: points[j])
                var isLocalMinimum = true
                search: for di in -1...1 {
                    for dj in -1...1 where di != 0 || dj != 0 {
                        guard let a = index(i + di), let b = index(j + dj) else { continue }
                        if points[a].distance(to: points[b]) < distance {
                            isLocalMinimum = false
                            break search
                        }
                    }
                }
                guard isLocalMinimum else { continue }
                let gap = distance - width
                if worst.map({ gap < $0.gap }) ?? true { worst = (gap, i, j) }
            }
        }
        guard let worst else { return }
        layout.minimumClearance = worst.gap
        guard worst.gap >= Self.minimumClearance else {
            let (i, j) = (worst.i, worst.j)
            let overlap = worst.gap < 0
            throw fail(
                "two parts of the road \(overlap ? "overlap" : "come too close"): at \(Self.place(points[i])), "
                    + "\(Self.metres(layout.distances[i])) m along the centre line (near control point "
                    + "\(layout.nearestControlPoints[i])), and at \(Self.place(points[j])), \(Self.metres(layout.distances[j])) m "
                    + "along it (near control point \(layout.nearestControlPoints[j])), the centre lines are "
                    + "\(Self.metres(worst.gap + width)) m apart, "
                    + (overlap
                        ? "less than the road's width" : "leaving \(Self.metres(worst.gap)) m between the road edges")
                    + "; keep at least \(Self.metres(Self.minimumClearance)) m between them. Move those parts apart.")
        }
    }

    /// The spline parameter at `distance` metres along the sampled centre line.
    private static func parameter(
        at distance: Double, _ cumulative: [Double], _ samples: [(segment: Int, u: Double)]
    ) -> (segment: Int, u: Double) {
        // The last sample index whose distance is at most `distance`, below the final sample.
        var lo = 0
        var hi = cumulative.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cumulative[mid] <= distance { lo = mid } else { hi = mid - 1 }
        }
        let step = cumulative[lo + 1] - cumulative[lo]
        let fraction = step > 0 ? (distance - cumulative[lo]) / step : 0
        let (segment, u0) = samples[lo]
        let next = samples[lo + 1]
        let u1 = next.segment == segment ? next.u : 1
        return (segment, u0 + (u1 - u0) * fraction)
    }

    /// The radius of the circle through three points, in metres (infinite when they are in line).
    static func circumradius(_ a: Vector2, _ b: Vector2, _ c: Vector2) -> Double {
        let twiceArea = abs((b - a).cross(c - a))
        guard twiceArea > 0 else { return .infinity }
        return a.distance(to: b) * b.distance(to: c) * c.distance(to: a) / (2 * twiceArea)
    }

    /// `metres` with two decimals, e.g. `0.74`, for messages.
    static func metres(_ metres: Double) -> String {
        guard metres.isFinite else { return String(metres) }
        let hundredths = Int((abs(metres) * 100).rounded())
        let fraction = hundredths % 100
        return (metres < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "")
            + "\(fraction)"
    }

    /// A point for messages: `(x 3.20 m, y 1.50 m)`.
    static func place(_ p: Vector2) -> String {
        "(x \(metres(p.x)) m, y \(metres(p.y)) m)"
    }
}
