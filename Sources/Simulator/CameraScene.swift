#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the camera sees of a track, prepared once per track: a top-down grayscale picture of the
/// floor, road and lines at 1 cm per texel with its mipmaps, and the walls of the room around it.
///
/// The picture follows DeepRacer's simulated world (Gazebo), as its camera frames show it: dark
/// textured asphalt, thick white borders, a thin orange-yellow dashed centre line, light grass off
/// the road, and dark walls all round under a black sky. Colours become gray with the camera's
/// rule Y = 0.299 R + 0.587 G + 0.114 B (ITU-R 601 luma, PIL's `convert('L')`). The gray levels,
/// line sizes and the walls were fitted to 917 frames of a DeepRacer episode on reInvent2019
/// (docs/camera.md). Mipmaps (2x2 box averages) let the renderer average the texels under each
/// pixel, so thin lines fade with distance instead of flickering away.
public struct CameraScene: Sendable {
    /// One mipmap level: a gray picture, row-major, row 0 at the smallest y.
    public struct Level: Sendable {
        public let width: Int
        public let height: Int
        public let pixels: [UInt8]
    }

    /// Gray values of the materials (0 ... 255), fitted to DeepRacer's frames (docs/camera.md).
    public struct Palette: Sendable, Equatable {
        /// The ground off the road: DeepRacer's pale green-gray grass.
        public var floor: Double = 126
        /// Amplitude of the grass's soft pattern, gray levels: DeepRacer's grass spreads over
        /// about 115 to 135. Fitted on the first half of DeepRacer's episode (docs/camera.md).
        public var floorTexture: Double = 16
        /// Mean gray of the asphalt.
        public var road: Double = 49
        /// Amplitude of the asphalt's grain, gray levels (texel noise within +/- this).
        public var roadTexture: Double = 8
        /// The white border lines.
        public var border: Double = 231
        /// Amplitude of the border lines' grain, gray levels (texel noise within +/- this):
        /// DeepRacer's white lines spread over about 215 to 250. Fitted with `floorTexture`.
        public var borderTexture: Double = 20
        /// The orange-yellow centre line.
        public var centreLine: Double = Self.gray(red: 230, green: 150, blue: 20)
        /// The four walls' gray, by the wall: the one at the largest x, the smallest x, the
        /// largest y, the smallest y. Gazebo lights them from one side, so they differ.
        public var walls: [Double] = [60, 52, 0, 23]
        /// How much brighter a wall gets per metre above the camera, as a share of its gray
        /// (Gazebo's light leaves DeepRacer's walls a little brighter toward the top; a black
        /// wall stays black); 0 keeps them flat. Fitted on the first half of DeepRacer's
        /// episode (docs/camera.md).
        public var wallGradient: Double = 0.3
        /// Above the walls: Gazebo's black background.
        public var sky: Double = 0
        public var box: Double = Self.gray(red: 214, green: 160, blue: 96)
        public var botCar: Double = Self.gray(red: 226, green: 84, blue: 42)

        public init() {}

        /// The camera's colour-to-gray rule.
        public static func gray(red: Double, green: Double, blue: Double) -> Double {
            0.299 * red + 0.587 * green + 0.114 * blue
        }
    }

    /// Sizes of the painted lines, metres.
    public struct Markings: Sendable, Equatable {
        /// Width of each white border line, centred on the track's border.
        public var borderWidth = 0.075
        /// Width of the dashed centre line.
        public var centreLineWidth = 0.025
        /// Length of one dash and of the gap after it.
        public var centreDash = 0.05
        public var centreGap = 0.07

        public init() {}
    }

    /// What the floor around the track looks like. Training with domain randomisation builds
    /// scenes with several patterns and picks one per episode.
    public enum FloorPattern: Sendable, Equatable {
        /// Soft random grass texture; `seed` picks the pattern.
        case carpet(seed: Int)
        /// Square tiles `size` metres wide in two tones.
        case tiles(size: Double)
        /// One even tone.
        case plain
    }

    /// Metres per texel of level 0.
    public let texelSize: Double
    /// World position of the corner of texel (0, 0).
    public let origin: Vector2
    /// The room's walls: an axis-aligned rectangle around the track, metres.
    public let arenaMinimum: Vector2
    public let arenaMaximum: Vector2
    /// Height of the walls, metres.
    public let wallHeight: Double
    public let palette: Palette
    public let markings: Markings
    /// Level 0 (finest) first.
    public let levels: [Level]

