#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A camera placed on a car for one frame: where it is and the direction of each pixel's ray.
///
/// A ray's direction (not normalised) is `along * heading + x * tanH * right` horizontally and
/// `rise` vertically, where `x` runs from -1 (left edge) to 1 (right edge) across the image.
struct CameraView {
    /// The camera's position on the floor plan, metres.
    let eye: Vector2
    /// The car's heading and the direction to its right.
    let heading: Vector2
    let right: Vector2
    let sinPitch: Double
    let cosPitch: Double
    let tanH: Double
    let tanV: Double

    init(model: CameraModel, car: CarState) {
        eye = car.worldPoint(model.offset)
        heading = car.forward
        right = -heading.perpendicularLeft
        sinPitch = sin(model.pitch)
        cosPitch = cos(model.pitch)
        tanH = model.tanHalfHorizontal
        tanV = model.tanHalfVertical
    }

    /// Normalised vertical position of a pixel row's centre: 1 at the top edge, -1 at the bottom.
    @inline(__always)
    static func y(row: Int) -> Double {
        1 - (Double(row) + 0.5) * 2 / Double(Camera.height)
    }

    /// Normalised horizontal position of a pixel column's centre: -1 at the left edge, 1 at the right.
    @inline(__always)
    static func x(column: Int) -> Double {
        (Double(column) + 0.5) * 2 / Double(Camera.width) - 1
    }

    /// How far a ray at normalised height `y` goes forward per unit of its length scale.
    @inline(__always)
    func along(_ y: Double) -> Double { cosPitch + y * tanV * sinPitch }

    /// How far a ray at normalised height `y` climbs (negative: descends) per unit of its length scale.
    @inline(__always)
    func rise(_ y: Double) -> Double { -sinPitch + y * tanV * cosPitch }

    /// The horizontal part of the ray through normalised position (x, y).
    @inline(__always)
    func horizontal(x: Double, y: Double) -> Vector2 {
        heading * along(y) + right * (x * tanH)
    }
}
