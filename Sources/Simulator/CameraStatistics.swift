/// Brightness statistics of a set of 160x120 camera frames, to compare Paddock's camera with
/// DeepRacer's: the mean gray of each image row and the histogram of all pixels.
public struct CameraStatistics: Sendable, Equatable {
    /// Sum of the gray values of each row (120 entries, top row first) over all frames.
    var rowSums: [Int]
    /// Count of pixels of each gray level (256 entries) over all frames.
    public private(set) var counts: [Int]
    /// Frames added.
    public private(set) var frameCount: Int

    public init() {
        rowSums = [Int](repeating: 0, count: Camera.height)
        counts = [Int](repeating: 0, count: 256)
        frameCount = 0
    }

    /// Adds frames stored one after another (each 160 x 120 bytes, row 0 at the top).
    public mutating func add(frames: some Collection<UInt8>) {
        let size = Camera.width * Camera.height
        precondition(frames.count % size == 0, "frames must be whole 160 x 120 frames")
        var index = 0
        for value in frames {
            let row = (index % size) / Camera.width
            rowSums[row] += Int(value)
            counts[Int(value)] += 1
            index += 1
        }
        frameCount += frames.count / size
    }

    /// Mean gray of each image row over all frames (120 values, top row first).
    public var rowProfile: [Double] {
        let pixels = Double(max(frameCount, 1) * Camera.width)
        return rowSums.map { Double($0) / pixels }
    }

    /// The share of pixels at each gray level (256 values summing to 1).
    public var histogram: [Double] {
        let total = Double(max(counts.reduce(0, +), 1))
        return counts.map { Double($0) / total }
    }

    /// Mean over the rows of the absolute difference of the two row profiles, gray levels.
    public func rowProfileDifference(to other: CameraStatistics) -> Double {
        zip(rowProfile, other.rowProfile).map { abs($0 - $1) }.reduce(0, +) / Double(Camera.height)
    }

    /// L1 distance between the two normalised histograms: 0 identical, 2 disjoint.
    public func histogramDistance(to other: CameraStatistics) -> Double {
        zip(histogram, other.histogram).map { abs($0 - $1) }.reduce(0, +)
    }

    /// Renders `count` frames from poses spread evenly along the track's centre line, the car
    /// pointing along it (in the waypoints' direction, or against it when `reversed`: the way a car
    /// drives a track in DeepRacer's reverse direction), and returns them one after another.
    public static func framesAlongCentreLine(
        track: Track, camera: Camera, count: Int, reversed: Bool = false
    ) -> [UInt8] {
        let line = Polyline(track.waypoints, isLoop: track.isLoop)
        let cars = (0..<count).map { k in
            let fraction = Double(k) / Double(max(count, 1))
            let pose = line.pose(atDistance: line.length * (reversed ? 1 - fraction : fraction))
            let heading = pose.heading * 180 / .pi + (reversed ? 180 : 0)
            return Simulation.car(referencePoint: pose.position, headingDegrees: heading)
        }
        return frames(from: cars, camera: camera)
    }

    /// Whether cars at `poses`, one after another, went round `track` against its waypoints'
    /// order: the summed change of their distance along the centre line (each step taken the
    /// short way round the lap) is negative.
    public static func drivesAgainstWaypoints(_ poses: [CarState], on track: Track) -> Bool {
        let along = poses.map { track.project($0.referencePoint).distanceAlong }
        var total = 0.0
        for (a, b) in zip(along, along.dropFirst()) {
            var step = b - a
            if track.isLoop {
                if step > track.length / 2 { step -= track.length }
                if step < -track.length / 2 { step += track.length }
            }
            total += step
        }
        return total < 0
    }

    /// Renders one frame from each car pose and returns them one after another.
    public static func frames(from cars: [CarState], camera: Camera) -> [UInt8] {
        var frames: [UInt8] = []
        frames.reserveCapacity(cars.count * Camera.width * Camera.height)
        var frame: [UInt8] = []
        for car in cars {
            camera.render(car: car, into: &frame)
            frames += frame
        }
        return frames
    }

    /// The car whose camera (`model`'s mount) stands over `point`, heading `yaw` radians.
    public static func car(cameraAt point: Vector2, yaw: Double, model: CameraModel = .front) -> CarState {
        let probe = CarState(position: Vector2(0, 0), heading: yaw)
        return CarState(position: point - probe.worldPoint(model.offset), heading: yaw)
    }
}
