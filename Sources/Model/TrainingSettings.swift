import Reinforcement
import Simulator

/// Everything that defines how a model is trained (saved with the model).
public struct TrainingSettings: Sendable, Equatable {
    public var algorithm: Hyperparameters.Algorithm
    public var actionSpace: ActionSpace
    public var network: NetworkArchitecture
    public var hyperparameters: Hyperparameters
    /// One camera (front or stereo).
    public var sensors: [SensorKind]
    public var raceType: RaceType
    /// Evaluation episodes after each iteration (DeepRacer: 5).
    public var evaluationEpisodes: Int
    /// Vary lighting, floor and noise each episode (sim-to-real).
    public var domainRandomization: Bool
    public var seed: UInt64
    /// Steps before an episode is cut short.
    public var maximumEpisodeSteps: Int

    public init(
        algorithm: Hyperparameters.Algorithm = .ppo, actionSpace: ActionSpace = .paddockDefault,
        network: NetworkArchitecture = .paddockFast, hyperparameters: Hyperparameters = Hyperparameters(),
        sensors: [SensorKind] = [.frontFacingCamera], raceType: RaceType = .timeTrial, evaluationEpisodes: Int = 5,
        domainRandomization: Bool = false, seed: UInt64 = 0, maximumEpisodeSteps: Int = 10_000
    ) {
        self.algorithm = algorithm
        self.actionSpace = actionSpace
        self.network = network
        self.hyperparameters = hyperparameters
        self.sensors = sensors
        self.raceType = raceType
        self.evaluationEpisodes = evaluationEpisodes
        self.domainRandomization = domainRandomization
        self.seed = seed
        self.maximumEpisodeSteps = maximumEpisodeSteps
    }
}

extension TrainingSettings {
    /// Camera channels: 2 for the stereo pair, else 1.
    public var cameraChannels: Int { sensors.cameraChannels }

    /// LIDAR values in each observation: 64 ranges, 8 sector flags, or none.
    public var lidarSize: Int { sensors.lidarSize }

    /// The network's input shape for one observation.
    public var observationShape: [Int] { NetworkArchitecture.observationShape(sensors: sensors) }

    /// One observation as the network takes it: the camera's bytes, then the LIDAR's values
    /// (metres or sector flags) times 255 as bytes.
    public static func observationBytes(_ observation: Observation) -> [UInt8] {
        observation.camera + observation.lidar.map { UInt8(min(max($0, 0), 1) * 255) }
    }
}

extension ActionSpace {
    /// The car's command for an agent's output: the action at an index of a discrete space, or
    /// a [-1, 1] vector scaled (and clipped) to a continuous space's ranges. The one place an
    /// agent's action becomes a (steering, speed) command, for training, evaluation, the app's
    /// scenes, imported models and the workshop's races.
    public func command(for action: AgentAction) -> Action {
        switch action {
        case .discrete(let index): command(index: index)
        case .continuous(let vector): command(normalised: vector)
        }
    }
}

/// How one episode went.
public struct EpisodeSummary: Sendable, Equatable {
    public var reward: Double
    /// Percent of the lap driven, 0 ... 100.
    public var completion: Double
    public var steps: Int
    public var status: EpisodeStatus
    /// Simulated seconds at the start and the end of the episode.
    public var startTime: Double
    public var endTime: Double

    public init(
        reward: Double, completion: Double, steps: Int, status: EpisodeStatus, startTime: Double, endTime: Double
    ) {
        self.reward = reward
        self.completion = completion
        self.steps = steps
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
    }
}
