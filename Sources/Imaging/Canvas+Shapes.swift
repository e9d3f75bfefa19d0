extension Canvas {
    /// Fills a polygon (implicitly closed) with `color`, by the even-odd rule.
    ///
    /// - Parameters:
    ///   - points: The corners, in pixels; fewer than 3 draw nothing.
    ///   - alpha: Opacity, 0 (invisible) to 1 (opaque).
    public mutating func fillPolygon(_ points: [Point], color: RGBColor, alpha: Double = 1) {
        fillPolygon(rings: [points], color: color, alpha: alpha)
    }

    /// Fills several closed rings together by the even-odd rule: a pixel is painted when a ray
    /// from it crosses the rings an odd number of times.
    ///
    /// A track's outer border with its inner border as a second ring paints the road and leaves
    /// the infield unpainted, whichever direction each ring runs.
    public mutating func fillPolygon(rings: [[Point]], color: RGBColor, alpha: Double = 1) {
        paint(color: color, alpha: alpha) { mask in
            mask.addPolygon(rings: rings)
        }
    }

    /// Draws a line through `points`, `width` pixels wide, with round joins and round caps.
    ///
    /// One point draws a dot. With `closed` the last point joins back to the first.
    public mutating func strokePolyline(
        _ points: [Point], width: Double, color: RGBColor, closed: Bool = false, alpha: Double = 1
    ) {
        paint(color: color, alpha: alpha) { mask in
            Self.addPolyline(points, halfWidth: width / 2, closed: closed, to: &mask)
        }
    }

    /// Draws a dashed line through `points`: dashes `dash` pixels long separated by `gap` pixels,
    /// measured along the line, starting with a dash.
    ///
    /// Dashes have round caps, which reach `width / 2` into each gap, so the visible gaps are
    /// `gap - width` pixels long.
    public mutating func strokeDashedPolyline(
        _ points: [Point], width: Double, dash: Double, gap: Double, color: RGBColor, closed: Bool = false,
        alpha: Double = 1
    ) {
        precondition(dash > 0 && gap >= 0, "strokeDashedPolyline: dash must be positive and gap not negative")
        var path = points
        if closed, let first = points.first, points.count > 2 { path.append(first) }
        let dashes = Self.dashes(along: path, dash: dash, gap: gap)
        paint(color: color, alpha: alpha) { mask in
            for piece in dashes {
                Self.addPolyline(piece, halfWidth: width / 2, closed: false, to: &mask)
            }
        }
    }

    /// Fills the disc of `radius` pixels around `center`.
    public mutating func fillCircle(center: Point, radius: Double, color: RGBColor, alpha: Double = 1) {
        paint(color: color, alpha: alpha) { mask in
            mask.addAnnulus(centre: center, innerRadius: 0, outerRadius: radius)
        }
    }

    /// Draws the circle of `radius` pixels around `center` as a ring `width` pixels wide,
    /// centred on the radius.
    public mutating func strokeCircle(
        center: Point, radius: Double, width: Double, color: RGBColor, alpha: Double = 1
    ) {
        paint(color: color, alpha: alpha) { mask in
            mask.addAnnulus(centre: center, innerRadius: radius - width / 2, outerRadius: radius + width / 2)
        }
    }

    /// Fills the axis-aligned rectangle from `origin` (top-left) spanning `width` x `height` pixels,
    /// with exact edge coverage.
    public mutating func fillRectangle(
        origin: Point, width: Double, height: Double, color: RGBColor, alpha: Double = 1
    ) {
        paint(color: color, alpha: alpha) { mask in
            mask.addRectangle(minX: origin.x, minY: origin.y, maxX: origin.x + width, maxY: origin.y + height)
        }
    }

    /// Draws an arrow from `from` to `to`: a shaft `width` pixels wide and a triangular head
    /// `headLength` pixels long whose tip is at `to`.
    ///
    /// The head is as wide as it is long (at least twice the shaft width); an arrow shorter than
    /// its head is all head.
    public mutating func drawArrow(
        from: Point, to: Point, width: Double, headLength: Double, color: RGBColor, alpha: Double = 1
    ) {
        let vector = to - from
        let length = vector.length
        guard length > 0, length.isFinite else { return }
        let along = vector * (1 / length)
        let across = Point(-along.y, along.x)
        let head = min(max(headLength, 0), length)
        let headHalfWidth = max(head / 2, width)
        let base = to - along * head
        paint(color: color, alpha: alpha) { mask in
            if length > head {
                // The shaft runs a little into the head so the two join without a seam.
                let shaftEnd = base + along * min(head / 2, width / 2)
                mask.addCapsule(from: from, to: shaftEnd, halfWidth: width / 2)
            }
            if head > 0 {
                mask.addPolygon(rings: [[to, base + across * headHalfWidth, base - across * headHalfWidth]])
            }
        }
    }

    // MARK: - Helpers

    /// Adds the round-joined capsules of a polyline to `mask`.
    static func addPolyline(_ points: [Point], halfWidth: Double, closed: Bool, to mask: inout CoverageMask) {
        guard let first = points.first else { return }
        if points.count == 1 {
            mask.addCapsule(from: first, to: first, halfWidth: halfWidth)
            return
        }
        for index in 1..<points.count {
            mask.addCapsule(from: points[index - 1], to: points[index], halfWidth: halfWidth)
        }
        if closed, points.count > 2, let last = points.last {
            mask.addCapsule(from: last, to: first, halfWidth: halfWidth)
        }
    }

    /// Cuts an open polyline into the pieces that fall on dashes of a `dash`, `gap` pattern.
    static func dashes(along points: [Point], dash: Double, gap: Double) -> [[Point]] {
        guard let first = points.first else { return [] }
        guard gap > 0, points.count > 1 else { return [points] }
        var pieces: [[Point]] = []
        var current: [Point] = [first]
        var isDash = true
        var remaining = dash
        for index in 1..<points.count {
            let start = points[index - 1]
            let end = points[index]
            let segment = end - start
            let length = segment.length
            guard length > 0, length.isFinite else { continue }
            var travelled = 0.0
            while length - travelled >= remaining {
                travelled += remaining
                let cut = start + segment * (travelled / length)
                if isDash {
                    current.append(cut)
                    pieces.append(current)
                    current = []
                } else {
                    current = [cut]
                }
                isDash.toggle()
                remaining = isDash ? dash : gap
            }
            remaining -= length - travelled
            if isDash && travelled < length { current.append(end) }
        }
        if isDash, current.count > 1 { pieces.append(current) }
        return pieces
    }
}
