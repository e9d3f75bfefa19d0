import Reinforcement
import Simulator

/// What a model is, as saved in its folder (`paddock/settings.json`): enough to rebuild its
/// network, continue its training, or clone it.
public struct ModelDescription: Sendable, Equatable, Codable {
    /// Track id, or the path of a DeepRacer track file.
    public var track: String
    public var network: NetworkArchitecture
    public var algorithm: Hyperparameters.Algorithm
    /// Discrete actions, or nil for continuous.
    public var actions: [ActionSpace.DiscreteAction]?
    /// Continuous bounds (steering low, high; speed low, high), or nil for discrete.
    public var continuousBounds: [Double]?
    public var sensors: [SensorKind]
    public var hyperparameters: Hyperparameters
    public var domainRandomization: Bool
    public var seed: UInt64
    /// TIME_TRIAL, OBJECT_AVOIDANCE or HEAD_TO_BOT, with the number of objects.
    public var raceType: String
    public var objectCount: Int
    public var evaluationEpisodes: Int

    public init(track: String, settings: TrainingSettings) {
        self.track = track
        network = settings.network
        algorithm = settings.algorithm
        switch settings.actionSpace {
        case .discrete(let list):
            actions = list
            continuousBounds = nil
        case .continuous(let steering, let speed):
            actions = nil
            continuousBounds = [steering.lowerBound, steering.upperBound, speed.lowerBound, speed.upperBound]
        }
        sensors = settings.sensors
        hyperparameters = settings.hyperparameters
        domainRandomization = settings.domainRandomization
        seed = settings.seed
        raceType = settings.raceType.name
        switch settings.raceType {
        case .timeTrial: objectCount = 0
        case .objectAvoidance(let obstacles): objectCount = obstacles.count
        case .headToBot(let bots): objectCount = bots.count
        }
        evaluationEpisodes = settings.evaluationEpisodes
    }

    public var actionSpace: ActionSpace {
        if let actions { return .discrete(actions) }
        let b = continuousBounds ?? [-30, 30, 0.5, 1]
        return .continuous(steering: b[0]...b[1], speed: b[2]...b[3])
    }

    public var settings: TrainingSettings {
        let race: RaceType
        switch raceType {
        case "OBJECT_AVOIDANCE": race = .objectAvoidance(ObstacleSettings(count: objectCount))
        case "HEAD_TO_BOT": race = .headToBot(BotCarSettings(count: objectCount))
        default: race = .timeTrial
        }
        return TrainingSettings(
            algorithm: algorithm, actionSpace: actionSpace, network: network, hyperparameters: hyperparameters,
            sensors: sensors, raceType: race, evaluationEpisodes: evaluationEpisodes,
            domainRandomization: domainRandomization, seed: seed)
    }

    /// DeepRacer's `model_metadata.json` for this model (docs/deepracer-compat.md §8).
    public var modelMetadata: JSONValue {
        let space: JSONValue
        switch actionSpace {
        case .discrete(let list):
            space = .array(
                list.enumerated().map { index, action in
                    .object([
                        ("steering_angle", .double(action.steeringAngle)), ("speed", .double(action.speed)),
                        ("index", .int(index)),
                    ])
                })
        case .continuous(let steering, let speed):
            space = .object([
                (
                    "steering_angle",
                    .object([("low", .double(steering.lowerBound)), ("high", .double(steering.upperBound))])
                ),
                ("speed", .object([("low", .double(speed.lowerBound)), ("high", .double(speed.upperBound))])),
            ])
        }
        var members: [(String, JSONValue)] = [
            ("action_space", space),
            ("sensor", .array(sensors.map { .string($0.rawValue) })),
            ("neural_network", .string(network.rawValue)),
            ("training_algorithm", .string(algorithm.rawValue)),
            ("action_space_type", .string(actionSpace.isContinuous ? "continuous" : "discrete")),
            ("version", .string("5")),
        ]
        if sensors.contains(.lidar) || sensors.contains(.sectorLidar) {
            // The car reads every one of these when a LIDAR is listed (docs/deepracer-compat.md §8).
            members.append(
                (
                    "lidar_config",
                    .object([
                        ("num_values", .int(Lidar.beamCount)), ("min_angle", .double(-150)),
                        ("max_angle", .double(150)),
                        ("min_distance", .double(Lidar.minimumRange)), ("max_distance", .double(Lidar.maximumRange)),
                        (
                            "clipping_distance",
                            .double(sensors.contains(.sectorLidar) ? Lidar.sectorDistance : Lidar.clippingDistance)
                        ),
                        ("num_sectors", .int(Lidar.sectorCount)),
                    ])
                ))
        }
        return .object(members)
    }
}
