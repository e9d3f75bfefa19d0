import Testing

@testable import NeuralNetwork
@testable import Reinforcement

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SACTests {
    /// The squashed Gaussian's reparameterised gradient against finite differences.
    @Test func squashedGaussianGradient() {
        let means: [Float] = [0.3, -0.8]
        let logStds: [Float] = [-0.5, -1.2]
        let noise: [Float] = [0.7, -0.4]
        let actionGradient: [Float] = [0.9, -0.3]
        let alpha: Float = 0.2
        func loss(_ m: [Float], _ s: [Float]) -> Float {
            let sample = SquashedGaussian.sample(means: m, logStds: s, noise: noise)
            return alpha * sample.logProbability + zip(actionGradient, sample.action).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let analytic = SquashedGaussian.gradient(
            means: means, logStds: logStds, noise: noise, alpha: alpha, actionGradient: actionGradient)
        let h: Float = 1e-3
        for d in 0..<2 {
            var up = means
            var down = means
            up[d] += h
            down[d] -= h
            #expect(abs(analytic.means[d] - (loss(up, logStds) - loss(down, logStds)) / (2 * h)) < 2e-3)
            var sUp = logStds
            var sDown = logStds
            sUp[d] += h
            sDown[d] -= h
            #expect(abs(analytic.logStds[d] - (loss(means, sUp) - loss(means, sDown)) / (2 * h)) < 2e-3)
        }
    }

    static func critic(_ random: inout NetworkRandom) -> QNetwork {
        QNetwork(
            body: Sequential([Dense(name: "b", inputs: 1, outputs: 4, random: &random), Tanh()]),
            head: Sequential([
                Dense(name: "h1", inputs: 5, outputs: 32, random: &random), Tanh(),
                Dense(name: "h2", inputs: 32, outputs: 1, random: &random),
            ]), actionSize: 1)
    }

    /// dQ/da from the critic's backward pass against finite differences.
    @Test func criticActionGradient() {
        var random = NetworkRandom(seed: 3)
        let critic = Self.critic(&random)
        let observations = Tensor(shape: [2, 1], values: [0.5, -1])
        let actions: [[Float]] = [[0.2], [-0.6]]
        _ = critic.forward(observations, actions: actions)
        let analytic = critic.backward([1, 1])
        let h: Float = 1e-3
        for i in 0..<2 {
            var up = actions
            var down = actions
            up[i][0] += h
            down[i][0] -= h
            let numeric =
                (critic.forward(observations, actions: up)[i] - critic.forward(observations, actions: down)[i])
                / (2 * h)
            #expect(abs(analytic[i][0] - numeric) < 2e-3)
        }
    }

    /// One-step episodes paying -(a - 0.5)^2: the policy's mean action moves to 0.5.
    @Test func sacLearnsAContinuousBandit() {
        var random = NetworkRandom(seed: 7)
        let policy = Sequential([Dense(name: "p", inputs: 1, outputs: 2, random: &random)])
        let agent = SACAgent(
            policy: policy, critics: [Self.critic(&random), Self.critic(&random)],
            targets: [Self.critic(&random), Self.critic(&random)], actionSize: 1,
            hyperparameters: Hyperparameters(batchSize: 64, learningRate: 0.003, sacAlpha: 0.05))
        var replay = ReplayBuffer(capacity: 2000, observationSize: 1, actionSize: 1)
        // Gather experience first, then learn from it as more comes in. (A learning rate above
        // DeepRacer's console range keeps this small test quick; SACAgent itself does not check it.)
        for step in 0..<1300 {
            let action = agent.act(Tensor(shape: [1, 1], values: [1]), random: &random)[0]
            replay.append(
                observation: [1], action: action, reward: -(action[0] - 0.5) * (action[0] - 0.5), next: [1],
                isTerminal: true)
            if step >= 300 { _ = agent.update(replay, observationShape: [1], random: &random) }
        }
        let greedy = agent.act(Tensor(shape: [1, 1], values: [1]), random: &random, greedy: true)[0][0]
        #expect(abs(greedy - 0.5) < 0.15, "greedy action \(greedy)")
    }

    @Test func replayBufferKeepsTheLastTransitions() {
        var replay = ReplayBuffer(capacity: 3, observationSize: 1, actionSize: 1)
        for i in 0..<5 {
            replay.append(observation: [Float(i)], action: [0], reward: Float(i), next: [0], isTerminal: false)
        }
        #expect(replay.count == 3)
        var random = NetworkRandom(seed: 1)
        let batch = replay.sample(50, random: &random)
        #expect(Set(batch.rewards) == [2, 3, 4])
    }
}