    /// How far the walls stand beyond the track's borders by default, metres (fitted).
    public static let defaultMargin = 0.5
    /// How high the walls are by default, metres (fitted: DeepRacer's frames never show their top).
    public static let defaultWallHeight = 3.0

    /// Builds the scene for `track` with walls `margin` metres beyond its borders.
    public init(
        track: Track, texelSize: Double = 0.01, margin: Double = Self.defaultMargin,
        wallHeight: Double = Self.defaultWallHeight, palette: Palette = Palette(), markings: Markings = Markings(),
        floor: FloorPattern = .carpet(seed: 0)
    ) {
        precondition(palette.walls.count == 4, "a palette needs four wall shades")
        let bounds = track.bounds
        let lo = bounds.minimum - Vector2(margin, margin)
        let hi = bounds.maximum + Vector2(margin, margin)
        let width = Int(((hi.x - lo.x) / texelSize).rounded(.up))
        let height = Int(((hi.y - lo.y) / texelSize).rounded(.up))
        self.texelSize = texelSize
        self.origin = lo
        self.arenaMinimum = lo
        self.arenaMaximum = Vector2(lo.x + Double(width) * texelSize, lo.y + Double(height) * texelSize)
        self.wallHeight = wallHeight
        self.palette = palette
        self.markings = markings

        var painter = TexturePainter(width: width, height: height, origin: lo, texelSize: texelSize)
        switch floor {
        case .carpet(let seed):
            painter.fillNoise(base: palette.floor, amplitude: palette.floorTexture, cellSize: 0.08, seed: seed)
        case .tiles(let size):
            painter.fillTiles(base: palette.floor, contrast: 18, size: size)
        case .plain:
            painter.fillNoise(base: palette.floor, amplitude: 0, cellSize: 1, seed: 0)
        }
        painter.fillRings(
            track.isLoop ? [track.outerBorder, track.innerBorder] : [track.outerBorder + track.innerBorder.reversed()],
            value: palette.road, grain: palette.roadTexture)
        painter.stroke(
            track.innerBorder, width: markings.borderWidth, value: palette.border, grain: palette.borderTexture)
        painter.stroke(
            track.outerBorder, width: markings.borderWidth, value: palette.border, grain: palette.borderTexture)
        painter.strokeDashed(
            track.waypoints, width: markings.centreLineWidth, dash: markings.centreDash, gap: markings.centreGap,
            value: palette.centreLine, skipFirst: 0.1)

        var levels = [Level(width: width, height: height, pixels: painter.quantized())]
        while let last = levels.last, last.width > 8 && last.height > 8 {
            levels.append(Self.halve(last))
        }
        self.levels = levels
    }

    /// The next mipmap level: each texel the mean of a 2x2 block.
    static func halve(_ level: Level) -> Level {
        let w = (level.width + 1) / 2
        let h = (level.height + 1) / 2
        var out = [UInt8](repeating: 0, count: w * h)
        level.pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                let y0 = min(2 * y, level.height - 1)
                let y1 = min(2 * y + 1, level.height - 1)
                for x in 0..<w {
                    let x0 = min(2 * x, level.width - 1)
                    let x1 = min(2 * x + 1, level.width - 1)
                    let sum =
                        Int(src[y0 * level.width + x0]) + Int(src[y0 * level.width + x1])
                        + Int(src[y1 * level.width + x0])
                        + Int(src[y1 * level.width + x1])
                    out[y * w + x] = UInt8((sum + 2) / 4)
                }
            }
        }
        return Level(width: w, height: h, pixels: out)
    }
}

/// Paints the level-0 texture in floating point with anti-aliased edges.
struct TexturePainter {
    let width: Int
    let height: Int
    let origin: Vector2
    let texelSize: Double
    var values: [Float]

    init(width: Int, height: Int, origin: Vector2, texelSize: Double) {
        self.width = width
        self.height = height
        self.origin = origin
        self.texelSize = texelSize
        self.values = [Float](repeating: 0, count: width * height)
    }

