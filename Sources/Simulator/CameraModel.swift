#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a camera sits on the car and what it sees, as in DeepRacer's simulator.
///
/// The front camera is 0.145 m ahead of base_link and 0.130 m above the ground, pitched down 15
/// degrees, with a horizontal field of view of 1.13 rad (about 65 degrees) and a 4:3 image.
/// The stereo pair sits 0.03 m to each side of it.
public struct CameraModel: Sendable, Equatable {
    /// Position in the car's frame (x forward, y left), metres from base_link.
    public var offset: Vector2
    /// Height above the ground, metres.
    public var height: Double
    /// Downward pitch, radians.
    public var pitch: Double
    /// Horizontal field of view, radians.
    public var horizontalFieldOfView: Double
    /// Image height over width (480/640).
    public var aspectRatio: Double
    /// Nearest distance that counts as seen, metres.
    public var nearDistance: Double

    public init(
        offset: Vector2 = Vector2(0.14529, 0), height: Double = 0.13033, pitch: Double = 0.2618,
        horizontalFieldOfView: Double = 1.13, aspectRatio: Double = 0.75, nearDistance: Double = 0.2
    ) {
        self.offset = offset
        self.height = height
        self.pitch = pitch
        self.horizontalFieldOfView = horizontalFieldOfView
        self.aspectRatio = aspectRatio
        self.nearDistance = nearDistance
    }

    /// The single front-facing camera.
    public static let front = CameraModel()
    /// The left camera of the stereo pair.
    public static let stereoLeft = CameraModel(offset: Vector2(0.14529, 0.03))
    /// The right camera of the stereo pair.
    public static let stereoRight = CameraModel(offset: Vector2(0.14529, -0.03))

    /// tan of half the horizontal field of view.
    public var tanHalfHorizontal: Double { tan(horizontalFieldOfView / 2) }
    /// tan of half the vertical field of view.
    public var tanHalfVertical: Double { tanHalfHorizontal * aspectRatio }

    /// Where a world point appears: normalised image coordinates (x right, y up, each -1 ... 1 on
    /// screen) and its depth along the view axis, metres; nil when behind the camera.
    public func project(_ point: Vector2, z: Double, from car: CarState) -> (x: Double, y: Double, depth: Double)? {
        let eye = car.worldPoint(offset)
        let forward = car.forward
        let d = point - eye
        let dz = z - height
        let along = d.dot(forward)
        let left = d.dot(forward.perpendicularLeft)
        // Rotate by the pitch: the view axis points down by `pitch`.
        let depth = along * cos(pitch) - dz * sin(pitch)
        let up = along * sin(pitch) + dz * cos(pitch)
        guard depth > 1e-6 else { return nil }
        return (-left / depth / tanHalfHorizontal, up / depth / tanHalfVertical, depth)
    }

    /// Whether any corner of the object's footprint, or its centre, is in view (DeepRacer's
    /// `object_in_camera` test against the camera frustum).
    public func sees(_ object: TrackObject, from car: CarState) -> Bool {
        for point in object.corners + [object.position] {
            if let p = project(point, z: 0, from: car), p.depth >= nearDistance, abs(p.x) <= 1, abs(p.y) <= 1 {
                return true
            }
        }
        return false
    }
}
