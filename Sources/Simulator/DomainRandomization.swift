#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Varies how camera frames look from episode to episode, so a model trained in the simulator
/// does not depend on one exact lighting (domain randomisation, for sim-to-real).
///
/// Each episode draws a brightness shift, a contrast, and a gamma, applied through one 256-entry
/// table, and a noise strength; every frame then gets fresh sensor noise. `Sensors` also picks one
/// of several floor patterns each episode.
public struct DomainRandomization: Sendable, Equatable {
    /// Ranges the per-episode values are drawn from.
    public var brightness: ClosedRange<Double>
    public var contrast: ClosedRange<Double>
    public var gamma: ClosedRange<Double>
    /// Standard deviation of per-pixel noise, gray levels.
    public var noise: ClosedRange<Double>
    /// Floors to pick from each episode besides the standard carpet.
    public var floorPatterns: [CameraScene.FloorPattern]

    public init(
        brightness: ClosedRange<Double> = -35...35, contrast: ClosedRange<Double> = 0.7...1.3,
        gamma: ClosedRange<Double> = 0.75...1.35, noise: ClosedRange<Double> = 0...6,
        floorPatterns: [CameraScene.FloorPattern] = [.carpet(seed: 1), .tiles(size: 0.6), .plain]
    ) {
        self.brightness = brightness
        self.contrast = contrast
        self.gamma = gamma
        self.noise = noise
        self.floorPatterns = floorPatterns
    }

    /// The values drawn for one episode, ready to apply to frames.
    public struct Episode: Sendable {
        public let brightness: Double
        public let contrast: Double
        public let gamma: Double
        public let noise: Double
        let table: [UInt8]
        let noiseTable: [Int16]

        /// Applies the lighting table and sensor noise to a frame in place.
        public func apply(to frame: inout [UInt8], random: inout SeededRandom) {
            let offset = Int(random.next() % UInt64(noiseTable.count))
            let count = noiseTable.count
            table.withUnsafeBufferPointer { lut in
                noiseTable.withUnsafeBufferPointer { noise in
                    frame.withUnsafeMutableBufferPointer { pixels in
                        var k = offset
                        for i in 0..<pixels.count {
                            let value = Int(lut[Int(pixels[i])]) + Int(noise[k])
                            pixels[i] = UInt8(min(max(value, 0), 255))
                            k += 1
                            if k == count { k = 0 }
                        }
                    }
                }
            }
        }
    }

    /// Draws the values for a new episode.
    public func episode(random: inout SeededRandom) -> Episode {
        let b = random.uniform(brightness)
        let c = random.uniform(contrast)
        let g = random.uniform(gamma)
        let n = random.uniform(noise)
        let table = (0..<256).map { value -> UInt8 in
            let x = pow(Double(value) / 255, g) * 255
            let y = (x - 128) * c + 128 + b
            return UInt8(min(max(y.rounded(), 0), 255))
        }
        // A long table of noise read from a random place each frame costs almost nothing per pixel.
        let noiseTable = (0..<40_009).map { _ in Int16((random.gaussian() * n).rounded()) }
        return Episode(brightness: b, contrast: c, gamma: g, noise: n, table: table, noiseTable: noiseTable)
    }
}