    /// Texel coordinates (texel centres at +0.5) of a world point.
    func texel(_ p: Vector2) -> Vector2 {
        (p - origin) / texelSize
    }

    /// A repeatable pseudo-random value in -1 ... 1 for a texel.
    static func hash(_ x: Int, _ y: Int, seed: Int) -> Double {
        var h = UInt64(bitPattern: Int64(x &* 374_761_393 &+ y &* 668_265_263 &+ seed &* 1_442_695_041))
        h = (h ^ (h >> 13)) &* 1_274_126_177
        h ^= h >> 16
        return Double(h & 0xFFFF) / 65535.0 * 2 - 1
    }

    /// A smooth random pattern around `base` (value noise on a grid of `cellSize` metres), like grass.
    mutating func fillNoise(base: Double, amplitude: Double, cellSize: Double, seed: Int) {
        let cells = max(cellSize / texelSize, 1)
        func hash(_ x: Int, _ y: Int) -> Double { Self.hash(x, y, seed: seed) }
        for ty in 0..<height {
            let gy = Double(ty) / cells
            let iy = Int(gy.rounded(.down))
            let fy = gy - Double(iy)
            for tx in 0..<width {
                let gx = Double(tx) / cells
                let ix = Int(gx.rounded(.down))
                let fx = gx - Double(ix)
                let top = hash(ix, iy) * (1 - fx) + hash(ix + 1, iy) * fx
                let bottom = hash(ix, iy + 1) * (1 - fx) + hash(ix + 1, iy + 1) * fx
                let fine = hash(tx, ty) * 0.35
                values[ty * width + tx] = Float(base + amplitude * (top * (1 - fy) + bottom * fy + fine))
            }
        }
    }

    /// Square tiles `size` metres wide, alternating `base` +/- `contrast` / 2, with thin grout lines.
    mutating func fillTiles(base: Double, contrast: Double, size: Double) {
        let tile = max(size / texelSize, 2)
        for ty in 0..<height {
            let gy = Double(ty) / tile
            let row = Int(gy.rounded(.down))
            let groutY = gy - Double(row) < 0.03
            for tx in 0..<width {
                let gx = Double(tx) / tile
                let column = Int(gx.rounded(.down))
                let grout = groutY || gx - Double(column) < 0.03
                let tone = (row + column) % 2 == 0 ? base + contrast / 2 : base - contrast / 2
                values[ty * width + tx] = Float(grout ? base - contrast : tone)
            }
        }
    }

