import Foundation

/// A car's race as the host evaluated it: where it was at every step of its laps, to replay.
public struct RacePath: Sendable, Equatable {
    /// The car at one step: seconds since the race started (laps back to back, penalties
    /// included), its position in metres, heading in radians, and the lap it is on (from 1).
    public struct Sample: Sendable, Equatable {
        public var time: Double
        public var x: Double
        public var y: Double
        public var heading: Double
        public var lap: Int

        public init(time: Double, x: Double, y: Double, heading: Double, lap: Int) {
            self.time = time
            self.x = x
            self.y = y
            self.heading = heading
            self.lap = lap
        }
    }

    public var samples: [Sample]

    public init(samples: [Sample]) { self.samples = samples }

    /// Seconds from the start to the last step.
    public var duration: Double { samples.last?.time ?? 0 }

    /// Stored form: five little-endian Float32 values a sample (time, x, y, heading, lap).
    public var data: Data {
        var values: [Float] = []
        values.reserveCapacity(samples.count * 5)
        for sample in samples {
            values += [Float(sample.time), Float(sample.x), Float(sample.y), Float(sample.heading), Float(sample.lap)]
        }
        return values.withUnsafeBufferPointer { Data(buffer: $0) }.littleEndianFloats()
    }

    /// Reads the stored form; bytes that do not make whole samples are ignored.
    public init(data: Data) {
        let floats = data.littleEndianFloats().withUnsafeBytes { raw in
            (0..<raw.count / 4).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
        samples = stride(from: 0, to: floats.count - floats.count % 5, by: 5).map { index in
            Sample(
                time: Double(floats[index]), x: Double(floats[index + 1]), y: Double(floats[index + 2]),
                heading: Double(floats[index + 3]), lap: Int(floats[index + 4]))
        }
    }

    /// Where the car is at `time`: between two steps the position is interpolated; before the
    /// first step it is at the first, after the last it stays at the last.
    public func pose(at time: Double) -> Sample? {
        guard let first = samples.first, let last = samples.last else { return nil }
        if time <= first.time { return first }
        if time >= last.time { return last }
        // The first sample later than `time`.
        var low = 0
        var high = samples.count - 1
        while low < high {
            let middle = (low + high) / 2
            if samples[middle].time <= time { low = middle + 1 } else { high = middle }
        }
        let before = samples[low - 1]
        let after = samples[low]
        // A put-back after going off track is a jump, not a drive: no sliding between the two.
        let gap = hypot(after.x - before.x, after.y - before.y)
        let span = after.time - before.time
        guard span > 0, gap < 0.5, after.lap == before.lap else { return before }
        let t = (time - before.time) / span
        var turn = after.heading - before.heading
        while turn > .pi { turn -= 2 * .pi }
        while turn < -.pi { turn += 2 * .pi }
        return Sample(
            time: time, x: before.x + (after.x - before.x) * t, y: before.y + (after.y - before.y) * t,
            heading: before.heading + turn * t, lap: before.lap)
    }
}

/// Every evaluated car's race played together, as on the projector: one clock for all.
public struct RaceReplay: Sendable, Equatable {
    public struct Car: Sendable, Equatable {
        public var studentId: Int64
        public var name: String
        public var path: RacePath
    }

    /// A car on screen at one moment.
    public struct Marker: Sendable, Equatable {
        public var studentId: Int64
        public var name: String
        public var x: Double
        public var y: Double
        public var heading: Double
        public var lap: Int
        /// The car has driven all its laps.
        public var finished: Bool
    }

    public var cars: [Car]

    public init(cars: [Car]) { self.cars = cars }

    /// The longest race: when the last car stops.
    public var duration: Double { cars.map(\.path.duration).max() ?? 0 }

    /// Every car at `time` seconds after the start.
    public func markers(at time: Double) -> [Marker] {
        cars.compactMap { car in
            guard let pose = car.path.pose(at: time) else { return nil }
            return Marker(
                studentId: car.studentId, name: car.name, x: pose.x, y: pose.y, heading: pose.heading, lap: pose.lap,
                finished: time >= car.path.duration)
        }
    }
}

extension Data {
    /// The bytes with each 4-byte group reversed on a big-endian machine (a no-op here).
    fileprivate func littleEndianFloats() -> Data {
        #if _endian(big)
            var copy = Data(count: count)
            for index in stride(from: 0, to: count - count % 4, by: 4) {
                for k in 0..<4 { copy[index + k] = self[index + 3 - k] }
            }
            return copy
        #else
            return self
        #endif
    }
}
