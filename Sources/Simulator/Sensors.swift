/// The sensors DeepRacer models can use, under DeepRacer's names.
public enum SensorKind: String, Sendable, Codable, CaseIterable {
    case frontFacingCamera = "FRONT_FACING_CAMERA"
    case stereoCameras = "STEREO_CAMERAS"
    case lidar = "LIDAR"
    case sectorLidar = "SECTOR_LIDAR"
}

extension Array where Element == SensorKind {
    /// Camera channels these sensors give: 2 for the stereo pair, else 1.
    public var cameraChannels: Int { contains(.stereoCameras) ? 2 : 1 }

    /// LIDAR values in each observation: 64 ranges, 8 sector flags, or none.
    public var lidarSize: Int {
        if contains(.lidar) { return Lidar.beamCount }
        if contains(.sectorLidar) { return Lidar.sectorCount }
        return 0
    }
}

/// What the car observes in one step.
public struct Observation: Sendable, Equatable {
    /// Camera frames, (120, 160, channels) channels last: 1 channel for the front camera, 2 for
    /// the stereo pair (left, right). Gray values 0 ... 255.
    public var camera: [UInt8]
    /// Number of camera channels.
    public var channels: Int
    /// LIDAR observation: 64 clipped ranges (LIDAR) or 8 sector flags (SECTOR_LIDAR); empty without.
    public var lidar: [Double]
}

/// A car's sensor set: renders camera frames and LIDAR scans for a simulation.
public struct Sensors: Sendable {
    public let camera: SensorKind
    public let lidar: SensorKind?
    /// The camera and the LIDAR, if any.
    public var kinds: [SensorKind] { [camera] + (lidar.map { [$0] } ?? []) }
    /// The scenes the camera may see: the plain one first, then one per randomised floor pattern.
    public let scenes: [CameraScene]
    public let randomization: DomainRandomization?
    /// Floor reads per pixel along its depth (see `Camera.depthSamples`).
    public let depthSamples: Int
    var lidarScanner: Lidar
    var episodeLook: DomainRandomization.Episode?
    var sceneIndex = 0
    var random: SeededRandom
    var frame: [UInt8] = []

    /// - Parameters:
    ///   - kinds: one camera (front or stereo) and at most one LIDAR kind.
    ///   - track: the track the scenes show.
    ///   - randomization: vary lighting, floor and noise each episode (sim-to-real); nil for none.
    ///   - depthSamples: floor reads per pixel along its depth, 1 ... 4.
    ///   - seed: seeds the randomisation and the LIDAR noise.
    public init(
        kinds: [SensorKind], track: Track, randomization: DomainRandomization? = nil, depthSamples: Int = 1,
        seed: UInt64 = 0
    ) {
        var scenes = [CameraScene(track: track)]
        for pattern in randomization?.floorPatterns ?? [] { scenes.append(CameraScene(track: track, floor: pattern)) }
        self.init(kinds: kinds, scenes: scenes, randomization: randomization, depthSamples: depthSamples, seed: seed)
    }

    /// Sensors over scenes already built (the first is used when not randomising).
    public init(
        kinds: [SensorKind], scenes: [CameraScene], randomization: DomainRandomization? = nil, depthSamples: Int = 1,
        seed: UInt64 = 0
    ) {
        precondition(!scenes.isEmpty, "Sensors need at least one scene")
        camera = kinds.contains(.stereoCameras) ? .stereoCameras : .frontFacingCamera
        lidar = kinds.first { $0 == .lidar || $0 == .sectorLidar }
        self.scenes = scenes
        self.randomization = randomization
        self.depthSamples = depthSamples
        self.lidarScanner = Lidar(scene: scenes[0])
        self.random = SeededRandom(seed: seed ^ 0x5EED_5E45)
    }

    /// The scene the camera shows this episode.
    public var scene: CameraScene { scenes[sceneIndex] }

    /// Draws a new look for the episode about to start (when randomising): lighting, noise, floor.
    public mutating func startEpisode() {
        guard let randomization else { return }
        episodeLook = randomization.episode(random: &random)
        sceneIndex = Int(random.next() % UInt64(scenes.count))
    }

    /// What the car in `simulation` sees now.
    public mutating func observe(_ simulation: Simulation) -> Observation {
        let models: [CameraModel] = camera == .stereoCameras ? [.stereoLeft, .stereoRight] : [.front]
        let pixels = Camera.width * Camera.height
        var output = [UInt8](repeating: 0, count: pixels * models.count)
        for (channel, model) in models.enumerated() {
            Camera(scene: scene, model: model, depthSamples: depthSamples).render(
                car: simulation.car, objects: simulation.objects, into: &frame)
            if let look = episodeLook { look.apply(to: &frame, random: &random) }
            if models.count == 1 {
                output = frame
            } else {
                for i in 0..<pixels { output[i * models.count + channel] = frame[i] }
            }
        }
        var lidarValues: [Double] = []
        if let lidar {
            let ranges = lidarScanner.scan(car: simulation.car, objects: simulation.objects, random: &random)
            lidarValues = lidar == .lidar ? Lidar.observation(ranges) : Lidar.sectors(ranges)
        }
        return Observation(camera: output, channels: models.count, lidar: lidarValues)
    }
}
