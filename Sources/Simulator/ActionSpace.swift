/// The actions a DeepRacer model may choose: a list of (steering, speed) pairs, or ranges.
///
/// Discrete spaces are what the DeepRacer console builds from four sliders (or a custom list of 2
/// to 30 actions); the network's output index is the list position. Continuous spaces give
/// steering and speed ranges; the network works in a [-1, 1] box scaled to them.
public enum ActionSpace: Sendable, Equatable {
    case discrete([DiscreteAction])
    case continuous(steering: ClosedRange<Double>, speed: ClosedRange<Double>)

    /// One entry of a discrete action space: the car's command.
    public typealias DiscreteAction = Action

    /// The console's default: 30 degrees, 5 steering values, 1.0 m/s, 2 speeds (10 actions).
    public static let consoleDefault = grid(
        maximumSteering: 30, steeringGranularity: 5, maximumSpeed: 1.0, speedGranularity: 2)

    /// Paddock's default, the lessons' and `paddock train`'s: the console's generator with its
    /// default sliders but a top speed of 3 m/s (10 actions, speeds 1.5 and 3 m/s). With the
    /// console's 1 m/s a model cannot lap reinvent_base in under 18 s, and with a reward that pays
    /// per step it settles nearer 26 s; at 3 m/s the first model laps it in about 11 s, as console
    /// models raced at 8 to 12 s, and still becomes stable in under a minute
    /// (`paddock bench first-lap`, README).
    public static let paddockDefault = grid(
        maximumSteering: 30, steeringGranularity: 5, maximumSpeed: 3.0, speedGranularity: 2)

    /// The console's generator: steering evenly spaced from -max to +max (outer loop), speeds
    /// max * i / M for i = 1 ... M (inner loop).
    public static func generated(
        maximumSteering: Double, steeringGranularity: Int, maximumSpeed: Double, speedGranularity: Int
    ) throws(ActionSpaceError) -> ActionSpace {
        guard (1...30).contains(maximumSteering) else {
            throw .outOfRange(what: "maximum steering angle", value: maximumSteering, allowed: "1 to 30 degrees")
        }
        guard [3, 5, 7].contains(steeringGranularity) else {
            throw .outOfRange(
                what: "steering angle granularity", value: Double(steeringGranularity), allowed: "3, 5 or 7")
        }
        guard (0.1...4.0).contains(maximumSpeed) else {
            throw .outOfRange(what: "maximum speed", value: maximumSpeed, allowed: "0.1 to 4 m/s")
        }
        guard [1, 2, 3].contains(speedGranularity) else {
            throw .outOfRange(what: "speed granularity", value: Double(speedGranularity), allowed: "1, 2 or 3")
        }
        return grid(
            maximumSteering: maximumSteering, steeringGranularity: steeringGranularity, maximumSpeed: maximumSpeed,
            speedGranularity: speedGranularity)
    }

    /// The console's grid of actions, for values already checked.
    static func grid(
        maximumSteering: Double, steeringGranularity: Int, maximumSpeed: Double, speedGranularity: Int
    ) -> ActionSpace {
        var actions: [DiscreteAction] = []
        for s in 0..<steeringGranularity {
            let steering = -maximumSteering + 2 * maximumSteering * Double(s) / Double(steeringGranularity - 1)
            for v in 1...speedGranularity {
                actions.append(
                    DiscreteAction(steeringAngle: steering, speed: maximumSpeed * Double(v) / Double(speedGranularity)))
            }
        }
        return .discrete(actions)
    }

    /// Checks a space against DeepRacer's rules.
    public func validated() throws(ActionSpaceError) -> ActionSpace {
        switch self {
        case .discrete(let actions):
            guard (2...30).contains(actions.count) else { throw .wrongCount(actions.count) }
            for (index, action) in actions.enumerated() {
                guard (-30...30).contains(action.steeringAngle) else {
                    throw .entryOutOfRange(
                        index: index, what: "steering_angle", value: action.steeringAngle, allowed: "-30 to 30")
                }
                guard (0.1...4).contains(action.speed) else {
                    throw .entryOutOfRange(index: index, what: "speed", value: action.speed, allowed: "0.1 to 4")
                }
            }
        case .continuous(let steering, let speed):
            guard steering.lowerBound >= -30, steering.upperBound <= 30, steering.lowerBound < steering.upperBound
            else {
                throw .badRange(
                    what: "steering_angle", allowed: "low and high within -30 ... 30 degrees, low below high")
            }
            guard speed.lowerBound >= 0.5, speed.lowerBound <= 4, speed.upperBound >= 0.1, speed.upperBound <= 4,
                speed.lowerBound < speed.upperBound
            else {
                throw .badRange(what: "speed", allowed: "low 0.5 ... 4 m/s, high 0.1 ... 4 m/s, low below high")
            }
        }
        return self
    }

    /// Number of network outputs: one per action, or 2 (steering, speed) when continuous.
    public var outputCount: Int {
        switch self {
        case .discrete(let actions): actions.count
        case .continuous: 2
        }
    }

    public var isContinuous: Bool {
        if case .continuous = self { return true }
        return false
    }

    /// The (steering, speed) for a network output: an action index, or a [-1, 1] vector scaled
    /// (and clipped) to the bounds.
    public func command(index: Int) -> DiscreteAction {
        guard case .discrete(let actions) = self else { preconditionFailure("command(index:) needs a discrete space") }
        return actions[index]
    }

    public func command(normalised vector: [Float]) -> DiscreteAction {
        guard case .continuous(let steering, let speed) = self else {
            preconditionFailure("command(normalised:) needs a continuous space")
        }
        func scale(_ value: Float, _ range: ClosedRange<Double>) -> Double {
            let clipped = Double(min(max(value, -1), 1))
            return range.lowerBound + (clipped + 1) / 2 * (range.upperBound - range.lowerBound)
        }
        return DiscreteAction(steeringAngle: scale(vector[0], steering), speed: scale(vector[1], speed))
    }
}

/// An action space DeepRacer would refuse, and why.
public enum ActionSpaceError: Error, Sendable, Equatable, CustomStringConvertible {
    case outOfRange(what: String, value: Double, allowed: String)
    case wrongCount(Int)
    case entryOutOfRange(index: Int, what: String, value: Double, allowed: String)
    case badRange(what: String, allowed: String)

    public var description: String {
        switch self {
        case .outOfRange(let what, let value, let allowed):
            "The \(what) is \(value); DeepRacer allows \(allowed)."
        case .wrongCount(let count):
            "The action space has \(count) actions; DeepRacer allows 2 to 30."
        case .entryOutOfRange(let index, let what, let value, let allowed):
            "Action \(index): \(what) is \(value); DeepRacer allows \(allowed)."
        case .badRange(let what, let allowed):
            "The \(what) range is not allowed: DeepRacer needs \(allowed)."
        }
    }
}
