#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Renders what the car's camera sees: a 160x120 grayscale frame, as DeepRacer gives its network.
///
/// Each pixel's ray is followed to the floor, a wall, the sky or an object. For the floor the
/// renderer reads the scene's mipmap level whose texels match the pixel's footprint on the
/// ground (bilinear within the level), which stands in for DeepRacer's render at 640x480 and its
/// area downscale. Along one image row every ray meets the floor at the same distance, so the
/// floor points of a row lie evenly spaced on a line: the inner loop is two additions and one
/// bilinear read per pixel.
public struct Camera: Sendable {
    /// Frame size DeepRacer's network takes.
    public static let width = 160
    public static let height = 120

    public let scene: CameraScene
    public var model: CameraModel
    /// Most floor reads averaged along each pixel's depth, 1 ... 4.
    ///
    /// 1 (the default) reads one mipmap level chosen for the footprint's area: fastest, with lines
    /// running away from the car a little dimmer and softer than in DeepRacer's frames. 4 reads
    /// the level that matches the footprint's width at 4 depths, as DeepRacer's 640x480 render and
    /// 4x4 downscale do: about twice the cost.
    public var depthSamples: Int

    public init(scene: CameraScene, model: CameraModel = .front, depthSamples: Int = 1) {
        self.scene = scene
        self.model = model
        self.depthSamples = min(max(depthSamples, 1), Self.maximumDepthSamples)
    }

    /// Renders the view from `car` into `frame` (160 x 120 bytes, row 0 at the top).
    ///
    /// - Parameter objects: boxes and bot cars to draw.
    public func render(car: CarState, objects: [TrackObject] = [], into frame: inout [UInt8]) {
        let w = Self.width
        if frame.count != w * Self.height { frame = [UInt8](repeating: 0, count: w * Self.height) }
        let view = CameraView(model: model, car: car)
        var sums = [Int](repeating: 0, count: w)
        frame.withUnsafeMutableBufferPointer { out in
            sums.withUnsafeMutableBufferPointer { sums in
                for row in 0..<Self.height {
                    let floor = drawFloor(row: row, view: view, into: out, sums: sums)
                    // Pixels whose ray leaves the room before reaching the floor: wall or sky.
                    if floor.lowerBound > 0 || floor.upperBound < w {
                        drawWalls(row: row, skipping: floor, view: view, into: out)
                    }
                }
            }
        }
        if !objects.isEmpty {
            drawObjects(objects, car: car, view: view, into: &frame)
        }
    }

    /// Draws the floor seen by one pixel row and returns the pixels it drew.
    ///
    /// A pixel's footprint on the floor grows long and thin with distance. With `depthSamples` above
    /// 1 the renderer reads the mipmap level that matches the footprint's width and averages reads
    /// spread over its depth (anisotropic filtering), so a line running away from the car keeps its
    /// brightness as it would after DeepRacer's 4x4 downscale.
    @inline(__always)
    func drawFloor(
        row: Int, view: CameraView, into out: UnsafeMutableBufferPointer<UInt8>, sums: UnsafeMutableBufferPointer<Int>
    ) -> Range<Int> {
        let w = Self.width
        let h = Self.height
        let yNDC = CameraView.y(row: row)
        let rise = view.rise(yNDC)
        guard rise < -1e-9 else { return 0..<0 }
        let cameraHeight = model.height
        let texel = scene.texelSize
        let t = cameraHeight / -rise
        // Footprint of one pixel on the floor: across the row, and in depth to the next row.
        let across = t * view.tanH * 2 / Double(w)
        let yNext = yNDC - 2 / Double(h)
        let riseNext = view.rise(yNext)
        let depth = t * view.along(yNDC)
        let depthNext = riseNext < 0 ? cameraHeight / -riseNext * view.along(yNext) : depth * 2
        let deep = abs(depthNext - depth)
        var samples = min(max(Int((deep / across).rounded()), 1), depthSamples)
        if samples > 1 && view.rise(yNDC + 1 / Double(h)) >= -1e-9 { samples = 1 }
        // One read: the level for the footprint's area. Several: the level for its width.
        let footprint = samples == 1 ? (across * deep).squareRoot() : max(across, deep / Double(samples))
        let level = min(Int(log2(max(footprint / texel, 1)).rounded(.down)), scene.levels.count - 1)
        let texelScale = texel * Double(1 << level)
        let lvl = scene.levels[level]

        // Floor point of pixel i on sub-row k: start + i * step, in this level's texel units
        // (texel centres at +0.5). Sub-rows spread evenly over the pixel row, top to bottom.
        func line(_ k: Int) -> (u0: Double, v0: Double, du: Double, dv: Double) {
            let y = yNDC + (1 - (2 * Double(k) + 1) / Double(samples)) / Double(h)
            let subT = cameraHeight / -view.rise(y)
            let start =
                view.eye + view.heading * (subT * view.along(y)) + view.right
                * (subT * (-1 + 1 / Double(w)) * view.tanH)
            let step = view.right * (subT * view.tanH * 2 / Double(w))
            return (
                (start.x - scene.origin.x) / texelScale - 0.5, (start.y - scene.origin.y) / texelScale - 0.5,
                step.x / texelScale, step.y / texelScale
            )
        }
        // Keep the pixels whose floor points lie inside the texture on every sub-row.
        var lo = 0.0
        var hi = Double(w)
        for k in 0..<samples {
            let l = line(k)
            Self.clip(start: l.u0, step: l.du, lower: 0.01, upper: Double(lvl.width - 1) - 0.01, lo: &lo, hi: &hi)
            Self.clip(start: l.v0, step: l.dv, lower: 0.01, upper: Double(lvl.height - 1) - 0.01, lo: &lo, hi: &hi)
        }
        guard hi > lo else { return 0..<0 }
        let range = max(Int(lo.rounded(.up)), 0)..<min(Int(hi.rounded(.up)), w)
        guard !range.isEmpty else { return 0..<0 }
        Self.readBilinear(lvl, lineCount: samples, line: line, range: range, into: out, at: row * w)
        return range
    }

