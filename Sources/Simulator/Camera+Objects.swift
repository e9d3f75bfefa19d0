#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Camera {
    /// Visible size of a box (smaller than its collision rectangle, which includes a buffer) and
    /// of a bot car, metres: (half length, half width, height).
    static let boxSize = (halfLength: 0.2, halfWidth: 0.15, height: 0.3)
    static let botCarSize = (halfLength: CarGeometry.halfLength, halfWidth: CarGeometry.halfWidth, height: 0.16)

    /// Draws boxes and bot cars as shaded solids, farthest first.
    func drawObjects(_ objects: [TrackObject], car: CarState, view: CameraView, into frame: inout [UInt8]) {
        let eye = view.eye
        let sorted = objects.sorted { $0.position.distance(to: eye) > $1.position.distance(to: eye) }
        for object in sorted {
            let size = object.kind == .box ? Self.boxSize : Self.botCarSize
            let shade = object.kind == .box ? scene.palette.box : scene.palette.botCar
            // Screen rectangle of the solid: project its 8 corners.
            let forward = Vector2(angle: object.heading)
            let left = forward.perpendicularLeft
            var minX = 1.0
            var maxX = -1.0
            var minY = 1.0
            var maxY = -1.0
            var anyBehind = false
            for sx in [-1.0, 1.0] {
                for sy in [-1.0, 1.0] {
                    let corner = object.position + forward * (sx * size.halfLength) + left * (sy * size.halfWidth)
                    for z in [0.0, size.height] {
                        if let p = model.project(corner, z: z, from: car) {
                            minX = min(minX, p.x)
                            maxX = max(maxX, p.x)
                            minY = min(minY, p.y)
                            maxY = max(maxY, p.y)
                        } else {
                            anyBehind = true
                        }
                    }
                }
            }
            if anyBehind {
                // Part of it is behind the camera: test every pixel.
                minX = -1
                maxX = 1
                minY = -1
                maxY = 1
            }
            guard maxX >= -1, minX <= 1, maxY >= -1, minY <= 1 else { continue }
            let w = Self.width
            let h = Self.height
            let i0 = max(Int(((minX + 1) / 2 * Double(w)).rounded(.down)), 0)
            let i1 = min(Int(((maxX + 1) / 2 * Double(w)).rounded(.up)), w - 1)
            let j0 = max(Int(((1 - maxY) / 2 * Double(h)).rounded(.down)), 0)
            let j1 = min(Int(((1 - minY) / 2 * Double(h)).rounded(.up)), h - 1)
            guard i0 <= i1, j0 <= j1 else { continue }
            // Eye in the object's frame.
            let relative = eye - object.position
            let eyeLocal = (relative.dot(forward), relative.dot(left), model.height)
            for j in j0...j1 {
                let yNDC = CameraView.y(row: j)
                let rise = view.rise(yNDC)
                for i in i0...i1 {
                    let horizontal = view.horizontal(x: CameraView.x(column: i), y: yNDC)
                    let direction = (horizontal.dot(forward), horizontal.dot(left), rise)
                    if let face = Self.hitBox(
                        origin: eyeLocal, direction: direction, half: (size.halfLength, size.halfWidth),
                        height: size.height)
                    {
                        // Simple lighting: tops brightest, sides by which way they face.
                        let light: Double
                        switch face {
                        case 2: light = 1.0
                        case 0: light = 0.8
                        default: light = 0.62
                        }
                        frame[j * w + i] = UInt8(min(shade * light, 255))
                    }
                }
            }
        }
    }

    /// Slab test of a ray against the box |x| < hx, |y| < hy, 0 < z < height. Returns the axis of
    /// the face hit first (0 = front/back, 1 = sides, 2 = top), or nil.
    static func hitBox(
        origin: (Double, Double, Double), direction: (Double, Double, Double), half: (Double, Double), height: Double
    ) -> Int? {
        var tNear = -Double.infinity
        var tFar = Double.infinity
        var axis = -1
        let o = [origin.0, origin.1, origin.2]
        let d = [direction.0, direction.1, direction.2]
        let lo = [-half.0, -half.1, 0]
        let hi = [half.0, half.1, height]
        for k in 0..<3 {
            if abs(d[k]) < 1e-12 {
                if o[k] < lo[k] || o[k] > hi[k] { return nil }
                continue
            }
            var t1 = (lo[k] - o[k]) / d[k]
            var t2 = (hi[k] - o[k]) / d[k]
            if t1 > t2 { swap(&t1, &t2) }
            if t1 > tNear {
                tNear = t1
                axis = k
            }
            tFar = min(tFar, t2)
            if tNear > tFar { return nil }
        }
        return tNear > 0 ? axis : nil
    }
}
