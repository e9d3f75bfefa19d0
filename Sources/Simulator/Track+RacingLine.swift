extension Track {
    /// A racing line: the path round the track with the least curvature that stays on the road,
    /// as the DeepRacer community's race-line notebooks compute it.
    ///
    /// The centre line is sampled about every 0.4 metres (40 to 150 points); each point may move
    /// sideways along the road's normal, no closer to a border than `margin` metres (the car's
    /// half width and a little more). The summed squared second differences of the points, their
    /// curvature, is minimised exactly under those bounds (least squares with an active set).
    /// The line is then drawn through them every `spacing` metres. An open track keeps its two
    /// ends on the centre line.
    ///
    /// - Returns: the line's points, in driving order; a loop's last point is not repeated.
    public func racingLine(spacing: Double = 0.1, margin: Double = 0.15) -> [Vector2] {
        func samples(_ count: Int) -> (centres: [Vector2], normals: [Vector2], limits: [Double]) {
            let step = length / Double(count)
            let poses = (0..<(isLoop ? count : count + 1)).map { pose(atDistance: Double($0) * step) }
            let centres = poses.map(\.position)
            var limits = centres.map { max(width(at: project($0)) / 2 - margin, 0) }
            if !isLoop {
                limits[0] = 0
                limits[limits.count - 1] = 0
            }
            return (centres, poses.map { Vector2(angle: $0.heading).perpendicularLeft }, limits)
        }
        // Few points keep the problem well posed (a long gentle bend is a slow mode of a fine
        // grid); the offsets are smooth, so the fine line takes them by interpolation.
        let coarseCount = min(max(Int((length / 0.4).rounded()), 40), 150)
        let coarse = samples(coarseCount)
        let offsets = Self.leastCurvatureOffsets(
            centres: coarse.centres, normals: coarse.normals, limits: coarse.limits, closed: isLoop)
        let fineCount = min(max(Int((length / spacing).rounded()), coarseCount), 1000)
        let fine = samples(fineCount)
        return (0..<fine.centres.count).map { i in
            let position = Double(i) * Double(coarseCount) / Double(fineCount)
            let index = Int(position)
            let t = position - Double(index)
            // Catmull-Rom through the neighbouring offsets: smooth, and exact at the samples.
            func at(_ k: Int) -> Double {
                isLoop
                    ? offsets[((k % coarseCount) + coarseCount) % coarseCount]
                    : offsets[min(max(k, 0), offsets.count - 1)]
            }
            let (p0, p1, p2, p3) = (at(index - 1), at(index), at(index + 1), at(index + 2))
            let offset =
                0.5
                * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t
                    + (3 * p1 - p0 - 3 * p2 + p3) * t * t * t)
            return fine.centres[i] + fine.normals[i] * min(max(offset, -fine.limits[i]), fine.limits[i])
        }
    }

    /// Offsets d (|d_i| <= limits_i) minimising the summed squared second differences of
    /// centres_i + d_i normals_i: bounded least squares, solved by an active set of points held
    /// at a bound and a dense solve for the rest.
    static func leastCurvatureOffsets(centres: [Vector2], normals: [Vector2], limits: [Double], closed: Bool)
        -> [Double]
    {
        let n = centres.count
        // The normal equations H d = -g of the second differences, with a whisper of ridge so a
        // straight, where any sideways shift bends nothing, stays on the centre line.
        var h = [Double](repeating: 0, count: n * n)
        var g = [Double](repeating: 0, count: n)
        for i in (closed ? 0 : 1)..<(closed ? n : n - 1) {
            let indices = [(i - 1 + n) % n, i, (i + 1) % n]
            let coefficients = [normals[indices[0]], normals[i] * -2, normals[indices[2]]]
            let residual = centres[indices[0]] - centres[i] * 2 + centres[indices[2]]
            for a in 0..<3 {
                g[indices[a]] += coefficients[a].dot(residual)
                for b in 0..<3 { h[indices[a] * n + indices[b]] += coefficients[a].dot(coefficients[b]) }
            }
        }
        for i in 0..<n { h[i * n + i] += 1e-9 }
        // At most so many changes of the active set; each settles one bound.
        var held = [Double?](repeating: nil, count: n)
        for (i, limit) in limits.enumerated() where limit <= 0 { held[i] = 0 }
        var offsets = [Double](repeating: 0, count: n)
        for _ in 0..<(4 * n) {
            offsets = solve(h, g, held: held)
            var changed = false
            // Points pushed past a border are held at it.
            for i in 0..<n where held[i] == nil && abs(offsets[i]) > limits[i] + 1e-12 {
                held[i] = offsets[i] > 0 ? limits[i] : -limits[i]
                changed = true
            }
            if changed { continue }
            // A held point whose pull points back into the road is let go.
            for i in 0..<n where limits[i] > 0 {
                guard let bound = held[i] else { continue }
                var gradient = g[i]
                for j in 0..<n { gradient += h[i * n + j] * offsets[j] }
                if (bound > 0 && gradient > 1e-12) || (bound < 0 && gradient < -1e-12) {
                    held[i] = nil
                    changed = true
                }
            }
            if !changed { break }
        }
        return offsets.enumerated().map { min(max($0.element, -limits[$0.offset]), limits[$0.offset]) }
    }

    /// Solves H d = -g for the points not held, the held ones fixed at their values (Gaussian
    /// elimination with partial pivoting).
    private static func solve(_ h: [Double], _ g: [Double], held: [Double?]) -> [Double] {
        let n = g.count
        let free = (0..<n).filter { held[$0] == nil }
        var result = held.map { $0 ?? 0 }
        let m = free.count
        guard m > 0 else { return result }
        var a = [Double](repeating: 0, count: m * (m + 1))
        for (row, i) in free.enumerated() {
            var right = -g[i]
            for j in 0..<n { if let value = held[j] { right -= h[i * n + j] * value } }
            for (column, j) in free.enumerated() { a[row * (m + 1) + column] = h[i * n + j] }
            a[row * (m + 1) + m] = right
        }
        let width = m + 1
        for column in 0..<m {
            var pivot = column
            for row in (column + 1)..<m where abs(a[row * width + column]) > abs(a[pivot * width + column]) {
                pivot = row
            }
            if pivot != column {
                for k in column..<width { a.swapAt(column * width + k, pivot * width + k) }
            }
            let diagonal = a[column * width + column]
            guard abs(diagonal) > 1e-300 else { continue }
            for row in (column + 1)..<m {
                let factor = a[row * width + column] / diagonal
                if factor == 0 { continue }
                for k in column..<width { a[row * width + k] -= factor * a[column * width + k] }
            }
        }
        var solution = [Double](repeating: 0, count: m)
        for row in stride(from: m - 1, through: 0, by: -1) {
            var value = a[row * width + m]
            for k in (row + 1)..<m { value -= a[row * width + k] * solution[k] }
            let diagonal = a[row * width + row]
            solution[row] = abs(diagonal) > 1e-300 ? value / diagonal : 0
        }
        for (row, i) in free.enumerated() { result[i] = solution[row] }
        return result
    }

    /// The summed squared turning of a path, radians squared: lower is smoother.
    public static func bending(_ points: [Vector2], closed: Bool) -> Double {
        let n = points.count
        guard n >= 3 else { return 0 }
        var total = 0.0
        for i in (closed ? 0 : 1)..<(closed ? n : n - 1) {
            let before = points[i] - points[(i - 1 + n) % n]
            let after = points[(i + 1) % n] - points[i]
            let turn = CarDynamics.wrapAngle(after.angle - before.angle)
            total += turn * turn
        }
        return total
    }
}