    /// The most floor reads `depthSamples` allows.
    static let maximumDepthSamples = 4

    /// One line of floor points in a level's texel units: point i is (u0 + i du, v0 + i dv).
    typealias FloorLine = (u0: Double, v0: Double, du: Double, dv: Double)

    /// Where a floor line stands, in 16.16 fixed point, at its first pixel, and its steps.
    struct FixedLine {
        var u: Int
        var v: Int
        let du: Int
        let dv: Int

        @inline(__always)
        init(_ line: FloorLine, from first: Int, level: CameraScene.Level, last: Int) {
            u = Int((line.u0 + line.du * Double(first)) * 65536)
            v = Int((line.v0 + line.dv * Double(first)) * 65536)
            du = Int(line.du * 65536)
            dv = Int(line.dv * 65536)
            // The caller keeps every point 0.01 texel inside the level, and the fixed-point steps drift
            // far less than that, so the four texels each read stays inside: check both ends.
            let lastU = u + du * (last - first)
            let lastV = v + dv * (last - first)
            precondition(
                min(u, lastU) >= 0 && min(v, lastV) >= 0 && max(u, lastU) >> 16 < level.width - 1
                    && max(v, lastV) >> 16 < level.height - 1, "floor line leaves the texture")
        }

        /// The bilinear read at the current point, then a step on.
        @inline(__always)
        mutating func read(_ base: UnsafePointer<UInt8>, width: Int) -> Int {
            let fu = (u >> 8) & 0xFF
            let fv = (v >> 8) & 0xFF
            let p = base + ((v >> 16) * width + (u >> 16))
            let a = Int(p[0])
            let b = Int(p[1])
            let c = Int(p[width])
            let d = Int(p[width + 1])
            let top = (a << 8) + (b - a) * fu
            let bottom = (c << 8) + (d - c) * fu
            u += du
            v += dv
            return ((top << 8) + (bottom - top) * fv)
        }
    }

    /// Reads `lineCount` floor lines bilinearly and writes, for each pixel of `range`, the mean of
    /// the lines' reads into `out` from `rowBase`.
    ///
    /// Works in 16.16 fixed point: the integer part picks the texel, the top 8 bits of the
    /// fraction weight its neighbours.
    @inline(__always)
    static func readBilinear(
        _ level: CameraScene.Level, lineCount: Int, line: (Int) -> FloorLine, range: Range<Int>,
        into out: UnsafeMutableBufferPointer<UInt8>, at rowBase: Int
    ) {
        precondition((1...maximumDepthSamples).contains(lineCount))
        if lineCount == 1 {
            // The common case, kept free of the averaging loop.
            var fixed = FixedLine(line(0), from: range.lowerBound, level: level, last: range.upperBound - 1)
            level.pixels.withUnsafeBufferPointer { texels in
                guard let base = texels.baseAddress else { return }
                let width = level.width
                for i in range { out[rowBase + i] = UInt8(truncatingIfNeeded: fixed.read(base, width: width) >> 16) }
            }
            return
        }
        // Mean of the reads: multiply by 65536 / count and drop 32 fraction bits (16 from the reads).
        let reciprocal = 65536 / lineCount + (lineCount == 3 ? 1 : 0)
        withUnsafeTemporaryAllocation(of: FixedLine.self, capacity: maximumDepthSamples) { fixed in
            for k in 0..<lineCount {
                fixed.initializeElement(
                    at: k, to: FixedLine(line(k), from: range.lowerBound, level: level, last: range.upperBound - 1))
            }
            level.pixels.withUnsafeBufferPointer { texels in
                guard let base = texels.baseAddress else { return }
                let width = level.width
                for i in range {
                    var sum = 0
                    for k in 0..<lineCount { sum += fixed[k].read(base, width: width) }
                    out[rowBase + i] = UInt8(truncatingIfNeeded: ((sum >> 16) * reciprocal) >> 16)
                }
            }
            _ = fixed.baseAddress.map { $0.deinitialize(count: lineCount) }
        }
    }

