/// The `params` dict a DeepRacer reward function receives each step, with the same keys, types
/// and meanings as the DeepRacer simulator computes them.
///
/// Positions are metres in track coordinates; angles are degrees unless stated.
public struct RewardParams: Sendable, Equatable {
    /// Every wheel centre is inside the road.
    public var allWheelsOnTrack: Bool
    /// The reference point, 0.14 m ahead of the car's origin, metres.
    public var x: Double
    public var y: Double
    /// Car yaw in degrees, -180 ... 180.
    public var heading: Double
    /// From the reference point to the nearest point of the centre line, metres.
    public var distanceFromCenter: Double
    /// Left of the centre line, looking in the driving direction.
    public var isLeftOfCenter: Bool
    /// Percent of the lap driven since the episode's start point, at most 100.
    public var progress: Double
    /// Steps taken in this episode, counting the `prepare` step.
    public var steps: Int
    /// Commanded speed of the current action, metres per second.
    public var speed: Double
    /// Commanded steering of the current action, degrees, positive to the left.
    public var steeringAngle: Double
    /// Distance between the border points nearest the car, metres.
    public var trackWidth: Double
    /// Length of the centre line, metres.
    public var trackLength: Double
    /// Centre-line points in driving order; on a loop the last repeats the first.
    public var waypoints: [Vector2]
    /// Indices of the waypoints just behind and just ahead of the car.
    public var closestWaypoints: (Int, Int)
    /// Driving clockwise (the reversed direction).
    public var isReversed: Bool
    /// Collided with an object or bot car this step.
    public var isCrashed: Bool
    /// The off-track rule fired this step.
    public var isOfftrack: Bool
    /// Indices in `objectsLocation` of the objects just behind and ahead; (0, 0) when none.
    public var closestObjects: (Int, Int)
    /// Object positions, metres.
    public var objectsLocation: [Vector2]
    /// Per object: left of the centre line, looking in the driving direction.
    public var objectsLeftOfCenter: [Bool]
    /// Per object: speed in metres per second (0 for boxes).
    public var objectsSpeed: [Double]
    /// Per object: heading in radians (DeepRacer sends radians here although its docs say degrees).
    public var objectsHeading: [Double]
    /// Per object: distance along the centre line from its start, metres.
    public var objectsDistance: [Double]
    /// Per object: distance from the centre line, metres.
    public var objectsDistanceFromCenter: [Double]
    /// The next object is inside the camera's view.
    public var objectInCamera: Bool
    /// The car's position along the centre line from its start, metres.
    public var projectionDistance: Double

    public static func == (a: RewardParams, b: RewardParams) -> Bool {
        a.json == b.json
    }

    /// The params in DeepRacer's key order and types, as the reward function sees them.
    public var json: JSONValue {
        func point(_ p: Vector2) -> JSONValue { .array([.double(p.x), .double(p.y)]) }
        return .object([
            ("all_wheels_on_track", .bool(allWheelsOnTrack)),
            ("x", .double(x)),
            ("y", .double(y)),
            ("heading", .double(heading)),
            ("distance_from_center", .double(distanceFromCenter)),
            ("is_left_of_center", .bool(isLeftOfCenter)),
            ("progress", .double(progress)),
            ("steps", .int(steps)),
            ("speed", .double(speed)),
            ("steering_angle", .double(steeringAngle)),
            ("track_width", .double(trackWidth)),
            ("track_length", .double(trackLength)),
            ("waypoints", .array(waypoints.map(point))),
            ("closest_waypoints", .array([.int(closestWaypoints.0), .int(closestWaypoints.1)])),
            ("is_reversed", .bool(isReversed)),
            ("is_crashed", .bool(isCrashed)),
            ("is_offtrack", .bool(isOfftrack)),
            ("closest_objects", .array([.int(closestObjects.0), .int(closestObjects.1)])),
            ("objects_location", .array(objectsLocation.map(point))),
            ("objects_left_of_center", .array(objectsLeftOfCenter.map(JSONValue.bool))),
            ("objects_speed", .array(objectsSpeed.map(JSONValue.double))),
            ("objects_heading", .array(objectsHeading.map(JSONValue.double))),
            ("objects_distance", .array(objectsDistance.map(JSONValue.double))),
            ("objects_distance_from_center", .array(objectsDistanceFromCenter.map(JSONValue.double))),
            ("object_in_camera", .bool(objectInCamera)),
            ("projection_distance", .double(projectionDistance)),
        ])
    }

    /// Every key the reward function receives, in order.
    public static let keys: [String] = [
        "all_wheels_on_track", "x", "y", "heading", "distance_from_center", "is_left_of_center", "progress",
        "steps", "speed", "steering_angle", "track_width", "track_length", "waypoints", "closest_waypoints",
        "is_reversed", "is_crashed", "is_offtrack", "closest_objects", "objects_location", "objects_left_of_center",
        "objects_speed", "objects_heading", "objects_distance", "objects_distance_from_center", "object_in_camera",
        "projection_distance",
    ]
}
