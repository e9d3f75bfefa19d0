/// A point or direction in the track's plane, in metres.
///
/// Track coordinates are DeepRacer's: x to the right, y up when seen from above, angles
/// counter-clockwise from +x.
public struct Vector2: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double

    @inlinable public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    @inlinable public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public static let zero = Vector2(0, 0)

    /// The unit vector at `radians` counter-clockwise from +x.
    @inlinable public init(angle radians: Double) {
        self.x = cos(radians)
        self.y = sin(radians)
    }

    @inlinable public static func + (a: Vector2, b: Vector2) -> Vector2 { Vector2(a.x + b.x, a.y + b.y) }
    @inlinable public static func - (a: Vector2, b: Vector2) -> Vector2 { Vector2(a.x - b.x, a.y - b.y) }
    @inlinable public static func * (a: Vector2, s: Double) -> Vector2 { Vector2(a.x * s, a.y * s) }
    @inlinable public static func * (s: Double, a: Vector2) -> Vector2 { Vector2(a.x * s, a.y * s) }
    @inlinable public static func / (a: Vector2, s: Double) -> Vector2 { Vector2(a.x / s, a.y / s) }
    @inlinable public static prefix func - (a: Vector2) -> Vector2 { Vector2(-a.x, -a.y) }
    @inlinable public static func += (a: inout Vector2, b: Vector2) { a = a + b }
    @inlinable public static func -= (a: inout Vector2, b: Vector2) { a = a - b }

    /// Dot product.
    @inlinable public func dot(_ other: Vector2) -> Double { x * other.x + y * other.y }
    /// The z component of the 3-D cross product: positive when `other` is counter-clockwise (left) of `self`.
    @inlinable public func cross(_ other: Vector2) -> Double { x * other.y - y * other.x }
    @inlinable public var length: Double { (x * x + y * y).squareRoot() }
    @inlinable public var lengthSquared: Double { x * x + y * y }
    /// This vector scaled to length 1 (or zero if it has no length).
    @inlinable public var normalized: Vector2 {
        let l = length
        return l > 0 ? self / l : .zero
    }
    /// Rotated 90 degrees counter-clockwise (to the left).
    @inlinable public var perpendicularLeft: Vector2 { Vector2(-y, x) }
    /// The angle of this vector in radians, -pi..pi, counter-clockwise from +x.
    @inlinable public var angle: Double { atan2(y, x) }
    /// Rotated by `radians` counter-clockwise.
    @inlinable public func rotated(by radians: Double) -> Vector2 {
        let c = cos(radians)
        let s = sin(radians)
        return Vector2(x * c - y * s, x * s + y * c)
    }
    @inlinable public func distance(to other: Vector2) -> Double { (self - other).length }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
