import Foundation
import PaddockTestSupport
import Testing

@testable import Simulator

/// The racing line: on the road with room for the car, shorter and smoother than the centre line.
@Suite struct RacingLineTests {
    static func track(_ id: String) throws -> Track {
        let url = RepositoryPaths.root.appendingPathComponent("tracks/\(id).npy")
        return try Track(npyBytes: Array(try Data(contentsOf: url)), id: id, source: url.path)
    }

    static func length(_ points: [Vector2], closed: Bool) -> Double {
        var total = zip(points, points.dropFirst()).map { ($1 - $0).length }.reduce(0, +)
        if closed, let first = points.first, let last = points.last { total += (first - last).length }
        return total
    }

    @Test(arguments: ["beginner_loop", "s_bend_loop", "technical_circuit", "wide_loop"])
    func aLoopsLineStaysOnTheRoadAndCutsTheCorners(id: String) throws {
        let track = try Self.track(id)
        let line = track.racingLine()
        #expect(line.count >= Int(track.length / 0.1) - 1)
        // No point closer to a border than the margin (0.15 m).
        for point in line {
            let projection = track.project(point)
            #expect(projection.distanceFromCentre <= track.width(at: projection) / 2 - 0.15 + 1e-3)
        }
        // Shorter than the centre line, and it bends less, measured the same way on both.
        let centre = (0..<line.count).map { track.pose(atDistance: Double($0) * track.length / Double(line.count)) }
            .map(\.position)
        #expect(Self.length(line, closed: true) < track.length * 0.99)
        #expect(Track.bending(line, closed: true) < Track.bending(centre, closed: true) * 0.95)
        // It uses the road: somewhere it is well off the centre line.
        let widest = line.map { track.project($0).distanceFromCentre }.max() ?? 0
        #expect(widest > 0.1)
    }

    @Test func anOpenTracksLineStartsAndEndsOnTheCentreLine() throws {
        let track = try Self.track("short_straight")
        let line = track.racingLine()
        #expect((line[0] - track.waypoints[0]).length < 1e-6)
        #expect((line[line.count - 1] - track.pose(atDistance: track.length).position).length < 1e-6)
        #expect(line.allSatisfy { track.project($0).distanceFromCentre < 0.01 }, "a straight road's line is straight")
    }
}
