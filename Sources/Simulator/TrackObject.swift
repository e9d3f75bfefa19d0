#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A box or a bot car on the track.
public struct TrackObject: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case box
        case botCar = "bot_car"
    }

    public var kind: Kind
    /// Centre of the object, metres.
    public var position: Vector2
    /// Yaw, radians.
    public var heading: Double
    /// Half the length along `heading`, metres.
    public var halfLength: Double
    /// Half the width across `heading`, metres.
    public var halfWidth: Double
    /// Speed along the track, metres per second (0 for boxes).
    public var speed: Double
    /// The lane it stands or drives in.
    public var lane: Lane

    /// A DeepRacer box with its buffer: 0.5 m along the lane by 0.4 m across.
    public static func box(at position: Vector2, heading: Double, lane: Lane) -> TrackObject {
        TrackObject(
            kind: .box, position: position, heading: heading, halfLength: 0.25, halfWidth: 0.2, speed: 0, lane: lane)
    }

    /// A bot car, the same size as the learner's car.
    public static func botCar(at position: Vector2, heading: Double, speed: Double, lane: Lane) -> TrackObject {
        TrackObject(
            kind: .botCar, position: position, heading: heading, halfLength: CarGeometry.halfLength,
            halfWidth: CarGeometry.halfWidth, speed: speed, lane: lane)
    }

    /// Whether `p` lies strictly inside the object's rectangle.
    public func contains(_ p: Vector2) -> Bool {
        let d = p - position
        let forward = Vector2(angle: heading)
        let along = d.dot(forward)
        let across = d.dot(forward.perpendicularLeft)
        return abs(along) < halfLength && abs(across) < halfWidth
    }

    /// The rectangle's corners, counter-clockwise from front left.
    public var corners: [Vector2] {
        let forward = Vector2(angle: heading)
        let left = forward.perpendicularLeft
        return [
            position + forward * halfLength + left * halfWidth, position - forward * halfLength + left * halfWidth,
            position - forward * halfLength - left * halfWidth, position + forward * halfLength - left * halfWidth,
        ]
    }
}
