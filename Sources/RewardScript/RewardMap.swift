import Simulator

/// The reward over a track's surface: the car placed at every point of a grid on the road,
/// facing along the track, and the reward function asked what it pays there.
///
/// This is the reward debugger: it shows where a reward function pays before any training.
public struct RewardMap: Sendable {
    /// World position of the centre of cell (0, 0), metres.
    public let origin: Vector2
    /// Cell size, metres.
    public let resolution: Double
    public let columns: Int
    public let rows: Int
    /// Rewards by row (increasing y) then column (increasing x); nil off the road.
    public let values: [Double?]

    /// The reward at the cell holding `point`, if it is on the road.
    public func value(at point: Vector2) -> Double? {
        let column = Int(((point.x - origin.x) / resolution).rounded())
        let row = Int(((point.y - origin.y) / resolution).rounded())
        guard column >= 0, row >= 0, column < columns, row < rows else { return nil }
        return values[row * columns + column]
    }

    /// Smallest and largest reward on the map.
    public var range: ClosedRange<Double>? {
        let known = values.compactMap { $0 }
        guard let low = known.min(), let high = known.max() else { return nil }
        return low...high
    }

    /// Computes the map.
    ///
    /// - Parameters:
    ///   - resolution: cell size in metres (2 cm by default).
    ///   - action: the commanded speed and steering every pose reports.
    ///   - raceType: objects to place as the race type does (their params reach the function).
    /// - Throws: the first error the reward function gives, with the pose in `RewardMapError`.
    public static func compute(
        function: RewardFunction, track: Track, resolution: Double = 0.02,
        action: Action = Action(steeringAngle: 0, speed: 1), raceType: RaceType = .timeTrial
    ) throws(RewardMapError) -> RewardMap {
        precondition(resolution > 0)
        let bounds = track.bounds
        let origin = bounds.minimum
        let columns = Int(((bounds.maximum.x - origin.x) / resolution).rounded(.up)) + 1
        let rows = Int(((bounds.maximum.y - origin.y) / resolution).rounded(.up)) + 1
        var simulation = Simulation(track: track, settings: SimulationSettings(raceType: raceType))
        simulation.reset()
        var values = [Double?](repeating: nil, count: columns * rows)
        var batch: [RewardParams] = []
        var cells: [Int] = []
        func flush() throws(RewardMapError) {
            do {
                let rewards = try function.rewards(for: batch)
                for (cell, reward) in zip(cells, rewards) { values[cell] = reward }
            } catch {
                // Find the pose that failed: the first of the batch that throws alone.
                for (cell, params) in zip(cells, batch) {
                    do {
                        values[cell] = try function.reward(for: params)
                    } catch {
                        throw RewardMapError(error: error, x: params.x, y: params.y, heading: params.heading)
                    }
                }
            }
            batch.removeAll(keepingCapacity: true)
            cells.removeAll(keepingCapacity: true)
        }
        for row in 0..<rows {
            for column in 0..<columns {
                let point = origin + Vector2(Double(column) * resolution, Double(row) * resolution)
                guard track.isOnRoad(point) else { continue }
                let projection = track.project(point)
                let direction = track.waypoints[projection.segment + 1] - track.waypoints[projection.segment]
                let car = Simulation.car(referencePoint: point, headingDegrees: direction.angle * 180 / .pi)
                batch.append(simulation.params(for: car, action: action))
                cells.append(row * columns + column)
                if batch.count == 4096 { try flush() }
            }
        }
        if !batch.isEmpty { try flush() }
        return RewardMap(origin: origin, resolution: resolution, columns: columns, rows: rows, values: values)
    }
}

/// A reward function's error at one pose of a reward map.
public struct RewardMapError: Error, Sendable, CustomStringConvertible {
    public var error: RewardError
    public var x: Double
    public var y: Double
    public var heading: Double

    public var description: String {
        "With the car at x \(Self.format(x)), y \(Self.format(y)), heading \(Self.format(heading)) degrees:\n"
            + error.description
    }

    static func format(_ value: Double) -> String {
        String((value * 1000).rounded() / 1000)
    }
}
