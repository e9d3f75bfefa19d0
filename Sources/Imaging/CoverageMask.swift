/// How much of each pixel a shape covers, 0 (none) to 1 (all), before it is painted in one colour.
///
/// A canvas-sized scratch buffer: primitives write coverage into it (shapes of one drawing call
/// combine by taking the larger coverage, so overlapping pieces of a stroke are not painted twice),
/// then ``Canvas`` blends the colour in and ``clear()`` resets only the runs of pixels touched.
/// The mask remembers those runs, so the cost of a shape follows its size, not the canvas's.
struct CoverageMask: Sendable {
    let width: Int
    let height: Int
    /// `width * height` coverages, row-major.
    private(set) var values: [Float]
    /// Runs of columns that may hold coverage, as touched; ``mergeSpans()`` sorts and joins them.
    private(set) var spans: [Span] = []

    /// Columns `start ..< end` of one row.
    struct Span: Sendable, Equatable {
        var row: Int
        var start: Int
        var end: Int
    }

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        values = [Float](repeating: 0, count: width * height)
    }

    /// Whether nothing has been drawn since the last ``clear()``.
    var isEmpty: Bool { spans.isEmpty }

    /// Sorts the touched spans by row and column and joins overlapping ones, so that each pixel
    /// is visited once.
    mutating func mergeSpans() {
        guard spans.count > 1 else { return }
        spans.sort { $0.row != $1.row ? $0.row < $1.row : $0.start < $1.start }
        var merged = 0
        for index in 1..<spans.count {
            let span = spans[index]
            if span.row == spans[merged].row && span.start <= spans[merged].end {
                spans[merged].end = max(spans[merged].end, span.end)
            } else {
                merged += 1
                spans[merged] = span
            }
        }
        spans.removeSubrange((merged + 1)...)
    }

    /// Resets the touched pixels to zero coverage.
    mutating func clear() {
        let width = width
        values.withUnsafeMutableBufferPointer { values in
            for span in spans {
                let base = span.row * width
                for index in (base + span.start)..<(base + span.end) { values[index] = 0 }
            }
        }
        spans.removeAll(keepingCapacity: true)
    }

    /// Calls `body(row, start, end, coverage)` for every touched run of columns `start ..< end`,
    /// where `coverage[i]` is the coverage of column `i` of that row (clamp it to 0...1).
    /// Call ``mergeSpans()`` first, or pixels may be visited more than once.
    func forEachTouchedRun(
        _ body: (_ row: Int, _ start: Int, _ end: Int, _ coverage: UnsafeBufferPointer<Float>) -> Void
    ) {
        values.withUnsafeBufferPointer { values in
            for span in spans {
                let rowValues = UnsafeBufferPointer(rebasing: values[(span.row * width)..<((span.row + 1) * width)])
                body(span.row, span.start, span.end, rowValues)
            }
        }
    }

    /// Marks columns `start ..< end` of `row` as touched (already clipped to the mask).
    @inline(__always)
    private mutating func touch(row: Int, start: Int, end: Int) {
        spans.append(Span(row: row, start: start, end: end))
    }

    /// Clamps a pixel coordinate to `0 ... limit` and converts it safely (NaN gives 0).
    @inline(__always)
    private static func clampedIndex(_ value: Double, limit: Int) -> Int {
        guard value > 0 else { return 0 }
        guard value < Double(limit) else { return limit }
        return Int(value)
    }

    /// Rows whose centres may lie within `minY ... maxY`, clipped to the mask.
    private func rows(from minY: Double, to maxY: Double) -> Range<Int> {
        let first = Self.clampedIndex((minY - 0.5).rounded(.down), limit: height)
        let end = Self.clampedIndex((maxY + 0.5).rounded(.up), limit: height)
        return first..<max(first, end)
    }

    // MARK: - Polygons

    private struct Edge {
        var yTop: Double
        var yBottom: Double
        var xAtTop: Double
        var slope: Double  // dx / dy
    }

    /// Vertical samples per pixel row for polygons; horizontal coverage is computed exactly.
    static let polygonSubsamples = 16

    /// Adds the even-odd fill of `rings` (each ring implicitly closed).
    ///
    /// A scanline rasteriser: on 16 sub-scanlines per pixel row it finds where the edges cross,
    /// pairs the crossings (even-odd rule) and adds each span's exact horizontal coverage to the
    /// pixels: 17 levels of vertical and exact horizontal anti-aliasing.
    mutating func addPolygon(rings: [[Point]]) {
        var edges: [Edge] = []
        var minX = Double.infinity
        var maxX = -Double.infinity
        var minY = Double.infinity
        var maxY = -Double.infinity
        for ring in rings where ring.count >= 3 {
            for index in ring.indices {
                let a = ring[index]
                let b = ring[index + 1 == ring.count ? 0 : index + 1]
                guard a.isFinite, b.isFinite else { return }
                minX = min(minX, a.x)
                maxX = max(maxX, a.x)
                minY = min(minY, a.y)
                maxY = max(maxY, a.y)
                if a.y == b.y { continue }
                let (top, bottom) = a.y < b.y ? (a, b) : (b, a)
                let slope = (bottom.x - top.x) / (bottom.y - top.y)
                // An infinite slope only comes from an edge of (next to) no height: nothing to cross.
                guard slope.isFinite else { continue }
                edges.append(Edge(yTop: top.y, yBottom: bottom.y, xAtTop: top.x, slope: slope))
            }
        }
        guard !edges.isEmpty else { return }
        let rowRange =
            Self.clampedIndex(minY.rounded(.down), limit: height)..<Self.clampedIndex(maxY.rounded(.up), limit: height)
        let columnStart = Self.clampedIndex(minX.rounded(.down), limit: width)
        let columnEnd = Self.clampedIndex(maxX.rounded(.up), limit: width)
        guard !rowRange.isEmpty, columnStart < columnEnd else { return }
        edges.sort { $0.yTop < $1.yTop }

        let spanWidth = columnEnd - columnStart
        let subsamples = Self.polygonSubsamples
        let scale = 1 / Float(subsamples)
        // Per row: `partial` holds fractional coverage of span ends; `delta` marks where runs of
        // fully covered pixels start (+1) and stop (-1), summed left to right.
        var partial = [Float](repeating: 0, count: spanWidth + 1)
        var delta = [Float](repeating: 0, count: spanWidth + 2)
        var active: [Int] = []
        var crossings: [Double] = []
        var nextEdge = 0
        let left = Double(columnStart)
        let right = Double(spanWidth)

        for row in rowRange {
            var rowHasSpans = false
            for sample in 0..<subsamples {
                let y = Double(row) + (Double(sample) + 0.5) / Double(subsamples)
                while nextEdge < edges.count && edges[nextEdge].yTop <= y {
                    active.append(nextEdge)
                    nextEdge += 1
                }
                active.removeAll { edges[$0].yBottom <= y }
                guard active.count >= 2 else { continue }
                crossings.removeAll(keepingCapacity: true)
                for index in active {
                    let edge = edges[index]
                    crossings.append(edge.xAtTop + (y - edge.yTop) * edge.slope - left)
                }
                crossings.sort()
                var pair = 0
                while pair + 1 < crossings.count {
                    let start = min(max(crossings[pair], 0), right)
                    let end = min(max(crossings[pair + 1], 0), right)
                    pair += 2
                    guard end > start else { continue }
                    rowHasSpans = true
                    let startColumn = Int(start)
                    let endColumn = Int(end)
                    if startColumn == endColumn {
                        partial[startColumn] += Float(end - start)
                    } else {
                        partial[startColumn] += Float(Double(startColumn + 1) - start)
                        delta[startColumn + 1] += 1
                        delta[endColumn] -= 1
                        partial[endColumn] += Float(end - Double(endColumn))
                    }
                }
            }
            guard rowHasSpans else { continue }
            var running: Float = 0
            var runStart = -1  // first column of the current run of covered pixels, or -1
            let base = row * width + columnStart
            values.withUnsafeMutableBufferPointer { values in
                for column in 0..<spanWidth {
                    running += delta[column]
                    let coverage = min((partial[column] + running) * scale, 1)
                    partial[column] = 0
                    delta[column] = 0
                    if coverage > 0 {
                        if runStart < 0 { runStart = column }
                        if coverage > values[base + column] { values[base + column] = coverage }
                    } else if runStart >= 0 {
                        spans.append(Span(row: row, start: columnStart + runStart, end: columnStart + column))
                        runStart = -1
                    }
                }
            }
            if runStart >= 0 { spans.append(Span(row: row, start: columnStart + runStart, end: columnEnd)) }
            partial[spanWidth] = 0
            delta[spanWidth] = 0
            delta[spanWidth + 1] = 0
        }
    }

    // MARK: - Strokes and discs

    /// Adds a segment from `a` to `b`, `halfWidth` to each side, with round ends (a capsule).
    ///
    /// Coverage is estimated from the distance of each pixel centre to the segment, `d`:
    /// `clamp(halfWidth + 0.5 - d, 0, 1)`, a one-pixel linear ramp across the edge. Lines thinner
    /// than a pixel are drawn one pixel wide and proportionally fainter.
    mutating func addCapsule(from a: Point, to b: Point, halfWidth: Double) {
        guard a.isFinite, b.isFinite, halfWidth.isFinite, halfWidth > 0 else { return }
        let drawnHalfWidth = max(halfWidth, 0.5)
        let fade = Float(min(halfWidth / 0.5, 1))
        let reach = drawnHalfWidth + 0.5
        let direction = b - a
        let lengthSquared = direction.dot(direction)
        let normal: Point =
            lengthSquared > 0 ? Point(-direction.y, direction.x) * (reach / lengthSquared.squareRoot()) : Point(0, 0)
        let corners = (a + normal, b + normal, b - normal, a - normal)
        let width = width

        for row in rows(from: min(a.y, b.y) - reach, to: max(a.y, b.y) + reach) {
            let y = Double(row) + 0.5
            // The capsule is convex: its crossing with this row is one interval, the union of the
            // crossings of its two end discs and its middle rectangle.
            var low = Double.infinity
            var high = -Double.infinity
            func include(disc centre: Point) {
                let dy = y - centre.y
                if abs(dy) <= reach {
                    let half = (reach * reach - dy * dy).squareRoot()
                    low = min(low, centre.x - half)
                    high = max(high, centre.x + half)
                }
            }
            func include(side p: Point, _ q: Point) {
                guard (p.y - y) * (q.y - y) <= 0 else { return }
                if p.y == q.y {
                    low = min(low, p.x, q.x)
                    high = max(high, p.x, q.x)
                } else {
                    let x = p.x + (y - p.y) / (q.y - p.y) * (q.x - p.x)
                    low = min(low, x)
                    high = max(high, x)
                }
            }
            include(disc: a)
            include(disc: b)
            if lengthSquared > 0 {
                include(side: corners.0, corners.1)
                include(side: corners.1, corners.2)
                include(side: corners.2, corners.3)
                include(side: corners.3, corners.0)
            }
            guard low <= high else { continue }
            let start = Self.clampedIndex((low - 0.5).rounded(.down), limit: width)
            let end = Self.clampedIndex((high + 0.5).rounded(.up), limit: width)
            guard start < end else { continue }
            var touchedStart = end
            var touchedEnd = start
            values.withUnsafeMutableBufferPointer { values in
                let base = row * width
                for column in start..<end {
                    let pixel = Point(Double(column) + 0.5, y)
                    var t = lengthSquared > 0 ? (pixel - a).dot(direction) / lengthSquared : 0
                    t = min(max(t, 0), 1)
                    let distance = (pixel - (a + direction * t)).length
                    let coverage = Float(min(reach - distance, 1)) * fade
                    if coverage > 0 {
                        if column < touchedStart { touchedStart = column }
                        touchedEnd = column + 1
                        if coverage > values[base + column] { values[base + column] = coverage }
                    }
                }
            }
            if touchedStart < touchedEnd { touch(row: row, start: touchedStart, end: touchedEnd) }
        }
    }

    /// Adds the pixels within `outerRadius` of `centre` but not within `innerRadius` (a disc when
    /// `innerRadius` is at most 0), with the same one-pixel edge ramp as ``addCapsule``.
    mutating func addAnnulus(centre: Point, innerRadius: Double, outerRadius: Double) {
        guard centre.isFinite, innerRadius.isFinite, outerRadius.isFinite, outerRadius > innerRadius, outerRadius > 0
        else { return }
        // Rings thinner than a pixel are drawn a pixel wide and fainter; likewise tiny discs.
        let middle = (innerRadius + outerRadius) / 2
        let thickness = innerRadius > 0 ? outerRadius - innerRadius : 2 * outerRadius
        let drawnThickness = max(thickness, 1)
        let fade = Float(min(thickness, 1) * (innerRadius > 0 ? 1 : min(thickness, 1)))
        let inner = innerRadius > 0 ? middle - drawnThickness / 2 : -Double.infinity
        let outer = innerRadius > 0 ? middle + drawnThickness / 2 : max(outerRadius, 0.5)
        let reach = outer + 0.5
        let width = width
        for row in rows(from: centre.y - reach, to: centre.y + reach) {
            let y = Double(row) + 0.5
            let dy = y - centre.y
            guard abs(dy) <= reach else { continue }
            let half = (reach * reach - dy * dy).squareRoot()
            let start = Self.clampedIndex((centre.x - half - 0.5).rounded(.down), limit: width)
            let end = Self.clampedIndex((centre.x + half + 0.5).rounded(.up), limit: width)
            guard start < end else { continue }
            var touchedStart = end
            var touchedEnd = start
            values.withUnsafeMutableBufferPointer { values in
                let base = row * width
                for column in start..<end {
                    let dx = Double(column) + 0.5 - centre.x
                    let distance = (dx * dx + dy * dy).squareRoot()
                    let coverage = Float(min(outer + 0.5 - distance, distance - inner + 0.5, 1)) * fade
                    if coverage > 0 {
                        if column < touchedStart { touchedStart = column }
                        touchedEnd = column + 1
                        if coverage > values[base + column] { values[base + column] = coverage }
                    }
                }
            }
            if touchedStart < touchedEnd { touch(row: row, start: touchedStart, end: touchedEnd) }
        }
    }

    // MARK: - Rectangles

    /// Adds the exact area coverage of the axis-aligned rectangle `minX ..< maxX`, `minY ..< maxY`.
    ///
    /// Coverage adds up (clamped at 1 when painted), so rectangles that tile an area, such as the
    /// pixels of a scaled bitmap glyph, join without seams.
    mutating func addRectangle(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        guard minX.isFinite, minY.isFinite, maxX.isFinite, maxY.isFinite, maxX > minX, maxY > minY else { return }
        let rowStart = Self.clampedIndex(minY.rounded(.down), limit: height)
        let rowEnd = Self.clampedIndex(maxY.rounded(.up), limit: height)
        let start = Self.clampedIndex(minX.rounded(.down), limit: width)
        let end = Self.clampedIndex(maxX.rounded(.up), limit: width)
        guard rowStart < rowEnd, start < end else { return }
        let width = width
        for row in rowStart..<rowEnd {
            let overlapY = min(maxY, Double(row + 1)) - max(minY, Double(row))
            guard overlapY > 0 else { continue }
            values.withUnsafeMutableBufferPointer { values in
                let base = row * width
                for column in start..<end {
                    let overlapX = min(maxX, Double(column + 1)) - max(minX, Double(column))
                    if overlapX > 0 { values[base + column] += Float(overlapX * overlapY) }
                }
            }
            touch(row: row, start: start, end: end)
        }
    }
}
