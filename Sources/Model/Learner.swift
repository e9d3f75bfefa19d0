import NeuralNetwork
import Reinforcement

/// The learning algorithm behind a model, PPO or SAC, with what training, saving and driving
/// need of either.
public enum Learner {
    case ppo(PPOAgent)
    case sac(SACAgent)

    /// Fresh networks for `settings`: separate policy and value (PPO) or policy and twin critics
    /// with targets (SAC), each with the architecture's body.
    public static func make(settings: TrainingSettings, random: inout NetworkRandom) -> Learner {
        let channels = settings.cameraChannels
        let lidar = settings.lidarSize
        let outputs = settings.actionSpace.outputCount
        let architecture = settings.network
        switch settings.algorithm {
        case .ppo:
            return .ppo(
                PPOAgent(
                    policy: architecture.network(
                        prefix: "policy", channels: channels, lidarSize: lidar, outputs: outputs, random: &random),
                    value: architecture.network(
                        prefix: "value", channels: channels, lidarSize: lidar, outputs: 1, random: &random),
                    outputCount: outputs, isContinuous: settings.actionSpace.isContinuous,
                    hyperparameters: settings.hyperparameters))
        case .sac:
            func critic(_ name: String) -> QNetwork {
                let body = Sequential([
                    architecture.features(prefix: name, channels: channels, lidarSize: lidar, random: &random)
                ])
                let features = body.outputShape(for: settings.observationShape).reduce(1, *)
                let head = Sequential([
                    Dense(name: "\(name).q1", inputs: features + 2, outputs: 64, random: &random), ReLU(),
                    Dense(name: "\(name).q2", inputs: 64, outputs: 1, random: &random),
                ])
                return QNetwork(body: body, head: head, actionSize: 2)
            }
            return .sac(
                SACAgent(
                    policy: architecture.network(
                        prefix: "policy", channels: channels, lidarSize: lidar, outputs: 4, random: &random),
                    critics: [critic("q1"), critic("q2")], targets: [critic("q1_target"), critic("q2_target")],
                    actionSize: 2, hyperparameters: settings.hyperparameters))
        }
    }

    /// Every weight (all networks), for checkpoints.
    public var parameters: [Parameter] {
        switch self {
        case .ppo(let agent): agent.parameters
        case .sac(let agent): agent.parameters
        }
    }

    /// The policy network alone (what drives, and what goes to the car).
    public var policy: Sequential {
        switch self {
        case .ppo(let agent): agent.policy
        case .sac(let agent): agent.policy
        }
    }

    public var optimizerState: [Parameter] {
        switch self {
        case .ppo(let agent): agent.optimizerState
        case .sac(let agent): agent.optimizerState
        }
    }

    public func restoreOptimizerState(_ tensors: [Parameter]) {
        switch self {
        case .ppo(let agent): agent.restoreOptimizerState(tensors)
        case .sac(let agent): agent.restoreOptimizerState(tensors)
        }
    }

    public var isContinuous: Bool {
        switch self {
        case .ppo(let agent): agent.isContinuous
        case .sac: true
        }
    }

    /// The action for one observation `(1, 120, 160, channels)`: sampled, or the most likely
    /// when `greedy`.
    public func act(_ observation: Tensor, random: inout NetworkRandom, greedy: Bool) -> AgentAction {
        switch self {
        case .ppo(let agent): agent.act(observation, random: &random, greedy: greedy)[0].action
        case .sac(let agent): .continuous(agent.act(observation, random: &random, greedy: greedy)[0])
        }
    }

    /// The policy network's outputs as DeepRacer's graph gives them: action probabilities (PPO
    /// discrete), means in the [-1, 1] box (PPO continuous), pre-tanh means (SAC).
    public func outputs(_ frames: Tensor) -> Tensor {
        switch self {
        case .ppo(let agent):
            let raw = agent.policy.forward(frames)
            return agent.isContinuous ? raw : Softmax.probabilities(raw)
        case .sac(let agent):
            let raw = agent.policy.forward(frames)
            let width = raw.itemSize
            var means: [Float] = []
            for row in 0..<raw.batchSize { means += raw.values[(row * width)..<(row * width + width / 2)] }
            return Tensor(shape: [raw.batchSize, width / 2], values: means)
        }
    }
}
