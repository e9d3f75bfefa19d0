import Imaging

/// A small seeded random number generator (SplitMix64) so test data is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// `count` random bytes from `seed`.
func randomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

extension Canvas {
    /// Whether the pixel at (x, y) differs from `color`.
    func isPainted(_ x: Int, _ y: Int, background: RGBColor = .white) -> Bool {
        self[x, y] != background
    }

    /// The pixels (x, y) that differ from `background`.
    func paintedPixels(background: RGBColor = .white) -> [(x: Int, y: Int)] {
        var result: [(x: Int, y: Int)] = []
        for y in 0..<height {
            for x in 0..<width where self[x, y] != background { result.append((x, y)) }
        }
        return result
    }
}
