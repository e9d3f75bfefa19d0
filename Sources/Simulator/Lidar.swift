#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The car's LIDAR as DeepRacer simulates it: 64 beams over 300 degrees, mounted facing backwards.
///
/// The scanner sits 0.029 m ahead of base_link, turned by 180 degrees, and sweeps from -150 to
/// +150 degrees of its own forward direction, so its beams cover everything but the 60 degrees
/// straight ahead of the car (where the camera looks). Beams stop at the room's walls and at
/// boxes and bot cars; the road's painted lines are flat and not seen. Ranges run 0.15 to 12 m;
/// the network's observation clips them to 0.15 ... 1.0 m.
public struct Lidar: Sendable, Equatable {
    public static let beamCount = 64
    public static let minimumAngle = -150.0 * .pi / 180
    public static let maximumAngle = 150.0 * .pi / 180
    public static let minimumRange = 0.15
    public static let maximumRange = 12.0
    /// The observation's clipping distance, metres.
    public static let clippingDistance = 1.0
    /// SECTOR_LIDAR: 8 sectors, each 1 when something is closer than 0.5 m.
    public static let sectorCount = 8
    public static let sectorDistance = 0.5
    /// Mounting point in the car's frame, metres.
    public static let offset = Vector2(0.02913, 0)
    /// The scanner's yaw relative to the car, radians.
    public static let mountYaw = Double.pi

    /// Room walls: the axis-aligned rectangle the beams stop at.
    public var arenaMinimum: Vector2
    public var arenaMaximum: Vector2
    /// Standard deviation of the range noise, metres (DeepRacer: 0.01); 0 for exact ranges.
    public var noise: Double

    public init(arenaMinimum: Vector2, arenaMaximum: Vector2, noise: Double = 0.01) {
        self.arenaMinimum = arenaMinimum
        self.arenaMaximum = arenaMaximum
        self.noise = noise
    }

    /// A LIDAR whose beams stop at the walls of `scene`'s room.
    public init(scene: CameraScene, noise: Double = 0.01) {
        self.init(arenaMinimum: scene.arenaMinimum, arenaMaximum: scene.arenaMaximum, noise: noise)
    }

    /// The direction of beam `index` relative to the car's heading, radians.
    public static func beamAngle(_ index: Int) -> Double {
        mountYaw + minimumAngle + (maximumAngle - minimumAngle) * Double(index) / Double(beamCount - 1)
    }

    /// Raw ranges of the 64 beams, metres (0.15 ... 12), in scan order.
    public func scan(car: CarState, objects: [TrackObject], random: inout SeededRandom) -> [Double] {
        let origin = car.worldPoint(Self.offset)
        var ranges = [Double](repeating: Self.maximumRange, count: Self.beamCount)
        for beam in 0..<Self.beamCount {
            let direction = Vector2(angle: car.heading + Self.beamAngle(beam))
            var distance = Camera.exitDistance(
                from: origin, direction: direction, minimum: arenaMinimum, maximum: arenaMaximum)
            for object in objects {
                if let hit = Self.hit(object, from: origin, direction: direction) { distance = min(distance, hit) }
            }
            if noise > 0 { distance += noise * random.gaussian() }
            ranges[beam] = min(max(distance, Self.minimumRange), Self.maximumRange)
        }
        return ranges
    }

    /// The observation the network gets: ranges clipped to 0.15 ... 1.0 m.
    public static func observation(_ ranges: [Double]) -> [Double] {
        ranges.map { min(max($0, minimumRange), clippingDistance) }
    }

    /// SECTOR_LIDAR: for each of 8 equal sectors of the sweep, 1 when a beam there sees
    /// something closer than 0.5 m, else 0.
    public static func sectors(_ ranges: [Double]) -> [Double] {
        let perSector = beamCount / sectorCount
        return (0..<sectorCount).map { sector in
            ranges[(sector * perSector)..<((sector + 1) * perSector)].contains { $0 < sectorDistance } ? 1 : 0
        }
    }

    /// Distance along a unit `direction` from `origin` to the object's rectangle, if the ray meets it.
    static func hit(_ object: TrackObject, from origin: Vector2, direction: Vector2) -> Double? {
        let forward = Vector2(angle: object.heading)
        let left = forward.perpendicularLeft
        let relative = origin - object.position
        let o = (relative.dot(forward), relative.dot(left))
        let d = (direction.dot(forward), direction.dot(left))
        var tNear = -Double.infinity
        var tFar = Double.infinity
        for (oc, dc, half) in [(o.0, d.0, object.halfLength), (o.1, d.1, object.halfWidth)] {
            if abs(dc) < 1e-12 {
                if abs(oc) > half { return nil }
                continue
            }
            var t1 = (-half - oc) / dc
            var t2 = (half - oc) / dc
            if t1 > t2 { swap(&t1, &t2) }
            tNear = max(tNear, t1)
            tFar = min(tFar, t2)
            if tNear > tFar { return nil }
        }
        return tNear >= 0 ? tNear : (tFar >= 0 ? 0 : nil)
    }
}