    /// Fills the pixels of one row outside `skipping` with wall or sky: each pixel's ray meets one
    /// of the room's four walls (each with its own shade, as Gazebo's light leaves them) at a
    /// height that picks the wall or the sky above it.
    @inline(__always)
    func drawWalls(row: Int, skipping: Range<Int>, view: CameraView, into out: UnsafeMutableBufferPointer<UInt8>) {
        let rowBase = row * Self.width
        let yNDC = CameraView.y(row: row)
        let along = view.along(yNDC)
        let rise = view.rise(yNDC)
        let eye = view.eye
        let heading = view.heading
        let right = view.right
        let tanH = view.tanH
        let cameraHeight = model.height
        let w = Self.width
        func byte(_ value: Double) -> UInt8 { UInt8(min(max(value.rounded(), 0), 255)) }
        let sky = byte(scene.palette.sky)
        let walls = scene.palette.walls
        let (maxXWall, minXWall, maxYWall, minYWall) = (walls[0], walls[1], walls[2], walls[3])
        // Each wall's brightening per metre of height above the camera, gray levels.
        let gradient = scene.palette.wallGradient
        let (maxXRise, minXRise, maxYRise, minYRise) =
            (walls[0] * gradient, walls[1] * gradient, walls[2] * gradient, walls[3] * gradient)
        let toMaxX = scene.arenaMaximum.x - eye.x
        let toMinX = scene.arenaMinimum.x - eye.x
        let toMaxY = scene.arenaMaximum.y - eye.y
        let toMinY = scene.arenaMinimum.y - eye.y
        let step = 2 * tanH / Double(w)
        // Horizontal ray direction of pixel i: start + i * delta.
        let startX = heading.x * along + right.x * (0.5 * step - tanH)
        let startY = heading.y * along + right.y * (0.5 * step - tanH)
        let deltaX = right.x * step
        let deltaY = right.y * step
        let topHeight = scene.wallHeight - cameraHeight
        // Along a ray with horizontal direction h, the wall is reached after t / |h| of the way,
        // where t is the distance to the wall in the direction the ray leaves by; the ray's height
        // there is rise * t / |h|. Comparing products instead of dividing keeps the loop cheap.
        func fill(_ range: Range<Int>) {
            for i in range {
                let hx = startX + deltaX * Double(i)
                let hy = startY + deltaY * Double(i)
                let tx = hx > 0 ? toMaxX : -toMinX
                let ty = hy > 0 ? toMaxY : -toMinY
                let ax = abs(hx)
                let ay = abs(hy)
                // Leaves through an x wall when tx / ax < ty / ay.
                let leavesX = tx * ay < ty * ax
                let rises = rise * (leavesX ? tx : ty)
                let h = leavesX ? ax : ay
                if rises > topHeight * h {
                    out[rowBase + i] = sky
                    continue
                }
                let wall: Double
                let perMetre: Double
                if leavesX {
                    (wall, perMetre) = hx > 0 ? (maxXWall, maxXRise) : (minXWall, minXRise)
                } else {
                    (wall, perMetre) = hy > 0 ? (maxYWall, maxYRise) : (minYWall, minYRise)
                }
                // The hit's height above the camera is rises / h.
                let value = h > 0 ? wall + perMetre * rises / h : wall
                out[rowBase + i] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value + 0.5)
            }
        }
        fill(0..<min(skipping.lowerBound, w))
        fill(max(skipping.upperBound, 0)..<w)
    }

    /// Narrows [lo, hi) to the pixel positions i where lower <= start + i * step <= upper.
    @inline(__always)
    static func clip(start: Double, step: Double, lower: Double, upper: Double, lo: inout Double, hi: inout Double) {
        if abs(step) < 1e-12 {
            if start < lower || start > upper { hi = lo }
            return
        }
        var a = (lower - start) / step
        var b = (upper - start) / step
        if a > b { swap(&a, &b) }
        lo = max(lo, a)
        hi = min(hi, b)
    }

    /// How far along `direction` (in units of its length) a ray from `point` inside the box meets the box's edge.
    static func exitDistance(from point: Vector2, direction: Vector2, minimum: Vector2, maximum: Vector2) -> Double {
        var s = Double.infinity
        if direction.x > 1e-12 { s = min(s, (maximum.x - point.x) / direction.x) }
        if direction.x < -1e-12 { s = min(s, (minimum.x - point.x) / direction.x) }
        if direction.y > 1e-12 { s = min(s, (maximum.y - point.y) / direction.y) }
        if direction.y < -1e-12 { s = min(s, (minimum.y - point.y) / direction.y) }
        return max(s, 0)
    }
}
