#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The DeepRacer environment: one car on a track, stepped at 15 Hz, with DeepRacer's episode
/// rules and reward params.
///
/// Call `reset()` to start an episode, then `step(_:)` until `isDone`. The first step of every
/// episode is DeepRacer's `prepare` step: the car is held, the reward function is not called and
/// the reward is 0. Sensors are read separately (`Camera`, `Lidar`) so a caller pays only for
/// what it uses. A pure value: the same settings and actions always give the same episode.
public struct Simulation: Sendable {
    /// Consecutive steps of falling progress that end an episode as `reversed`.
    public static let reversedSteps = 15
    /// Consecutive steps moving no more than `immobilizedDistance` that end it as `immobilized`.
    public static let immobilizedSteps = 15
    /// Metres per step below which the car counts as not moving.
    public static let immobilizedDistance = 0.0003
    /// Distance behind a box where a crashed car is put back, metres.
    public static let resetBehindDistance = 1.0
    /// A start or reset point closer than this to an object (along the track) moves to the other lane.
    public static let closestObjectGap = 1.0

    enum Phase: Sendable, Equatable {
        case prepare
        case run
        case pause
    }

    /// The track as given (waypoints in file order).
    public let forwardTrack: Track
    /// The track driven the other way.
    public let reversedTrack: Track
    public internal(set) var settings: SimulationSettings

    /// The track in the current driving direction.
    public internal(set) var track: Track
    /// The car now.
    public internal(set) var car: CarState
    /// Boxes and bot cars now.
    public internal(set) var objects: [TrackObject] = []
    /// Episodes started so far (the current one included).
    public internal(set) var episodeCount = 0
    /// Steps in the current episode, counting the `prepare` step.
    public internal(set) var steps = 0
    /// Simulated seconds since the simulation was made.
    public internal(set) var simulatedTime = 0.0
    /// Simulated time when the current episode started, seconds.
    public internal(set) var episodeStartTime = 0.0
    /// Where the current episode started, as a fraction of the lap along the active centre line.
    public internal(set) var startFraction: Double
    /// Progress after the last step, percent.
    public internal(set) var progress = 0.0
    /// The last step's result, if any.
    public internal(set) var lastResult: StepResult?
    /// Mishaps in this episode (evaluation counts each; training ends at the first).
    public internal(set) var offTrackCount = 0
    public internal(set) var crashCount = 0
    public internal(set) var reversedCount = 0
    public internal(set) var immobilizedCount = 0
    /// Total penalty seconds in this episode.
    public internal(set) var penaltySeconds = 0.0

    var phase: Phase = .prepare
    var previousProgress = 0.0
    var reverseCounter = 0
    var immobilizedCounter = 0
    var lastBasePosition = Vector2.zero
    var pauseRemaining = 0.0
    var heldCar: CarState
    var bots: [BotCar] = []
    var random: SeededRandom
    /// Draws the car's noise, apart from `random` so that noise never moves objects or bots.
    var noiseRandom: SeededRandom
    /// This episode's friction relative to the car's (noise).
    var frictionScale = 1.0
    var isDone = true

    public init(track: Track, settings: SimulationSettings = SimulationSettings()) {
        let forward = track.isReversed ? track.reversed() : track
        self.forwardTrack = forward
        self.reversedTrack = forward.reversed()
        self.settings = settings
        self.track = settings.reverseDirection ? reversedTrack : forwardTrack
        self.startFraction = settings.startOffset - settings.startOffset.rounded(.down)
        self.random = SeededRandom(seed: settings.seed)
        self.noiseRandom = SeededRandom(seed: settings.seed ^ 0x6E6F_6973_6520_6361)
        let start = self.track.pose(atDistance: 0)
        self.car = CarState(position: start.position, heading: start.heading)
        self.heldCar = car
    }

    /// Whether the current episode has ended.
    public var isEpisodeDone: Bool { isDone }

    /// Simulated seconds since the current episode started (its lap time so far).
    public var episodeTime: Double { simulatedTime - episodeStartTime }

