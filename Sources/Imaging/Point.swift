/// A position on a ``Canvas``, in pixels.
///
/// (0, 0) is the top-left corner of the top-left pixel; x grows to the right and y downwards, so
/// the centre of pixel (column 3, row 2) is (3.5, 2.5).
public struct Point: Sendable, Hashable {
    /// Pixels to the right of the canvas's left edge.
    public var x: Double
    /// Pixels below the canvas's top edge.
    public var y: Double

    @inlinable public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    @inlinable public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    @inlinable static func + (a: Point, b: Point) -> Point { Point(a.x + b.x, a.y + b.y) }
    @inlinable static func - (a: Point, b: Point) -> Point { Point(a.x - b.x, a.y - b.y) }
    @inlinable static func * (a: Point, scale: Double) -> Point { Point(a.x * scale, a.y * scale) }
    @inlinable func dot(_ other: Point) -> Double { x * other.x + y * other.y }
    @inlinable var length: Double { (x * x + y * y).squareRoot() }
    @inlinable var isFinite: Bool { x.isFinite && y.isFinite }
}
