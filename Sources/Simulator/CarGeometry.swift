/// The DeepRacer car's dimensions and limits, in metres, seconds and degrees.
///
/// Positions are in the car's frame: x forward, y to the left, measured from `base_link`, which
/// sits about half-way between the axles (from the car's URDF in the DeepRacer simulator).
public enum CarGeometry {
    /// Control rate: steps per simulated second (one camera frame per step).
    public static let stepsPerSecond = 15.0
    /// Simulated seconds per step.
    public static let stepDuration = 1.0 / stepsPerSecond
    /// Rear axle x, metres from base_link.
    public static let rearAxleX = -0.081663
    /// Front axle (steering hinge) x, metres from base_link.
    public static let frontAxleX = 0.082311
    /// Distance between the axles, metres.
    public static let wheelbase = frontAxleX - rearAxleX
    /// Half the distance between the rear wheel centres, metres.
    public static let rearHalfTrack = 0.08105
    /// Half the distance between the front wheel centres, metres.
    public static let frontHalfTrack = 0.079601
    /// Wheel radius, metres.
    public static let wheelRadius = 0.035
    /// Half the collision box's length (forward), metres; the box is 0.324 m long.
    public static let halfLength = 0.32352 / 2
    /// Half the collision box's width, metres; the box is 0.196 m wide.
    public static let halfWidth = 0.1961 / 2
    /// The reward params' reference point ("front of car"): this far ahead of base_link, metres.
    public static let referencePointX = 0.14
    /// Commanded speed limits, metres per second.
    public static let speedRange: ClosedRange<Double> = 0.1...4.0
    /// Commanded steering limits, degrees (positive steers left).
    public static let steeringRange: ClosedRange<Double> = -30.0...30.0

    /// The wheel centres in the car's frame: left rear, left front, right rear, right front.
    public static let wheelCentres: [Vector2] = [
        Vector2(rearAxleX, rearHalfTrack), Vector2(frontAxleX, frontHalfTrack),
        Vector2(rearAxleX, -rearHalfTrack), Vector2(frontAxleX, -frontHalfTrack),
    ]
}
