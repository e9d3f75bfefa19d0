import Model
import Reinforcement
import Simulator
import Training

/// The "new model" form: DeepRacer's choices for a model, each a list of allowed values the
/// learner steps through, so every model it makes is one DeepRacer would accept.
public struct ModelForm: Sendable, Equatable {
    /// One row of the form.
    public enum Field: String, Sendable, CaseIterable {
        case track, raceType, algorithm, actionSpace, maximumSteering, steeringGranularity, maximumSpeed
        case speedGranularity, minimumSpeed, network, batchSize, epochs, learningRate, entropy, discount
        case episodes, sacAlpha
    }

    public var name: String
    /// The new model's random seed: each new model starts from its own random weights and draws
    /// its own episodes, so a room of learners who keep the defaults do not all get one model.
    public var seed: UInt64
    public private(set) var indexes: [Field: Int] = [:]
    let trackIDs: [String]
    /// The Actions panel's list, offered as the "custom" action space.
    var customActions: [ActionSpace.DiscreteAction]

    public init(
        name: String, tracks: [String], track: String, customActions: [ActionSpace.DiscreteAction],
        seed: UInt64 = ModelForm.newSeed()
    ) {
        self.name = name
        self.seed = seed
        trackIDs = tracks.isEmpty ? ["beginner_loop"] : tracks
        self.customActions = customActions
        for field in Field.allCases { indexes[field] = Self.defaultIndex(field, options: options(field)) }
        indexes[.track] = trackIDs.firstIndex(of: track) ?? 0
    }

    /// Starts the form from `description`'s settings (its track, race type, algorithm, actions,
    /// network and hyperparameters), so a new model can differ from it in just what the learner
    /// changes. The name and seed stay the form's own.
    public mutating func adopt(_ description: ModelDescription) {
        func choose(_ field: Field, _ text: String) {
            if let index = options(field).firstIndex(of: text) { indexes[field] = index }
        }
        func choose(_ field: Field, number: Double) {
            if let index = options(field).firstIndex(where: { Double($0) == number }) { indexes[field] = index }
        }
        choose(.track, description.track)
        let raceTypes = [
            RaceType.timeTrial.name: "time trial", "OBJECT_AVOIDANCE": "object avoidance", "HEAD_TO_BOT": "head-to-bot",
        ]
        choose(.raceType, raceTypes[description.raceType] ?? "time trial")
        choose(.algorithm, description.algorithm == .sac ? "SAC" : "PPO")
        if let bounds = description.continuousBounds, bounds.count == 4 {
            indexes[.actionSpace] = 2
            choose(.maximumSteering, number: bounds[1])
            choose(.minimumSpeed, number: bounds[2])
            choose(.maximumSpeed, number: bounds[3])
        } else if let actions = description.actions {
            indexes[.actionSpace] = 1
            customActions = actions
        }
        choose(.network, description.network.shortName)
        let hyperparameters = description.hyperparameters
        choose(.batchSize, number: Double(hyperparameters.batchSize))
        choose(.epochs, number: Double(hyperparameters.numberOfEpochs))
        choose(.learningRate, number: hyperparameters.learningRate)
        choose(.entropy, number: hyperparameters.entropyBonus)
        choose(.discount, number: hyperparameters.discountFactor)
        choose(.episodes, number: Double(hyperparameters.episodesBetweenTraining))
        choose(.sacAlpha, number: hyperparameters.sacAlpha)
    }

    /// A seed for a new model, short enough to read out (`paddock train --seed` takes it).
    public static func newSeed() -> UInt64 { UInt64.random(in: 1...999_999) }

    /// The values a field may take, as shown.
    public func options(_ field: Field) -> [String] {
        switch field {
        case .track: trackIDs
        case .raceType: ["time trial", "object avoidance", "head-to-bot"]
        case .algorithm: ["PPO", "SAC"]
        case .actionSpace: ["generated", "Actions panel", "continuous"]
        case .maximumSteering: ["5", "10", "15", "20", "25", "30"]
        case .steeringGranularity: ["3", "5", "7"]
        case .maximumSpeed: ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4"]
        case .speedGranularity: ["1", "2", "3"]
        case .minimumSpeed: ["0.1", "0.5", "1", "1.5"]
        case .network: NetworkArchitecture.allCases.map(\.shortName)
        case .batchSize: ["32", "64", "128", "256", "512"]
        case .epochs: ["3", "4", "5", "6", "7", "8", "9", "10"]
        case .learningRate: ["0.00001", "0.00003", "0.0001", "0.0003", "0.001"]
        case .entropy: ["0", "0.001", "0.005", "0.01", "0.05", "0.1"]
        case .discount: ["0.9", "0.95", "0.99", "0.995", "0.999"]
        case .episodes: ["5", "10", "20", "40", "60", "100"]
        case .sacAlpha: ["0.05", "0.1", "0.2", "0.5", "1"]
        }
    }

    static func defaultIndex(_ field: Field, options: [String]) -> Int {
        let value: String =
            switch field {
            case .maximumSteering: "30"
            case .steeringGranularity: "5"
            case .maximumSpeed: "3"
            case .speedGranularity: "2"
            case .minimumSpeed: "0.5"
            case .batchSize: "64"
            case .epochs: "10"
            case .learningRate: "0.0003"
            case .entropy: "0.01"
            case .discount: "0.999"
            case .episodes: "20"
            case .sacAlpha: "0.2"
            case .network: NetworkArchitecture.paddockFast.shortName
            default: options.first ?? ""
            }
        return options.firstIndex(of: value) ?? 0
    }

