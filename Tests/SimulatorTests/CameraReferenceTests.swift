import Testing

@testable import Simulator

#if canImport(Glibc)
    import Glibc
#endif

/// The camera against a plain reference: DeepRacer renders 640x480 and averages 4x4 blocks down
/// to 160x120; the reference does the same with 4x4 rays per pixel into the finest texture.
@Suite struct CameraReferenceTests {
    /// The floor seen through 4x4 rays per pixel, or nil where a ray misses the floor texture.
    static func referenceFrame(scene: CameraScene, model: CameraModel, car: CarState) -> [Double?] {
        let view = CameraView(model: model, car: car)
        let level = scene.levels[0]
        func sample(_ p: Vector2) -> Double? {
            let u = (p.x - scene.origin.x) / scene.texelSize - 0.5
            let v = (p.y - scene.origin.y) / scene.texelSize - 0.5
            guard u >= 0, v >= 0, u < Double(level.width - 1), v < Double(level.height - 1) else { return nil }
            let ui = Int(u)
            let vi = Int(v)
            let fu = u - Double(ui)
            let fv = v - Double(vi)
            func at(_ x: Int, _ y: Int) -> Double { Double(level.pixels[y * level.width + x]) }
            let top = at(ui, vi) * (1 - fu) + at(ui + 1, vi) * fu
            let bottom = at(ui, vi + 1) * (1 - fu) + at(ui + 1, vi + 1) * fu
            return top * (1 - fv) + bottom * fv
        }
        var frame: [Double?] = []
        for row in 0..<Camera.height {
            for column in 0..<Camera.width {
                var sum = 0.0
                var hits = 0
                for sy in 0..<4 {
                    let y = 1 - (Double(row) + (Double(sy) + 0.5) / 4) * 2 / Double(Camera.height)
                    let rise = view.rise(y)
                    guard rise < 0 else { continue }
                    for sx in 0..<4 {
                        let x = (Double(column) + (Double(sx) + 0.5) / 4) * 2 / Double(Camera.width) - 1
                        let point = view.eye + view.horizontal(x: x, y: y) * (model.height / -rise)
                        if let value = sample(point) {
                            sum += value
                            hits += 1
                        }
                    }
                }
                frame.append(hits == 16 ? sum / 16 : nil)
            }
        }
        return frame
    }

    /// Poses on reinvent_base, and the largest mean and 99th-percentile differences allowed for
    /// one and for four floor reads per pixel.
    static let poses = [(2.0, 0.95, 0.0), (6.2, 2.0, 100.0), (1.0, 3.9, 210.0)]

    @Test(arguments: [(1, 2.0, 40.0), (4, 1.0, 20.0)])
    func floorMatchesTheSupersampledReference(depthSamples: Int, meanLimit: Double, p99Limit: Double) throws {
        for (x, y, heading) in Self.poses {
            try check(
                x: x, y: y, heading: heading, depthSamples: depthSamples, meanLimit: meanLimit, p99Limit: p99Limit)
        }
    }

    func check(x: Double, y: Double, heading: Double, depthSamples: Int, meanLimit: Double, p99Limit: Double) throws {
        let track = try Track(npyBytes: SharedData.trackBytes("reinvent_base"), id: "r", source: "r")
        let scene = CameraScene(track: track)
        let car = Simulation.car(referencePoint: Vector2(x, y), headingDegrees: heading)
        var frame: [UInt8] = []
        Camera(scene: scene, depthSamples: depthSamples).render(car: car, into: &frame)
        let reference = Self.referenceFrame(scene: scene, model: .front, car: car)
        var differences: [Double] = []
        for (value, expected) in zip(frame, reference) {
            if let expected {
                differences.append(abs(Double(value) - expected))
            }
        }
        try #require(differences.count > 8000, "most of the frame shows floor")
        differences.sort()
        let mean = differences.reduce(0, +) / Double(differences.count)
        let p99 = differences[differences.count * 99 / 100]
        #expect(mean < meanLimit, "pose (\(x), \(y), \(heading)): mean absolute difference \(mean)")
        #expect(p99 < p99Limit, "pose (\(x), \(y), \(heading)): 99th percentile \(p99)")
    }
}