    /// Starts a new episode: moves the start on (training round-robin), places the objects and
    /// puts the car on its start line, held for the `prepare` step.
    public mutating func reset() {
        if episodeCount > 0 && settings.mode == .training {
            if settings.roundRobinStarts {
                startFraction = (startFraction + settings.roundRobinAdvance).truncatingRemainder(dividingBy: 1)
            }
            if settings.alternateDirection {
                track = track.isReversed == forwardTrack.isReversed ? reversedTrack : forwardTrack
            }
        }
        episodeCount += 1
        steps = 0
        progress = 0
        previousProgress = 0
        reverseCounter = 0
        immobilizedCounter = 0
        offTrackCount = 0
        crashCount = 0
        reversedCount = 0
        immobilizedCount = 0
        penaltySeconds = 0
        pauseRemaining = 0
        phase = .prepare
        isDone = false
        lastResult = nil
        episodeStartTime = simulatedTime
        let variation = settings.noise.frictionVariation * noiseRandom.gaussian()
        frictionScale = min(max(1 + variation, 0.5), 1.5)
        placeObjects()

        let startDistance = startFraction * track.length
        var start = track.pose(atDistance: startDistance)
        // DeepRacer aims the car at the next waypoint (a forward difference).
        let next = track.closestWaypoints(distanceAlong: startDistance).next
        let toNext = track.waypoints[next] - start.position
        if toNext.length > 1e-9 { start.heading = toNext.angle }
        if settings.mode == .training, let nearby = closestObject(toDistance: startDistance) {
            start = track.lanePose(nearby.lane.other, atDistance: startDistance)
        }
        car = CarState(position: start.position, heading: start.heading)
        heldCar = car
        lastBasePosition = car.position
    }

    /// Advances one step (1/15 s) under `action` and applies the episode rules.
    @discardableResult
    public mutating func step(_ action: Action) -> StepResult {
        precondition(!isDone, "step() after the episode ended; call reset() first")
        steps += 1
        let dt = CarGeometry.stepDuration
        let wasPhase = phase
        switch phase {
        case .prepare, .pause:
            car = heldCar.stopped
        case .run:
            let speed = min(max(action.speed, CarGeometry.speedRange.lowerBound), CarGeometry.speedRange.upperBound)
            let steering = min(
                max(action.steeringAngle, CarGeometry.steeringRange.lowerBound), CarGeometry.steeringRange.upperBound)
            let noise = settings.noise
            let actualSpeed = speed * (1 + noise.speedNoise * noiseRandom.gaussian())
            let actualSteering = (steering + noise.steeringNoise * noiseRandom.gaussian()) * .pi / 180
            car = settings.dynamics.advance(
                car, speed: actualSpeed, steeringAngle: actualSteering, duration: dt, frictionScale: frictionScale)
        }
        simulatedTime += dt
        moveBots()

        var geometry = measure()
        progress = geometry.progress

        var status = EpisodeStatus.inProgress
        var done = false
        var callsReward = true
        var crashed = false
        var offTrack = false

        switch wasPhase {
        case .prepare:
            status = .prepare
            callsReward = false
            phase = .run
            reverseCounter = 0
            immobilizedCounter = 0
        case .pause:
            status = .pause
            callsReward = false
            pauseRemaining -= dt
            if pauseRemaining <= 1e-9 {
                pauseRemaining = 0
                phase = .run
                reverseCounter = 0
                immobilizedCounter = 0
            }
        case .run:
            // The rules in DeepRacer's order; the reported status follows its priority.
            let lapComplete = progress >= 100
            let moved = car.position.distance(to: lastBasePosition)
            immobilizedCounter = moved <= Self.immobilizedDistance ? immobilizedCounter + 1 : 0
            let immobilized = immobilizedCounter >= Self.immobilizedSteps
            offTrack = !geometry.anyWheelOnTrack
            let collision = collidedObject()
            crashed = collision != nil
            reverseCounter = progress < previousProgress ? reverseCounter + 1 : 0
            let reversed = reverseCounter >= Self.reversedSteps
            if lapComplete {
                status = .lapComplete
                done = true
            } else if let collision, !(objects[collision].kind == .botCar && !isBehindBot(collision)) {
                status = .crashed
                crashCount += 1
                if case .evaluation(let penalties) = settings.mode {
                    beginPenalty(penalties.collision, crashedInto: collision)
                } else {
                    done = true
                }
            } else if offTrack || immobilized || reversed {
                if offTrack {
                    status = .offTrack
                    offTrackCount += 1
                } else if immobilized {
                    status = .immobilized
                    immobilizedCount += 1
                } else {
                    status = .reversed
                    reversedCount += 1
                }
                if case .evaluation(let penalties) = settings.mode {
                    let seconds =
                        offTrack ? penalties.offTrack : immobilized ? penalties.immobilized : penalties.reversed
                    beginPenalty(seconds, crashedInto: nil)
                } else {
                    done = true
                }
            }
            if crashed && status != .crashed { crashed = false }
            if immobilized { immobilizedCounter = 0 }
            if reversed { reverseCounter = 0 }
        }
        lastBasePosition = car.position

        var truncated = false
        if !done && steps >= settings.maximumSteps {
            done = true
            truncated = true
        }
        isDone = done
        previousProgress = progress >= 100 ? 0 : progress

        geometry.params.isCrashed = crashed
        geometry.params.isOfftrack = offTrack && wasPhase == .run
        geometry.params.speed = action.speed
        geometry.params.steeringAngle = action.steeringAngle
        let result = StepResult(
            params: geometry.params, status: status, isDone: done, isTruncated: truncated,
            callsRewardFunction: callsReward,
            action: action, car: car, simulatedTime: simulatedTime, pauseDuration: pauseRemaining,
            closestWaypoint: geometry.closestWaypoint)
        lastResult = result
        return result
    }

