/// The sensors DeepRacer models can use, under DeepRacer's names.
public enum SensorKind: String, Sendable, Codable, CaseIterable {
    case frontFacingCamera = "FRONT_FACING_CAMERA"
    case stereoCameras = "STEREO_CAMERAS"
    case lidar = "LIDAR"
    case sectorLidar = "SECTOR_LIDAR"
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
    public let scene: CameraScene
    public var randomization: DomainRandomization?
    var lidarScanner: Lidar
    var episodeLook: DomainRandomization.Episode?
    var random: SeededRandom
    var frame: [UInt8] = []

    /// - Parameters:
    ///   - kinds: one camera (front or stereo) and at most one LIDAR kind.
    ///   - randomization: vary lighting and add noise each episode (sim-to-real).
    /// Floor reads per pixel along its depth (see `Camera.depthSamples`).
    public let depthSamples: Int

    public init(
        kinds: [SensorKind], scene: CameraScene, randomization: DomainRandomization? = nil, depthSamples: Int = 1,
        seed: UInt64 = 0
    ) {
        self.depthSamples = depthSamples
        camera = kinds.contains(.stereoCameras) ? .stereoCameras : .frontFacingCamera
        lidar = kinds.first { $0 == .lidar || $0 == .sectorLidar }
        self.scene = scene
        self.randomization = randomization
        self.lidarScanner = Lidar(scene: scene)
        self.random = SeededRandom(seed: seed ^ 0x5EED_5E45)
    }

    /// Draws a new look for the episode about to start (when randomising).
    public mutating func startEpisode() {
        episodeLook = randomization.map { $0.episode(random: &random) }
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
