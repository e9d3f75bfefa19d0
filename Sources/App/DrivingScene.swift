import Foundation
import Lessons
import Model
import NeuralNetwork
import Reinforcement
import RewardScript
import Simulator

/// The arrow keys' state while the learner drives.
public struct KeyboardDriving: Sendable, Equatable {
    public var left = false
    public var right = false
    public var faster = false
    public var slower = false
    /// The speed the learner has built up, metres per second.
    public var speed = 0.0

    /// Holding Up or Down changes the speed by this much per second.
    static let acceleration = 1.5
    static let topSpeed = 3.0

    mutating func action(duration: Double) -> Action {
        if faster { speed = min(speed + Self.acceleration * duration, Self.topSpeed) }
        if slower { speed = max(speed - Self.acceleration * 2 * duration, 0) }
        let steering: Double = left == right ? 0 : (left ? 30 : -30)
        return Action(steeringAngle: steering, speed: max(speed, 0.1))
    }
}

/// Who chooses the car's actions in the simulator panel.
public enum SceneDriver {
    case keyboard
    case untrained(SeededRandom)
    case centreLine(ScriptedDriver)
    /// A trained or an imported model.
    case model(any CarPolicy)
}

/// The simulator panel's world: one car on one track, a driver, the camera, the reward
/// function, and what happened so far. Steps only when `step()` is called (the app calls it at
/// 15 steps per simulated second times the playback speed).
public final class DrivingScene {
    public let scene: LessonScene
    public private(set) var simulation: Simulation
    /// The car's sensors: the driving model's (a stereo or LIDAR model sees what it was trained
    /// on), otherwise the front camera.
    public private(set) var sensors: Sensors
    public var driver: SceneDriver {
        didSet {
            let kinds = Self.sensorKinds(for: driver)
            guard kinds != Self.sensorKinds(for: oldValue) else { return }
            sensors = Sensors(kinds: kinds, track: track)
            observe()
        }
    }
    public var keyboard = KeyboardDriving()
    /// The actions a keyboard driver is held to (the nearest one to what the keys ask), when set.
    public var actionSpace: ActionSpace?
    public private(set) var reward: RewardFunction?
    /// Why the model driving stopped (an inference error), until the app has shown it.
    public var driverError: String?
    public private(set) var rewardError: String?
    /// Where the car has been this episode (reference points).
    public private(set) var trail: [Vector2] = []
    /// The trails of the last few episodes in this scene, oldest first, so a lesson can point at
    /// the tries before this one (the panel draws them fainter with age).
    public private(set) var earlierTrails: [[Vector2]] = []
    /// How many earlier trails are kept.
    static let keptTrails = 4
    /// The last camera frame as the camera panel shows it, 120 x 160 gray values (the left one of
    /// a stereo pair).
    public private(set) var cameraFrame: [UInt8] = []
    /// The last observation as the driving model takes it (camera bytes, then any LIDAR's).
    public private(set) var observation: [UInt8] = []
    public private(set) var lastResult: StepResult?
    public private(set) var lastReward: Double?
    /// What the driving model's critic expects to earn from here on (PPO models), after the
    /// last step: it drops before trouble the model has learnt to see coming.
    public private(set) var lastValue: Double?
    public private(set) var episodeReward = 0.0
    /// How the last episode ended, while it is shown before the next starts.
    public private(set) var endedEpisode: EpisodeStatus?
    /// Whether the top-down view was hidden for the whole episode.
    public var cameraOnly = false
    private var cameraOnlyThroughout = true
    private var stepsSinceEnd = 0

    /// Steps an ended episode stays on screen before the next starts (1.5 s).
    static let pauseAfterEnd = 22

    public init(scene: LessonScene, track: Track, driver: SceneDriver, reward: RewardFunction?, rewardError: String?) {
        self.scene = scene
        var settings = SimulationSettings(roundRobinStarts: false)
        switch scene.raceType {
        case .timeTrial: break
        case .objectAvoidance:
            settings.raceType = .objectAvoidance(ObstacleSettings(count: 3, randomizeLocations: false))
        case .headToBot: settings.raceType = .headToBot(BotCarSettings())
        }
        simulation = Simulation(track: track, settings: settings)
        sensors = Sensors(kinds: Self.sensorKinds(for: driver), track: track)
        self.driver = driver
        self.reward = reward
        self.rewardError = rewardError
        cameraOnly = scene.view == .cameraOnly
        restart()
    }

    public var track: Track { simulation.track }

    /// Starts a new episode on the start line.
    public func restart() {
        if trail.count > 1 {
            earlierTrails.append(trail)
            if earlierTrails.count > Self.keptTrails { earlierTrails.removeFirst() }
        }
        simulation.reset()
        trail = [simulation.car.referencePoint]
        keyboard.speed = 0
        lastResult = nil
        lastReward = nil
        lastValue = nil
        episodeReward = 0
        endedEpisode = nil
        stepsSinceEnd = 0
        cameraOnlyThroughout = cameraOnly
        observe()
    }

