import Testing

@testable import Simulator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SensorTests {
    static let track = TestTracks.circle(radius: 4, width: 1.0)
    static let scene = CameraScene(track: track)

    /// A car on the centre line at angle 0 of the circle, facing along the track.
    static var carOnCentre: CarState { Simulation.car(referencePoint: Vector2(4, 0), headingDegrees: 90) }

    @Test func frameIsDeterministicAndTheRightSize() {
        var a: [UInt8] = []
        var b: [UInt8] = []
        Camera(scene: Self.scene).render(car: Self.carOnCentre, into: &a)
        Camera(scene: Self.scene).render(car: Self.carOnCentre, into: &b)
        #expect(a.count == 160 * 120)
        #expect(a == b)
    }

    @Test func roadBelowLinesBesideSkyAbove() {
        var frame: [UInt8] = []
        Camera(scene: Self.scene).render(car: Self.carOnCentre, into: &frame)
        func pixel(_ x: Int, _ y: Int) -> Int { Int(frame[y * 160 + x]) }
        let palette = Self.scene.palette
        // Bottom rows, left of centre: textured road (the dashed centre line runs up the middle).
        let bottom = (116..<120).flatMap { y in (36..<44).map { pixel($0, y) } }
        #expect(abs(Double(bottom.reduce(0, +)) / Double(bottom.count) - palette.road) < 6)
        // The top row shows the room: DeepRacer's dark walls (a little brighter high up) or black
        // sky, no floor.
        let darkest = palette.walls.min() ?? 0
        let brightest = (palette.walls.max() ?? 0) * (1 + palette.wallGradient * 3)
        #expect((0..<160).allSatisfy { Double(pixel($0, 0)) >= darkest && Double(pixel($0, 0)) <= brightest })
        #expect((0..<160).allSatisfy { abs(Double(pixel($0, 0)) - palette.floor) > 10 })
        // The borders, 0.5 m to each side, come into view about 1 m ahead (rows 30 to 90),
        // white on each side.
        let lower = (30..<90)
        let leftMax = lower.map { y in (0..<60).map { pixel($0, y) }.max() ?? 0 }.max() ?? 0
        let rightMax = lower.map { y in (100..<160).map { pixel($0, y) }.max() ?? 0 }.max() ?? 0
        #expect(leftMax > 180)
        #expect(rightMax > 180)
    }

    @Test func thinLinesSurviveWithDistance() {
        // Looking along a long straight: the border lines are still brighter than the road near the horizon.
        let xs = (0...40).map(Double.init)
        let straight = try! Track(
            id: "long", waypoints: xs.map { Vector2($0, 0) }, innerBorder: xs.map { Vector2($0, 0.38) },
            outerBorder: xs.map { Vector2($0, -0.38) })
        let scene = CameraScene(track: straight)
        var frame: [UInt8] = []
        Camera(scene: scene).render(car: Simulation.car(referencePoint: Vector2(2, 0), headingDegrees: 0), into: &frame)
        // Find the first floor row from the top (below the walls' flat shades) and look a few rows
        // below it: far road.
        let room = (scene.palette.walls + [scene.palette.sky]).map { UInt8($0.rounded()) }
        var horizonRow = 0
        while horizonRow < 120 && room.contains(frame[horizonRow * 160 + 80]) {
            horizonRow += 1
        }
        let row = min(horizonRow + 6, 119)
        let values = (0..<160).map { Int(frame[row * 160 + $0]) }
        let road = Int(scene.palette.road)
        let bright = values.filter { $0 > road + 25 }.count
        #expect(bright >= 2, "row \(row): \(values)")
    }

    @Test func stereoFramesDiffer() {
        var left: [UInt8] = []
        var right: [UInt8] = []
        Camera(scene: Self.scene, model: .stereoLeft).render(car: Self.carOnCentre, into: &left)
        Camera(scene: Self.scene, model: .stereoRight).render(car: Self.carOnCentre, into: &right)
        #expect(left != right)
        var simulation = Simulation(track: Self.track)
        simulation.reset()
        var sensors = Sensors(kinds: [.stereoCameras, .lidar], scenes: [Self.scene])
        let observation = sensors.observe(simulation)
        #expect(observation.channels == 2)
        #expect(observation.camera.count == 120 * 160 * 2)
        #expect(observation.lidar.count == 64)
    }

    @Test func boxesShowInTheCameraAndTheLidar() {
        let settings = SimulationSettings(raceType: .objectAvoidance(ObstacleSettings(count: 1, minimumDistance: 1.2)))
        var simulation = Simulation(track: Self.track, settings: settings)
        simulation.reset()
        let result = simulation.step(Action(steeringAngle: 0, speed: 1))
        #expect(result.params.objectInCamera)
        var withBox: [UInt8] = []
        var without: [UInt8] = []
        Camera(scene: Self.scene).render(car: simulation.car, objects: simulation.objects, into: &withBox)
        Camera(scene: Self.scene).render(car: simulation.car, into: &without)
        let changed = zip(withBox, without).filter { $0 != $1 }.count
        #expect(changed > 100)
        // The box stands ahead; the LIDAR looks backwards and to the sides, so place the car past it.
        var random = SeededRandom(seed: 1)
        let lidar = Lidar(scene: Self.scene, noise: 0)
        let box = simulation.objects[0]
        let behindBox = CarState(position: box.position + Vector2(angle: box.heading) * 0.6, heading: box.heading)
        let ranges = lidar.scan(car: behindBox, objects: simulation.objects, random: &random)
        let nearest = ranges.min() ?? 12
        // base_link 0.6 m past the box centre, scanner 0.03 m further: the box's back face is 0.25 m behind the centre.
        #expect(abs(nearest - (0.6 + 0.02913 - 0.25)) < 0.02)
        #expect(Lidar.sectors(ranges).contains(1))
    }

    @Test func lidarBeamsCoverThreeHundredDegreesFacingBack() {
        #expect(abs(Lidar.beamAngle(0) - (Double.pi - 150 * .pi / 180)) < 1e-12)
        #expect(abs(Lidar.beamAngle(63) - (Double.pi + 150 * .pi / 180)) < 1e-12)
        // In an empty room every range is the distance to a wall, clipped to 1 m in the observation.
        var random = SeededRandom(seed: 2)
        let ranges = Lidar(scene: Self.scene, noise: 0).scan(car: Self.carOnCentre, objects: [], random: &random)
        #expect(ranges.allSatisfy { $0 > 0.5 && $0 <= 12 })
        #expect(Lidar.observation(ranges).allSatisfy { $0 <= 1.0 })
    }

    @Test func domainRandomizationChangesLightingPerEpisodeButIsSeeded() {
        var frame: [UInt8] = []
        Camera(scene: Self.scene).render(car: Self.carOnCentre, into: &frame)
        func looks(seed: UInt64) -> [[UInt8]] {
            var random = SeededRandom(seed: seed)
            let randomization = DomainRandomization()
            return (0..<3).map { _ in
                var copy = frame
                randomization.episode(random: &random).apply(to: &copy, random: &random)
                return copy
            }
        }
        let first = looks(seed: 5)
        #expect(first == looks(seed: 5))
        #expect(first[0] != first[1])
        #expect(first[0] != frame)
    }

    @Test func randomisedSensorsChangeTheFloorAndLightBetweenEpisodes() {
        var simulation = Simulation(track: Self.track)
        simulation.reset()
        var sensors = Sensors(
            kinds: [.frontFacingCamera], track: Self.track, randomization: DomainRandomization(), seed: 3)
        #expect(sensors.scenes.count == 4)
        var frames: Set<[UInt8]> = []
        var floors: Set<Int> = []
        for _ in 0..<8 {
            sensors.startEpisode()
            floors.insert(sensors.sceneIndex)
            frames.insert(sensors.observe(simulation).camera)
        }
        #expect(frames.count == 8)
        #expect(floors.count > 1)
    }

    @Test func floorPatternsDiffer() {
        let tiles = CameraScene(track: Self.track, floor: .tiles(size: 0.5))
        let plain = CameraScene(track: Self.track, floor: .plain)
        #expect(tiles.levels[0].pixels != plain.levels[0].pixels)
    }
}
