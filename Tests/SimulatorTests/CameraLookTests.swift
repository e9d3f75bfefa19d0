import Testing

@testable import Simulator

/// DeepRacer's look (docs/camera.md): dark walls and sky, light grass, the orange-yellow centre
/// line's gray, determinism, and the statistics `paddock bench camera` compares frames with.
@Suite struct CameraLookTests {
    static let track = TestTracks.circle(radius: 4, width: 1.0)
    static let scene = CameraScene(track: track)
    /// On the centre line at angle 0 of the circle, facing along the track.
    static var carOnCentre: CarState { Simulation.car(referencePoint: Vector2(4, 0), headingDegrees: 90) }

    /// The level-0 texel under a world point.
    static func texel(_ scene: CameraScene, _ point: Vector2) -> Int {
        let level = scene.levels[0]
        let u = Int((point.x - scene.origin.x) / scene.texelSize)
        let v = Int((point.y - scene.origin.y) / scene.texelSize)
        return Int(level.pixels[v * level.width + u])
    }

    @Test func skyAndWallsAreDark() {
        // Looking outwards across the grass at the walls, and along the road.
        for heading in [0.0, 90, 180, 270] {
            var frame: [UInt8] = []
            Camera(scene: Self.scene).render(
                car: Simulation.car(referencePoint: Vector2(4, 0), headingDegrees: heading), into: &frame)
            let top = frame[0..<(20 * Camera.width)]
            // DeepRacer's walls: dark, brightest at the top (about 15 % brighter a metre up).
            #expect(top.allSatisfy { $0 <= 90 }, "heading \(heading): brightest \(top.max() ?? 0)")
            let mean = Double(top.reduce(0) { $0 + Int($1) }) / Double(top.count)
            #expect(mean <= (Self.scene.palette.walls.max() ?? 0) * 1.3, "heading \(heading): mean \(mean)")
            // Down a column of one wall, the gray falls toward the floor (or stays black).
            let column = Camera.width / 2
            #expect(frame[column] >= frame[19 * Camera.width + column], "heading \(heading)")
        }
        #expect(Self.scene.palette.sky <= 10)
        #expect(Self.scene.palette.walls.allSatisfy { $0 <= 70 })
    }

    @Test func grassRoadAndLinesHaveDeepRacersGrays() {
        let palette = Self.scene.palette
        // The orange-yellow centre line as the camera's luma sees it (DeepRacer's frames: about 150-157).
        #expect((145...170).contains(palette.centreLine))
        #expect(abs(palette.centreLine - CameraScene.Palette.gray(red: 230, green: 150, blue: 20)) < 1e-9)
        // In the texture: grass 0.3 m outside the track, asphalt between the lines, a dash's middle.
        #expect(abs(Double(Self.texel(Self.scene, Vector2(4.8, 0.3))) - palette.floor) <= 6)
        #expect(abs(Double(Self.texel(Self.scene, Vector2(4.25, 0.3))) - palette.road) <= palette.roadTexture + 1)
        let dash = Polyline(Self.track.waypoints, isLoop: true).pose(atDistance: 0.1 + 0.5 * 0.05).position
        #expect(abs(Double(Self.texel(Self.scene, dash)) - palette.centreLine) <= 3)
        // In the frame: grass seen beside the road fills the lower corner looking outwards.
        var frame: [UInt8] = []
        Camera(scene: Self.scene).render(
            car: Simulation.car(referencePoint: Vector2(4.7, 0), headingDegrees: 0), into: &frame)
        let corner = (100..<120).flatMap { y in (0..<40).map { Int(frame[y * 160 + $0]) } }
        let mean = Double(corner.reduce(0, +)) / Double(corner.count)
        #expect(abs(mean - palette.floor) < 8, "grass corner mean \(mean)")
    }

    @Test func asphaltIsTextured() {
        var frame: [UInt8] = []
        Camera(scene: Self.scene).render(car: Self.carOnCentre, into: &frame)
        // The bottom rows left of the centre line: asphalt, with grain of a few gray levels.
        let patch = (110..<120).flatMap { y in (20..<60).map { Double(frame[y * 160 + $0]) } }
        let mean = patch.reduce(0, +) / Double(patch.count)
        let deviation = (patch.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(patch.count)).squareRoot()
        #expect(abs(mean - Self.scene.palette.road) < 4)
        #expect((2...9).contains(deviation), "asphalt grain \(deviation)")
    }

    @Test func scenesAndFramesAreDeterministic() {
        let again = CameraScene(track: Self.track)
        #expect(again.levels.map(\.pixels) == Self.scene.levels.map(\.pixels))
        let a = CameraStatistics.framesAlongCentreLine(track: Self.track, camera: Camera(scene: Self.scene), count: 5)
        let b = CameraStatistics.framesAlongCentreLine(track: Self.track, camera: Camera(scene: again), count: 5)
        #expect(a == b)
        #expect(a.count == 5 * 160 * 120)
    }

    @Test func statisticsCompareRowsAndHistograms() {
        let size = Camera.width * Camera.height
        // Frame one: rows 0-59 at 10, rows 60-119 at 30. Frame two: all 20.
        let one = (0..<size).map { $0 < size / 2 ? UInt8(10) : UInt8(30) }
        let two = [UInt8](repeating: 20, count: size)
        var a = CameraStatistics()
        a.add(frames: one + two)
        #expect(a.frameCount == 2)
        #expect(a.rowProfile[0] == 15)
        #expect(a.rowProfile[119] == 25)
        #expect(abs(a.histogram[10] - 0.25) < 1e-12 && abs(a.histogram[20] - 0.5) < 1e-12)
        var b = CameraStatistics()
        b.add(frames: two + two)
        #expect(a.rowProfileDifference(to: a) == 0)
        #expect(a.histogramDistance(to: a) == 0)
        #expect(abs(a.rowProfileDifference(to: b) - 5) < 1e-12)
        #expect(abs(a.histogramDistance(to: b) - 1) < 1e-12)
        var c = CameraStatistics()
        c.add(frames: [UInt8](repeating: 200, count: size))
        #expect(abs(b.histogramDistance(to: c) - 2) < 1e-12)
    }
}