    /// The reward params and rule inputs for the car where it is now.
    struct Measurement {
        var params: RewardParams
        var progress: Double
        var anyWheelOnTrack: Bool
        var closestWaypoint: Int
    }

    func measure() -> Measurement {
        let reference = car.referencePoint
        let projection = track.project(reference)
        let fraction = projection.distanceAlong / track.length
        let currentProgress = Self.deepRacerProgress(
            fraction - startFraction, previous: previousProgress)
        let (previousWaypoint, nextWaypoint) = track.closestWaypoints(distanceAlong: projection.distanceAlong)
        let wheels = car.wheelCentres
        var onTrack = 0
        for wheel in wheels where track.isOnRoad(wheel) { onTrack += 1 }
        // DeepRacer measures the width and the side between the border points nearest the centre point.
        let nearInner = track.innerPolyline.nearest(to: projection.point).point
        let nearOuter = track.outerPolyline.nearest(to: projection.point).point
        let closerToInner = reference.distance(to: nearInner) < reference.distance(to: nearOuter)
        let closestWaypoint =
            reference.distance(to: track.waypoints[nextWaypoint])
                < reference.distance(to: track.waypoints[previousWaypoint])
            ? nextWaypoint : previousWaypoint
        var params = RewardParams(
            allWheelsOnTrack: onTrack == wheels.count, x: reference.x, y: reference.y,
            heading: car.heading * 180 / .pi, distanceFromCenter: projection.distanceFromCentre,
            isLeftOfCenter: closerToInner == track.isCounterClockwise, progress: currentProgress, steps: steps,
            speed: 0, steeringAngle: 0, trackWidth: nearInner.distance(to: nearOuter), trackLength: track.length,
            waypoints: track.waypoints, closestWaypoints: (previousWaypoint, nextWaypoint),
            isReversed: track.isReversed,
            isCrashed: false, isOfftrack: false, closestObjects: (0, 0), objectsLocation: [], objectsLeftOfCenter: [],
            objectsSpeed: [], objectsHeading: [], objectsDistance: [], objectsDistanceFromCenter: [],
            objectInCamera: false, projectionDistance: projection.distanceAlong)
        if !objects.isEmpty {
            fillObjectParams(&params, carDistance: projection.distanceAlong)
        }
        return Measurement(
            params: params, progress: currentProgress, anyWheelOnTrack: onTrack > 0, closestWaypoint: closestWaypoint)
    }