    /// The label, with DeepRacer's name for it where it has one.
    public static func label(_ field: Field) -> String {
        switch field {
        case .track: "Track"
        case .raceType: "Race type"
        case .algorithm: "Algorithm"
        case .actionSpace: "Action space"
        case .maximumSteering: "Maximum steering angle (°)"
        case .steeringGranularity: "Steering angle granularity"
        case .maximumSpeed: "Maximum speed (m/s)"
        case .speedGranularity: "Speed granularity"
        case .minimumSpeed: "Minimum speed (m/s)"
        case .network: "Network"
        case .batchSize: "Batch size"
        case .epochs: "Epochs"
        case .learningRate: "Learning rate"
        case .entropy: "Entropy"
        case .discount: "Discount factor"
        case .episodes: "Episodes per iteration"
        case .sacAlpha: "SAC alpha"
        }
    }

    /// The hyperparameter's key in DeepRacer's hyperparameters.json, for the fields that have one.
    public static func deepRacerKey(_ field: Field) -> String? {
        switch field {
        case .batchSize: "batch_size"
        case .epochs: "num_epochs"
        case .learningRate: "lr"
        case .entropy: "beta_entropy"
        case .discount: "discount_factor"
        case .episodes: "num_episodes_between_training"
        case .sacAlpha: "sac_alpha"
        default: nil
        }
    }

    public func value(_ field: Field) -> String {
        let options = options(field)
        return options[min(indexes[field] ?? 0, options.count - 1)]
    }

    func number(_ field: Field) -> Double { Double(value(field)) ?? 0 }

    var isSAC: Bool { value(.algorithm) == "SAC" }
    var actionMode: Int { indexes[.actionSpace] ?? 0 }

    /// The rows that apply to the current choices, in order.
    public var fields: [Field] {
        var rows: [Field] = [.track, .raceType, .algorithm, .actionSpace]
        if isSAC || actionMode == 2 {
            rows += [.maximumSteering, .minimumSpeed, .maximumSpeed]
        } else if actionMode == 0 {
            rows += [.maximumSteering, .steeringGranularity, .maximumSpeed, .speedGranularity]
        }
        rows += [.network, .batchSize]
        rows +=
            isSAC ? [.learningRate, .sacAlpha, .discount] : [.epochs, .learningRate, .entropy, .discount, .episodes]
        return rows
    }

    /// Moves a field to its next (+1) or previous (-1) value, wrapping round.
    public mutating func step(_ field: Field, by delta: Int) {
        let count = options(field).count
        let mode = actionMode
        indexes[field] = ((indexes[field] ?? 0) + delta % count + count) % count
        // SAC works only with a continuous space (as in DeepRacer).
        if field == .algorithm && isSAC { indexes[.actionSpace] = 2 }
        if field == .actionSpace && isSAC { indexes[.actionSpace] = 2 }
        // Each kind of space starts from its own top speed: 3 m/s for Paddock's 10 actions, the
        // console's 0.5 to 1 m/s range for a continuous space (SAC's measured figures use it).
        if actionMode != mode {
            let top = actionMode == 2 ? "1" : "3"
            indexes[.maximumSpeed] = options(.maximumSpeed).firstIndex(of: top) ?? indexes[.maximumSpeed]
        }
    }

    public var actionSpace: ActionSpace {
        get throws {
            if isSAC || actionMode == 2 {
                let low = number(.minimumSpeed)
                let high = number(.maximumSpeed)
                guard low < high else {
                    throw ActionSpaceError.outOfRange(
                        what: "minimum speed", value: low,
                        allowed: "below the maximum speed (\(value(.maximumSpeed)) m/s)")
                }
                let steering = number(.maximumSteering)
                return .continuous(steering: -steering...steering, speed: low...high)
            }
            if actionMode == 1 { return try ActionSpace.discrete(customActions).validated() }
            return try ActionSpace.generated(
                maximumSteering: number(.maximumSteering), steeringGranularity: Int(number(.steeringGranularity)),
                maximumSpeed: number(.maximumSpeed), speedGranularity: Int(number(.speedGranularity)))
        }
    }

    /// The settings for `TrainingSession`, checked as DeepRacer checks them.
    public func settings() throws -> TrainingSettings {
        let algorithm: Hyperparameters.Algorithm = isSAC ? .sac : .ppo
        var hyperparameters = Hyperparameters.defaults(for: algorithm)
        hyperparameters.batchSize = Int(number(.batchSize))
        hyperparameters.learningRate = number(.learningRate)
        hyperparameters.discountFactor = number(.discount)
        if isSAC {
            hyperparameters.sacAlpha = number(.sacAlpha)
        } else {
            hyperparameters.numberOfEpochs = Int(number(.epochs))
            hyperparameters.entropyBonus = number(.entropy)
            hyperparameters.episodesBetweenTraining = Int(number(.episodes))
        }
        let raceType: RaceType =
            switch value(.raceType) {
            case "object avoidance": .objectAvoidance(ObstacleSettings())
            case "head-to-bot": .headToBot(BotCarSettings())
            default: .timeTrial
            }
        return TrainingSettings(
            algorithm: algorithm, actionSpace: try actionSpace,
            network: NetworkArchitecture(shortName: value(.network)) ?? .paddockFast,
            hyperparameters: try hyperparameters.validated(for: algorithm), raceType: raceType, seed: seed)
    }

    public var track: String { value(.track) }
}
