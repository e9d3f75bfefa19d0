/// Training settings under DeepRacer's names, ranges and defaults (its `hyperparameters.json`).
public struct Hyperparameters: Sendable, Equatable, Codable {
    /// The value loss: DeepRacer offers these two.
    public enum LossType: String, Sendable, Codable, CaseIterable {
        case huber
        case meanSquaredError = "mean squared error"
    }

    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        case ppo = "clipped_ppo"
        case sac
    }

    /// Gradient descent batch size: 32, 64, 128, 256 or 512.
    public var batchSize: Int
    /// Passes over each iteration's experience (PPO): 3 ... 10.
    public var numberOfEpochs: Int
    /// Learning rate: 1e-8 ... 1e-3.
    public var learningRate: Double
    /// Entropy bonus (PPO): 0 ... 1.
    public var entropyBonus: Double
    /// SAC temperature: 0 ... 1.
    public var sacAlpha: Double
    /// Discount factor: 0 ... 1.
    public var discountFactor: Double
    public var lossType: LossType
    /// Episodes of experience per policy update: PPO 5 ... 100; SAC 1.
    public var episodesBetweenTraining: Int

    enum CodingKeys: String, CodingKey {
        case batchSize = "batch_size"
        case numberOfEpochs = "num_epochs"
        case learningRate = "lr"
        case entropyBonus = "beta_entropy"
        case sacAlpha = "sac_alpha"
        case discountFactor = "discount_factor"
        case lossType = "loss_type"
        case episodesBetweenTraining = "num_episodes_between_training"
    }

    /// DeepRacer's fixed PPO internals.
    public static let clipRange = 0.2
    public static let gaeLambda = 0.95
    public static let adamEpsilon = 1e-5

    public init(
        batchSize: Int = 64, numberOfEpochs: Int = 10, learningRate: Double = 0.0003, entropyBonus: Double = 0.01,
        sacAlpha: Double = 0.2, discountFactor: Double = 0.999, lossType: LossType = .huber,
        episodesBetweenTraining: Int = 20
    ) {
        self.batchSize = batchSize
        self.numberOfEpochs = numberOfEpochs
        self.learningRate = learningRate
        self.entropyBonus = entropyBonus
        self.sacAlpha = sacAlpha
        self.discountFactor = discountFactor
        self.lossType = lossType
        self.episodesBetweenTraining = episodesBetweenTraining
    }

    /// DeepRacer's defaults for an algorithm (SAC: mean squared error, one episode per update).
    public static func defaults(for algorithm: Algorithm) -> Hyperparameters {
        switch algorithm {
        case .ppo: Hyperparameters()
        case .sac: Hyperparameters(lossType: .meanSquaredError, episodesBetweenTraining: 1)
        }
    }

    /// Reads a `hyperparameters.json`: keys DeepRacer's console writes; missing keys take the
    /// defaults, unknown keys (`e_greedy_value`, `stack_size`, ...) are ignored as DeepRacer does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Hyperparameters()
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        numberOfEpochs = try container.decodeIfPresent(Int.self, forKey: .numberOfEpochs) ?? defaults.numberOfEpochs
        learningRate = try container.decodeIfPresent(Double.self, forKey: .learningRate) ?? defaults.learningRate
        entropyBonus = try container.decodeIfPresent(Double.self, forKey: .entropyBonus) ?? defaults.entropyBonus
        sacAlpha = try container.decodeIfPresent(Double.self, forKey: .sacAlpha) ?? defaults.sacAlpha
        discountFactor = try container.decodeIfPresent(Double.self, forKey: .discountFactor) ?? defaults.discountFactor
        lossType = try container.decodeIfPresent(LossType.self, forKey: .lossType) ?? defaults.lossType
        episodesBetweenTraining =
            try container.decodeIfPresent(Int.self, forKey: .episodesBetweenTraining)
            ?? defaults.episodesBetweenTraining
    }

    /// Checks every value against DeepRacer's allowed ranges for `algorithm`.
    public func validated(for algorithm: Algorithm) throws(HyperparameterError) -> Hyperparameters {
        func check(_ ok: Bool, _ key: String, _ value: String, _ allowed: String) throws(HyperparameterError) {
            if !ok { throw HyperparameterError(key: key, value: value, allowed: allowed) }
        }
        try check([32, 64, 128, 256, 512].contains(batchSize), "batch_size", "\(batchSize)", "32, 64, 128, 256 or 512")
        try check(
            (3...10).contains(numberOfEpochs) || algorithm == .sac, "num_epochs", "\(numberOfEpochs)", "3 to 10")
        try check((1e-8...1e-3).contains(learningRate), "lr", "\(learningRate)", "1e-8 to 0.001")
        try check((0...1).contains(entropyBonus), "beta_entropy", "\(entropyBonus)", "0 to 1")
        try check((0...1).contains(sacAlpha), "sac_alpha", "\(sacAlpha)", "0 to 1")
        try check((0...1).contains(discountFactor), "discount_factor", "\(discountFactor)", "0 to 1")
        switch algorithm {
        case .ppo:
            try check(
                (5...100).contains(episodesBetweenTraining), "num_episodes_between_training",
                "\(episodesBetweenTraining)",
                "5 to 100 for PPO")
        case .sac:
            try check(
                episodesBetweenTraining == 1, "num_episodes_between_training", "\(episodesBetweenTraining)", "1 for SAC"
            )
        }
        return self
    }
}

/// A hyperparameter outside DeepRacer's range.
public struct HyperparameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var allowed: String

    public var description: String {
        "\(key) is \(value); DeepRacer allows \(allowed). Change it in the hyperparameters file, or leave it out for the default."
    }
}