    /// DeepRacer's progress rule (`compute_current_prog`): percent of the lap from the start,
    /// allowing for crossing the start line either way, capped at 100 (it may go negative).
    ///
    /// - Parameters:
    ///   - fractionFromStart: the car's normalised distance along the centre line minus the start's.
    ///   - previous: the previous step's progress, percent.
    public static func deepRacerProgress(_ fractionFromStart: Double, previous: Double) -> Double {
        var current = 100 * fractionFromStart
        if current <= 0 { current += 100 }
        if previous > current + 50 { current += 100 }
        if current > previous + 50 { current -= 100 }
        return min(current, 100)
    }

    /// Holds the car for `seconds` and puts it back on the track, as DeepRacer's evaluation does.
    mutating func beginPenalty(_ seconds: Double, crashedInto object: Int?) {
        penaltySeconds += seconds
        pauseRemaining += seconds
        if let object, objects[object].kind == .botCar {
            // A bot-car crash freezes the car where it is and holds every bot for the same time.
            heldCar = car
            for i in bots.indices { bots[i].pausedSeconds += seconds }
        } else {
            let progressForReset = object == nil ? previousProgress : progress
            let distance = (startFraction + progressForReset / 100) * track.length
            heldCar = resetPose(atDistance: distance, previousCar: lastResult?.car ?? car)
        }
        car = heldCar
        phase = pauseRemaining > 0 ? .pause : .run
    }

    /// Where a car put back at `distance` goes: the lane nearer its previous pose, or 1 m behind a
    /// box that stands within 1 m, in the other lane.
    func resetPose(atDistance distance: Double, previousCar: CarState) -> CarState {
        if let nearby = closestObject(toDistance: distance), nearby.object.kind == .box {
            let spawn = nearby.distance - Self.resetBehindDistance
            let pose = track.lanePose(nearby.lane.other, atDistance: spawn)
            return CarState(position: pose.position, heading: pose.heading)
        }
        let inner = track.lanePose(.inner, atDistance: distance)
        let outer = track.lanePose(.outer, atDistance: distance)
        let pose =
            inner.position.distance(to: previousCar.position) < outer.position.distance(to: previousCar.position)
            ? inner : outer
        return CarState(position: pose.position, heading: pose.heading)
    }
}

extension Simulation {
    /// The params the reward function would see with the car at `car`, progress measured from
    /// the start of the current episode (waypoint 0 before the first reset), with `action` as the
    /// commanded action. Does not change the simulation.
    public func params(for car: CarState, action: Action = Action(steeringAngle: 0, speed: 0)) -> RewardParams {
        var copy = self
        copy.car = car
        let projection = track.project(car.referencePoint)
        // A lone pose has no previous step: take the plain distance from the start.
        var fraction = projection.distanceAlong / track.length - startFraction
        if fraction < 0 { fraction += 1 }
        copy.previousProgress = min(100 * fraction, 100)
        if copy.steps == 0 { copy.steps = 1 }
        let measurement = copy.measure()
        var params = measurement.params
        params.speed = action.speed
        params.steeringAngle = action.steeringAngle
        params.isOfftrack = !measurement.anyWheelOnTrack
        params.isCrashed = copy.collidedObject() != nil
        return params
    }

    /// Makes the next episodes start `fraction` of the lap from waypoint 0.
    public mutating func moveStart(to fraction: Double) {
        startFraction = fraction - fraction.rounded(.down)
    }

    /// Counts an episode as already run (when resuming training), so that the next `reset()`
    /// moves the round-robin start on as it would have.
    public mutating func markEpisodeStarted() {
        episodeCount = max(episodeCount, 1)
    }

    /// Puts the car at `car` (for lessons and tools that place it by hand).
    public mutating func place(_ car: CarState) {
        self.car = car
        heldCar = car
        lastBasePosition = car.position
    }

    /// A car whose reward-params reference point (0.14 m ahead of base_link) is at `point`,
    /// facing `headingDegrees`.
    public static func car(referencePoint point: Vector2, headingDegrees: Double) -> CarState {
        let heading = headingDegrees * .pi / 180
        return CarState(position: point - Vector2(angle: heading) * CarGeometry.referencePointX, heading: heading)
    }
}
