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

    public init(scene: CameraScene, model: CameraModel = .front) {
        self.scene = scene
        self.model = model
    }

    /// Renders the view from `car` into `frame` (160 x 120 bytes, row 0 at the top).
    ///
    /// - Parameter objects: boxes and bot cars to draw.
    public func render(car: CarState, objects: [TrackObject] = [], into frame: inout [UInt8]) {
        let w = Self.width
        let h = Self.height
        if frame.count != w * h { frame = [UInt8](repeating: 0, count: w * h) }
        let view = CameraView(model: model, car: car)
        let eye = view.eye
        let heading = view.heading
        let right = view.right
        let tanH = view.tanH
        let cameraHeight = model.height
        let texel = scene.texelSize

        frame.withUnsafeMutableBufferPointer { out in
            for row in 0..<h {
                let yNDC = CameraView.y(row: row)
                let along = view.along(yNDC)
                let rise = view.rise(yNDC)
                let rowBase = row * w
                var groundStart = 0
                var groundEnd = 0
                if rise < -1e-9 {
                    let t = cameraHeight / -rise
                    // Footprint of one pixel on the floor: across the row, and between rows.
                    let across = t * tanH * 2 / Double(w)
                    let yNext = yNDC - 2 / Double(h)
                    let riseNext = view.rise(yNext)
                    let depth = t * along
                    let depthNext = riseNext < 0 ? cameraHeight / -riseNext * view.along(yNext) : depth * 2
                    let footprint = max(across, abs(depthNext - depth))
                    var level = Int(log2(max(footprint / texel, 1)).rounded(.down))
                    level = min(level, scene.levels.count - 1)
                    let scale = Double(1 << level)
                    let lvl = scene.levels[level]
                    // Floor point of pixel i: start + i * step, in this level's texel units (centres at +0.5).
                    let x0 = -1 + 1 / Double(w)
                    let startWorld = eye + heading * (t * along) + right * (t * x0 * tanH)
                    let stepWorld = right * (t * tanH * 2 / Double(w))
                    let u0 = (startWorld.x - scene.origin.x) / (texel * scale) - 0.5
                    let v0 = (startWorld.y - scene.origin.y) / (texel * scale) - 0.5
                    let du = stepWorld.x / (texel * scale)
                    let dv = stepWorld.y / (texel * scale)
                    // The pixels whose floor point lies inside the texture (0 <= u < width-1, same for v).
                    var lo = 0.0
                    var hi = Double(w)
                    Self.clip(start: u0, step: du, upper: Double(lvl.width - 1), lo: &lo, hi: &hi)
                    Self.clip(start: v0, step: dv, upper: Double(lvl.height - 1), lo: &lo, hi: &hi)
                    if hi > lo {
                        groundStart = max(Int(lo.rounded(.up)), 0)
                        groundEnd = min(Int(hi.rounded(.up)), w)
                    }
                    if groundEnd > groundStart {
                        // Bilinear reads in 16.16 fixed point: the integer part picks the texel,
                        // the top 8 bits of the fraction weight its neighbours.
                        let levelWidth = lvl.width
                        let maxU = lvl.width - 2
                        let maxV = lvl.height - 2
                        var uFixed = Int((u0 + du * Double(groundStart)) * 65536)
                        var vFixed = Int((v0 + dv * Double(groundStart)) * 65536)
                        let duFixed = Int(du * 65536)
                        let dvFixed = Int(dv * 65536)
                        lvl.pixels.withUnsafeBufferPointer { texels in
                            guard let base = texels.baseAddress else { return }
                            for i in groundStart..<groundEnd {
                                let ui = min(max(uFixed >> 16, 0), maxU)
                                let vi = min(max(vFixed >> 16, 0), maxV)
                                let fu = (uFixed >> 8) & 0xFF
                                let fv = (vFixed >> 8) & 0xFF
                                let p = base + (vi * levelWidth + ui)
                                let a = Int(p[0])
                                let b = Int(p[1])
                                let c = Int(p[levelWidth])
                                let d = Int(p[levelWidth + 1])
                                let top = (a << 8) + (b - a) * fu
                                let bottom = (c << 8) + (d - c) * fu
                                let value = ((top << 8) + (bottom - top) * fv) >> 16
                                out[rowBase + i] = UInt8(truncatingIfNeeded: value)
                                uFixed += duFixed
                                vFixed += dvFixed
                            }
                        }
                    }
                }
                // Pixels whose ray leaves the room before reaching the floor: wall or sky.
                if groundStart > 0 || groundEnd < w {
                    Self.drawWalls(
                        row: rowBase, skipping: groundStart..<groundEnd, along: along, rise: rise, eye: eye,
                        heading: heading,
                        right: right, scene: scene, cameraHeight: cameraHeight, tanH: tanH, into: out)
                }
            }
        }
        if !objects.isEmpty {
            drawObjects(objects, car: car, view: view, into: &frame)
        }
    }

    /// Fills the pixels of one row outside `skipping` with wall or sky: each pixel's ray meets the
    /// room's wall at a height that picks the wall's base band, the wall, or the sky above it.
    @inline(__always)
    static func drawWalls(
        row rowBase: Int, skipping: Range<Int>, along: Double, rise: Double, eye: Vector2, heading: Vector2,
        right: Vector2,
        scene: CameraScene, cameraHeight: Double, tanH: Double, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let w = width
        let sky = UInt8(truncatingIfNeeded: Int(scene.palette.sky))
        let wall = UInt8(truncatingIfNeeded: Int(scene.palette.wall))
        let wallBase = UInt8(truncatingIfNeeded: Int(scene.palette.wallBase))
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
        let baseHeight = 0.08 - cameraHeight
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
                out[rowBase + i] = rises > topHeight * h ? sky : (rises > baseHeight * h ? wall : wallBase)
            }
        }
        fill(0..<min(skipping.lowerBound, w))
        fill(max(skipping.upperBound, 0)..<w)
    }

    /// Narrows [lo, hi) to the pixel positions i where 0 <= start + i * step <= upper.
    @inline(__always)
    static func clip(start: Double, step: Double, upper: Double, lo: inout Double, hi: inout Double) {
        if abs(step) < 1e-12 {
            if start < 0 || start > upper { hi = lo }
            return
        }
        var a = (0 - start) / step
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
