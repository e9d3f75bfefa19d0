@testable import Simulator

#if canImport(Glibc)
    import Glibc
#endif

/// Small tracks whose params can be worked out by hand.
enum TestTracks {
    /// An open straight from (0, 0) to (10, 0), 1 m wide, a waypoint every metre; inner border
    /// (y = +0.5) on the left.
    static func straight() throws -> Track {
        let xs = (0...10).map(Double.init)
        return try Track(
            id: "straight", waypoints: xs.map { Vector2($0, 0) }, innerBorder: xs.map { Vector2($0, 0.5) },
            outerBorder: xs.map { Vector2($0, -0.5) })
    }

    /// A counter-clockwise circle of radius 3 m about the origin, 1 m wide, a waypoint every 10
    /// degrees starting at angle 0 (the last repeats the first).
    static func circle(radius: Double = 3, width: Double = 1, stepDegrees: Double = 10) -> Track {
        let count = Int(360 / stepDegrees)
        func ring(_ r: Double) -> [Vector2] {
            (0...count).map { i in
                let a = Double(i % count) * stepDegrees * .pi / 180
                return Vector2(r * cos(a), r * sin(a))
            }
        }
        do {
            return try Track(
                id: "circle", waypoints: ring(radius), innerBorder: ring(radius - width / 2),
                outerBorder: ring(radius + width / 2))
        } catch {
            fatalError("the circle is valid by construction: \(error)")
        }
    }
}
