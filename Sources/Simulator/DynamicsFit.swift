#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fits a car model's parameters to recorded drives: the parameters that make the replay's
/// predictions (`DriveReplay`, one second ahead by default) closest to the recorded poses.
///
/// The yaw inertia stays at the URDF's value and the model stays `.tyres`; the other parameters
/// are searched in logarithms (they are all positive) by Nelder-Mead.
public struct DynamicsFit: Sendable {
    /// The parameters the fit changes, by name.
    public static var parameters: [(name: String, keyPath: WritableKeyPath<CarDynamics, Double>)] {
        [
            ("steeringDelay", \.steeringDelay), ("steeringTimeConstant", \.steeringTimeConstant),
            ("steeringRateLimit", \.steeringRateLimit), ("wheelSpeedTimeConstant", \.wheelSpeedTimeConstant),
            ("wheelAccelerationLimit", \.wheelAccelerationLimit), ("wheelDecelerationLimit", \.wheelDecelerationLimit),
            ("friction", \.friction), ("slipSpeedScale", \.slipSpeedScale),
        ]
    }

    public var drives: [RecordedDrive]
    public var horizon: Int
    /// Predict from every `stride`-th row (speed; the fit's figures are then re-measured on all rows).
    public var stride: Int
    /// Metres of position error one degree of heading error counts as.
    public var headingWeight: Double

    public init(drives: [RecordedDrive], horizon: Int = 15, stride: Int = 4, headingWeight: Double = 0.01) {
        self.drives = drives
        self.horizon = horizon
        self.stride = stride
        self.headingWeight = headingWeight
    }

    /// The errors of `car`'s predictions over every drive.
    public func score(_ car: CarDynamics, stride: Int? = nil) -> ReplayScore {
        var errors: [ReplayScore.Error] = []
        for drive in drives {
            let replay = DriveReplay(drive: drive, horizon: horizon, models: [car], stride: stride ?? self.stride)
            errors += ReplayScore(drive: drive, predictions: replay.predictions(model: 0)).errors
        }
        return ReplayScore(errors: errors)
    }

    /// `car` with the fitted parameters set from a point of the search.
    static func car(_ base: CarDynamics, _ point: [Double]) -> CarDynamics {
        var car = base
        for (parameter, value) in zip(parameters, point) { car[keyPath: parameter.keyPath] = exp(value) }
        car.steeringDelay = min(car.steeringDelay, CarGeometry.stepDuration)
        return car
    }

    /// The best car found from `start`, its objective and the evaluations used.
    public func run(from start: CarDynamics, search: NelderMead = NelderMead()) -> (
        car: CarDynamics, objective: Double, evaluations: Int
    ) {
        var base = start
        base.model = .tyres
        let point = Self.parameters.map { log(max(start[keyPath: $0.keyPath], 1e-4)) }
        let result = search.minimize(point) { score(Self.car(base, $0)).objective(headingWeight: headingWeight) }
        return (Self.car(base, result.point), result.value, result.evaluations)
    }
}