    /// Fills the area inside `rings` (even-odd rule) with `value`, anti-aliased with 4 sub-rows,
    /// with a grain of texel noise within +/- `grain` gray levels (asphalt).
    mutating func fillRings(_ rings: [[Vector2]], value: Double, grain: Double = 0) {
        var edges: [(Vector2, Vector2)] = []
        for ring in rings {
            for i in ring.indices {
                let a = texel(ring[i])
                let b = texel(ring[(i + 1) % ring.count])
                if a.y != b.y { edges.append((a, b)) }
            }
        }
        let subRows = 4
        var coverage = [Float](repeating: 0, count: width)
        var crossings: [Double] = []
        for ty in 0..<height {
            for i in 0..<width { coverage[i] = 0 }
            var touched = false
            for s in 0..<subRows {
                let y = Double(ty) + (Double(s) + 0.5) / Double(subRows)
                crossings.removeAll(keepingCapacity: true)
                for (a, b) in edges where (a.y > y) != (b.y > y) {
                    crossings.append(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x))
                }
                guard crossings.count >= 2 else { continue }
                crossings.sort()
                touched = true
                var k = 0
                while k + 1 < crossings.count {
                    addSpan(from: crossings[k], to: crossings[k + 1], weight: 1 / Float(subRows), into: &coverage)
                    k += 2
                }
            }
            guard touched else { continue }
            for tx in 0..<width where coverage[tx] > 0 {
                let c = min(coverage[tx], 1)
                let v = Float(value + grain * Self.hash(tx, ty, seed: 7))
                values[ty * width + tx] += (v - values[ty * width + tx]) * c
            }
        }
    }

    /// Adds `weight` times the overlap of [x0, x1) with each texel.
    private func addSpan(from x0: Double, to x1: Double, weight: Float, into coverage: inout [Float]) {
        let start = max(x0, 0)
        let end = min(x1, Double(width))
        guard end > start else { return }
        let first = Int(start)
        let last = min(Int(end), width - 1)
        if first == last {
            coverage[first] += weight * Float(end - start)
            return
        }
        coverage[first] += weight * Float(Double(first + 1) - start)
        if first + 1 <= last - 1 {
            for i in (first + 1)...(last - 1) { coverage[i] += weight }
        }
        if last < width { coverage[last] += weight * Float(end - Double(last)) }
    }

    /// Draws a polyline `width` metres wide with round ends, anti-aliased.
    mutating func stroke(_ points: [Vector2], width lineWidth: Double, value: Double, grain: Double = 0) {
        var coverage = [Float](repeating: 0, count: 0)
        var touched: [Int] = []
        strokeCoverage(points, width: lineWidth, coverage: &coverage, touched: &touched)
        composite(coverage: coverage, touched: touched, value: value, grain: grain)
    }

    /// Draws the dashes of a dashed polyline: `dash` metres on, `gap` metres off, starting
    /// `skipFirst` metres in.
    mutating func strokeDashed(
        _ points: [Vector2], width lineWidth: Double, dash: Double, gap: Double, value: Double, skipFirst: Double
    ) {
        let line = Polyline(points, isLoop: false)
        var coverage = [Float](repeating: 0, count: 0)
        var touched: [Int] = []
        var start = skipFirst
        while start + dash <= line.length - skipFirst {
            var dashPoints = [line.pose(atDistance: start).position]
            var i = 0
            while i < points.count && line.cumulativeDistances[i] <= start { i += 1 }
            while i < points.count && line.cumulativeDistances[i] < start + dash {
                dashPoints.append(points[i])
                i += 1
            }
            dashPoints.append(line.pose(atDistance: start + dash).position)
            strokeCoverage(dashPoints, width: lineWidth, coverage: &coverage, touched: &touched)
            start += dash + gap
        }
        composite(coverage: coverage, touched: touched, value: value)
    }

    private func strokeCoverage(
        _ points: [Vector2], width lineWidth: Double, coverage: inout [Float], touched: inout [Int]
    ) {
        if coverage.isEmpty { coverage = [Float](repeating: 0, count: width * height) }
        let radius = lineWidth / 2 / texelSize
        for i in 0..<max(points.count - 1, 1) {
            let a = texel(points[i])
            let b = texel(points[min(i + 1, points.count - 1)])
            let x0 = max(Int((min(a.x, b.x) - radius - 1).rounded(.down)), 0)
            let x1 = min(Int((max(a.x, b.x) + radius + 1).rounded(.up)), width - 1)
            let y0 = max(Int((min(a.y, b.y) - radius - 1).rounded(.down)), 0)
            let y1 = min(Int((max(a.y, b.y) + radius + 1).rounded(.up)), height - 1)
            guard x0 <= x1, y0 <= y1 else { continue }
            let ab = b - a
            let lengthSquared = ab.lengthSquared
            for ty in y0...y1 {
                for tx in x0...x1 {
                    let p = Vector2(Double(tx) + 0.5, Double(ty) + 0.5)
                    var t = lengthSquared > 0 ? (p - a).dot(ab) / lengthSquared : 0
                    t = min(max(t, 0), 1)
                    let d = (a + ab * t - p).length
                    let c = Float(min(max(radius - d + 0.5, 0), 1))
                    if c > 0 {
                        let index = ty * width + tx
                        if coverage[index] == 0 { touched.append(index) }
                        coverage[index] = max(coverage[index], c)
                    }
                }
            }
        }
    }

    /// Paints `value` over the covered texels, each with its own noise within +/- `grain`.
    private mutating func composite(coverage: [Float], touched: [Int], value: Double, grain: Double = 0) {
        let v = Float(value)
        for index in touched {
            let painted = grain == 0 ? v : v + Float(grain * Self.hash(index % width, index / width, seed: 11))
            values[index] += (painted - values[index]) * coverage[index]
        }
    }

    /// The painted values rounded to bytes.
    func quantized() -> [UInt8] {
        values.map { UInt8(min(max($0.rounded(), 0), 255)) }
    }
}
