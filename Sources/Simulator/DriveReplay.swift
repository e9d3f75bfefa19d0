#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replays a recorded drive's commands through a car model and predicts where the car will be.
///
/// For each row t of an episode that has a row before it, the car's state is estimated from rows
/// up to t only: the pose of row t, the velocity and yaw rate between rows t-1 and t, and the
/// servo and wheel speed the commands of rows up to t leave behind. The commands of rows
/// t ... t+N-1 are then applied, and the pose predicted for row t+N.
///
/// Timing: Gazebo's camera paces the steps at 15 Hz of simulated time; the `tstamp` column carries
/// read-out jitter (the poses are smoother on an even 1/15 s clock than on the stamps, see
/// docs/car-dynamics.md), so each interval is the stamps' difference rounded to whole frames.
///
/// With several car models, each prediction uses the model whose earlier predictions in the same
/// trace (those whose predicted row is at or before row t) were closest to the recorded poses; the
/// first model until there are any.
public struct DriveReplay: Sendable {
    /// One predicted pose.
    public struct Prediction: Sendable, Equatable {
        public var episode: Int
        /// The predicted row's step number.
        public var step: Double
        /// The reference point, metres (as the trace's X and Y).
        public var x: Double
        public var y: Double
        public var yawDegrees: Double
        /// The row the prediction starts from and the row it predicts (indices into the trace).
        public var fromRow: Int
        public var row: Int
        /// Which of the car models made it.
        public var model: Int
    }

    public var drive: RecordedDrive
    /// Steps to look ahead.
    public var horizon: Int
    public var models: [CarDynamics]
    /// Predict from every `stride`-th row of each episode only (1: every row; a fit samples).
    public var stride: Int

    public init(drive: RecordedDrive, horizon: Int, models: [CarDynamics], stride: Int = 1) {
        precondition(!models.isEmpty, "DriveReplay needs a car model")
        self.drive = drive
        self.horizon = horizon
        self.models = models
        self.stride = max(stride, 1)
    }

    /// The duration of the interval from row `k` to row `k+1`, seconds: whole camera frames.
    public static func interval(_ rows: [RecordedDrive.Step], _ k: Int) -> Double {
        let frame = CarGeometry.stepDuration
        guard k + 1 < rows.count else { return frame }
        let recorded = rows[k + 1].time - rows[k].time
        guard recorded.isFinite, recorded > 0 else { return frame }
        return max((recorded / frame).rounded(), 1) * frame
    }

    /// The command in force from row `k`: speed (m/s) and steering (radians), clipped as DeepRacer
    /// clips them; none while the car is held.
    public static func command(_ step: RecordedDrive.Step) -> (speed: Double, steeringAngle: Double) {
        if step.isHeld { return (0, 0) }
        let speed = min(max(step.speed, CarGeometry.speedRange.lowerBound), CarGeometry.speedRange.upperBound)
        let steering = min(
            max(step.steeringAngle, CarGeometry.steeringRange.lowerBound), CarGeometry.steeringRange.upperBound)
        return (speed, steering * .pi / 180)
    }

    /// Every prediction of `model`, in row order.
    public func predictions(model index: Int) -> [Prediction] {
        let model = models[index]
        let rows = drive.steps
        var out: [Prediction] = []
        for episode in drive.episodes {
            // The actuators' state at each row, from the episode's commands alone.
            var actuators = CarState(position: .zero, heading: 0)
            var atRow: [CarState] = []
            atRow.reserveCapacity(episode.count)
            for k in episode {
                atRow.append(actuators)
                let command = Self.command(rows[k])
                actuators =
                    rows[k].isHeld
                    ? CarState(position: .zero, heading: 0)
                    : model.advanceActuators(
                        actuators, speed: command.speed, steeringAngle: command.steeringAngle,
                        duration: Self.interval(rows, k))
            }
            guard episode.count > horizon + 1 else { continue }
            for t in (episode.lowerBound + 1)..<(episode.upperBound - horizon)
            where (t - episode.lowerBound - 1) % stride == 0 {
                var car = estimate(rows, t, actuators: atRow[t - episode.lowerBound], model: model)
                for k in t..<(t + horizon) {
                    if rows[k].isHeld {
                        car = car.stopped
                        continue
                    }
                    let command = Self.command(rows[k])
                    car = model.advance(
                        car, speed: command.speed, steeringAngle: command.steeringAngle,
                        duration: Self.interval(rows, k))
                }
                let target = t + horizon
                let reference = car.referencePoint
                out.append(
                    Prediction(
                        episode: rows[target].episode, step: rows[target].step, x: reference.x, y: reference.y,
                        yawDegrees: car.heading * 180 / .pi, fromRow: t, row: target, model: index))
            }
        }
        return out
    }

    /// The car's state at row `t` from rows t-1 and t and the actuators' state there.
    func estimate(_ rows: [RecordedDrive.Step], _ t: Int, actuators: CarState, model: CarDynamics) -> CarState {
        let now = rows[t].car
        let before = rows[t - 1].car
        let dt = Self.interval(rows, t - 1)
        var car = actuators
        car.position = now.position
        car.heading = now.heading
        guard rows[t - 1].hasPose, !rows[t - 1].isHeld || !rows[t].isHeld else {
            car.speed = 0
            car.lateralSpeed = 0
            car.yawRate = 0
            return car
        }
        let velocity = (now.position - before.position) * (1 / dt)
        let forward = Vector2(angle: now.heading)
        car.speed = velocity.dot(forward)
        car.lateralSpeed = model.model == .kinematic ? 0 : velocity.dot(forward.perpendicularLeft)
        car.yawRate = CarDynamics.wrapAngle(now.heading - before.heading) / dt
        if model.model == .kinematic { car.wheelSpeed = car.speed }
        return car
    }

    /// How far ahead the predictions that choose between models look, steps (shorter than the
    /// horizon, so that the evidence comes sooner).
    public static let evidenceHorizon = 5

    /// The predictions, each from the model chosen for its row (see the type's summary).
    public func predictions() -> [Prediction] {
        let all = models.indices.map { predictions(model: $0) }
        guard models.count > 1 else { return all[0] }
        // Errors of each model's short predictions, by the row they predicted: position (capped
        // at 2 m) plus 1 cm a degree of heading, as the fit counts them.
        var evidence = self
        evidence.horizon = min(horizon, Self.evidenceHorizon)
        evidence.stride = 1
        let rows = drive.steps
        var errorAtRow = [[Double]](repeating: [Double](repeating: 0, count: rows.count), count: models.count)
        for m in models.indices {
            for p in evidence.predictions(model: m) where rows[p.row].hasPose && !rows[p.row].isHeld {
                let recorded = rows[p.row]
                let position = Vector2(p.x, p.y).distance(to: Vector2(recorded.x, recorded.y))
                let heading = abs(CarDynamics.wrapAngle((p.yawDegrees - recorded.yawDegrees) * .pi / 180)) * 180 / .pi
                let error = min(position, 2) + 0.01 * min(heading, 90)
                if error.isFinite { errorAtRow[m][p.row] += error }
            }
        }
        // Running totals over rows at or before t; the first model until one is ahead.
        var totals = [Double](repeating: 0, count: models.count)
        var chosen = [Int](repeating: 0, count: rows.count)
        for row in rows.indices {
            for m in models.indices { totals[m] += errorAtRow[m][row] }
            var best = 0
            for m in models.indices where totals[m] < totals[best] { best = m }
            chosen[row] = best
        }
        return all[0].indices.map { i in all[chosen[all[0][i].fromRow]][i] }
    }
}
