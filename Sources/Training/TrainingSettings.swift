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
        algorithm: Hyperparameters.Algorithm = .ppo, actionSpace: ActionSpace = .consoleDefault,
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
}