    static func sensorKinds(for driver: SceneDriver) -> [SensorKind] {
        if case .model(let model) = driver { return model.settings.sensors }
        return [.frontFacingCamera]
    }

    /// Reads the sensors: the observation for the model, the first camera's frame for the panel.
    private func observe() {
        let seen = sensors.observe(simulation)
        observation = TrainingSettings.observationBytes(seen)
        let channels = seen.camera.count / (120 * 160)
        cameraFrame =
            channels <= 1 ? seen.camera : stride(from: 0, to: seen.camera.count, by: channels).map { seen.camera[$0] }
    }

    /// Replaces the reward function (after the learner saved theirs).
    public func setReward(_ function: RewardFunction?, error: String?) {
        reward = function
        rewardError = error
    }

    /// One simulator step (1/15 s); returns what the lesson may be waiting for.
    public func step() -> [LessonEvent] {
        if endedEpisode != nil {
            stepsSinceEnd += 1
            if stepsSinceEnd >= Self.pauseAfterEnd { restart() }
            return []
        }
        if !cameraOnly { cameraOnlyThroughout = false }
        let action = chooseAction()
        let result = simulation.step(action)
        lastResult = result
        trail.append(result.car.referencePoint)
        observe()
        if case .model(let model) = driver {
            lastValue = model.stateValue(Tensor(observation: observation, shape: model.settings.observationShape))
        } else {
            lastValue = nil
        }
        var events: [LessonEvent] = []
        if result.callsRewardFunction, let reward {
            do {
                let value = try reward.reward(for: result.params)
                lastReward = value
                episodeReward += value
                events.append(.stepReward(value))
            } catch {
                rewardError = error.description
                self.reward = nil
            }
        }
        if result.isDone {
            endedEpisode = result.status
            if reward != nil { events.append(.episodeReward(episodeReward)) }
            events.append(
                .episodeEnded(
                    Self.end(result.status), byKeyboard: isKeyboard, cameraOnly: cameraOnlyThroughout,
                    boxesPassed: boxesPassed(result.params), byModel: isModel))
        }
        return events
    }

    var isKeyboard: Bool {
        if case .keyboard = driver { return true }
        return false
    }

    /// Whether a trained or imported model drives (not the keys or a stand-in).
    var isModel: Bool {
        if case .model = driver { return true }
        return false
    }

    static func end(_ status: EpisodeStatus) -> LessonEvent.EpisodeEnd {
        switch status {
        case .lapComplete: .lapComplete
        case .offTrack: .offTrack
        case .reversed: .reversed
        case .crashed: .crashed
        case .immobilized: .immobilized
        default: .stopped
        }
    }

    /// Boxes behind the car, counted along the lap from where the episode started.
    func boxesPassed(_ params: RewardParams) -> Int {
        let length = params.trackLength
        guard length > 0 else { return 0 }
        let start = simulation.startFraction * length
        let driven = params.progress / 100 * length
        return params.objectsDistance.filter { distance in
            let ahead = (distance - start).truncatingRemainder(dividingBy: length)
            return (ahead < 0 ? ahead + length : ahead) < driven
        }.count
    }

    func chooseAction() -> Action {
        switch driver {
        case .keyboard:
            let wanted = keyboard.action(duration: CarGeometry.stepDuration)
            guard case .discrete(let actions)? = actionSpace, !actions.isEmpty else { return wanted }
            let nearest = actions.min { a, b in
                Self.distance(a, wanted) < Self.distance(b, wanted)
            }
            guard let nearest else { return wanted }
            return Action(steeringAngle: nearest.steeringAngle, speed: keyboard.speed > 0.05 ? nearest.speed : 0.1)
        case .untrained(var random):
            // An untrained network's choice is close to uniform over the default 10 actions.
            let actions = ActionSpace.paddockDefault
            let index = Int(random.next() % UInt64(actions.outputCount))
            driver = .untrained(random)
            return actions.command(index: index)
        case .centreLine(let scripted):
            return scripted.action(for: simulation.car, on: simulation.track)
        case .model(let model):
            let settings = model.settings
            do {
                return settings.actionSpace.command(
                    for: try model.act(Tensor(observation: observation, shape: settings.observationShape)))
            } catch {
                // An inference error is never turned into a made-up action: the model stops
                // driving, the learner is told why and has the keys.
                driverError = "\(model.name) could not drive: \(error)"
                driver = .keyboard
                return keyboard.action(duration: CarGeometry.stepDuration)
            }
        }
    }

    static func distance(_ action: ActionSpace.DiscreteAction, _ wanted: Action) -> Double {
        abs(action.steeringAngle - wanted.steeringAngle) / 30 + abs(action.speed - wanted.speed) / 2
    }
}
