import Testing

@testable import NeuralNetwork
@testable import Reinforcement

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct AdvantageTests {
    /// GAE against its definition: A_t = sum over l of (gamma lambda)^l delta_{t+l}.
    @Test func matchesTheObviousLoop() {
        let rewards: [Float] = [1, 0, -1, 2, 0.5]
        let values: [Float] = [0.3, -0.2, 0.5, 1.0, 0.1]
        let (gamma, lambda, last): (Float, Float, Float) = (0.9, 0.8, 0.7)
        let (advantages, returns) = AdvantageEstimation.compute(
            rewards: rewards, values: values, lastValue: last, discount: gamma, lambda: lambda)
        let nextValues = Array(values.dropFirst()) + [last]
        let deltas = (0..<5).map { rewards[$0] + gamma * nextValues[$0] - values[$0] }
        for t in 0..<5 {
            var expected: Float = 0
            for l in 0..<(5 - t) { expected += powf(gamma * lambda, Float(l)) * deltas[t + l] }
            #expect(abs(advantages[t] - expected) < 1e-5)
            #expect(abs(returns[t] - (expected + values[t])) < 1e-5)
        }
    }
}

@Suite struct PolicyMathTests {
    /// Central differences of the loss in Double-friendly steps.
    static func numeric(_ f: (Float) -> Float, at x: Float, h: Float = 1e-3) -> Float {
        (f(x + h) - f(x - h)) / (2 * h)
    }

    @Test func categoricalGradientMatchesFiniteDifferences() {
        var random = NetworkRandom(seed: 4)
        let logits = Tensor(shape: [4, 3], values: (0..<12).map { _ in random.uniform(-1, 1) })
        let actions = [0, 2, 1, 2]
        let advantages: [Float] = [1.0, -0.5, 0.3, -1.2]
        // Old log-probabilities near the current ones, with one ratio beyond the clip.
        var old = Softmax.logSoftmax(logits).values
        old = actions.enumerated().map { i, a in old[i * 3 + a] + (i == 1 ? 0.5 : 0.05) }
        func loss(_ z: Tensor) -> Float {
            PolicyMath.categoricalLoss(
                logits: z, actions: actions, oldLogProbabilities: old, advantages: advantages, clipRange: 0.2,
                entropyBonus: 0.05
            ).loss
        }
        let analytic = PolicyMath.categoricalLoss(
            logits: logits, actions: actions, oldLogProbabilities: old, advantages: advantages, clipRange: 0.2,
            entropyBonus: 0.05)
        #expect(analytic.clippedFraction > 0)
        for i in 0..<12 {
            let numeric = Self.numeric(
                { value in
                    var z = logits
                    z.values[i] = value
                    return loss(z)
                }, at: logits.values[i])
            #expect(abs(analytic.gradient.values[i] - numeric) < 2e-3, "logit \(i)")
        }
    }

    @Test func gaussianGradientMatchesFiniteDifferences() {
        let means = Tensor(shape: [3, 2], values: [0.1, -0.4, 0.5, 0.2, -0.3, 0.0])
        let logStd: [Float] = [-0.4, -0.7]
        let actions: [[Float]] = [[0.3, -0.2], [0.1, 0.6], [-0.9, 0.1]]
        let advantages: [Float] = [0.7, -1.0, 0.4]
        let old = (0..<3).map { i in
            PolicyMath.gaussianLogProbability(
                actions[i], mean: Array(means.values[(i * 2)..<(i * 2 + 2)]), logStd: logStd) - 0.05
        }
        func loss(_ m: Tensor, _ s: [Float]) -> Float {
            PolicyMath.gaussianLoss(
                means: m, logStd: s, actions: actions, oldLogProbabilities: old, advantages: advantages, clipRange: 0.2,
                entropyBonus: 0.01
            ).loss
        }
        let analytic = PolicyMath.gaussianLoss(
            means: means, logStd: logStd, actions: actions, oldLogProbabilities: old, advantages: advantages,
            clipRange: 0.2,
            entropyBonus: 0.01)
        for i in 0..<6 {
            let numeric = Self.numeric(
                { value in
                    var m = means
                    m.values[i] = value
                    return loss(m, logStd)
                }, at: means.values[i])
            #expect(abs(analytic.meanGradient.values[i] - numeric) < 2e-3, "mean \(i)")
        }
        for d in 0..<2 {
            let numeric = Self.numeric(
                { value in
                    var s = logStd
                    s[d] = value
                    return loss(means, s)
                }, at: logStd[d])
            #expect(abs(analytic.logStdGradient[d] - numeric) < 2e-3, "log std \(d)")
        }
    }

    @Test(arguments: [true, false])
    func valueLossGradient(huber: Bool) {
        let predictions: [Float] = [0.5, 3.0, -2.0]
        let targets: [Float] = [0.0, 0.5, 0.0]
        let analytic = PolicyMath.valueLoss(predictions: predictions, targets: targets, huber: huber)
        for i in 0..<3 {
            let numeric = Self.numeric(
                { value in
                    var p = predictions
                    p[i] = value
                    return PolicyMath.valueLoss(predictions: p, targets: targets, huber: huber).loss
                }, at: predictions[i])
            #expect(abs(analytic.gradient[i] - numeric) < 1e-3)
        }
    }
}

@Suite struct PPOLearningTests {
    /// A one-step task: the observation names one of three states; the action with the same number pays 1.
    static func trainBandit(seed: UInt64, inParallel: Bool = false) -> PPOAgent {
        var random = NetworkRandom(seed: seed)
        let policy = Sequential([
            Dense(name: "p1", inputs: 3, outputs: 16, random: &random), Tanh(),
            Dense(name: "p2", inputs: 16, outputs: 3, random: &random),
        ])
        let value = Sequential([
            Dense(name: "v1", inputs: 3, outputs: 16, random: &random), Tanh(),
            Dense(name: "v2", inputs: 16, outputs: 1, random: &random),
        ])
        let agent = PPOAgent(
            policy: policy, value: value, outputCount: 3, isContinuous: false,
            hyperparameters: Hyperparameters(batchSize: 32, numberOfEpochs: 4, learningRate: 0.001))
        for _ in 0..<30 {
            var buffer = RolloutBuffer(observationSize: 3)
            for _ in 0..<64 {
                let state = Int(random.next() % 3)
                var observation: [Float] = [0, 0, 0]
                observation[state] = 1
                let decision = agent.act(Tensor(shape: [1, 3], values: observation), random: &random)[0]
                guard case .discrete(let choice) = decision.action else { continue }
                buffer.append(
                    observation: observation, action: decision.action, logProbability: decision.logProbability,
                    value: decision.value, reward: choice == state ? 1 : 0)
                buffer.finishEpisode(lastValue: 0, discount: 0.99, lambda: 0.95)
            }
            _ = agent.update(buffer, observationShape: [3], random: &random, inParallel: inParallel)
        }
        return agent
    }

    @Test func discretePPOLearnsTheBandit() {
        let agent = Self.trainBandit(seed: 1)
        var random = NetworkRandom(seed: 99)
        let states = Tensor(shape: [3, 3], values: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let choices = agent.act(states, random: &random, greedy: true).map(\.action)
        #expect(choices == [.discrete(0), .discrete(1), .discrete(2)])
    }

    @Test func continuousPPOMovesItsMeanToTheTarget() {
        var random = NetworkRandom(seed: 2)
        let policy = Sequential([Dense(name: "p", inputs: 1, outputs: 1, random: &random)])
        let value = Sequential([Dense(name: "v", inputs: 1, outputs: 1, random: &random)])
        let agent = PPOAgent(
            policy: policy, value: value, outputCount: 1, isContinuous: true,
            hyperparameters: Hyperparameters(batchSize: 64, numberOfEpochs: 5, learningRate: 0.003, entropyBonus: 0))
        // Reward is highest when the action equals 0.6, whatever the (constant) observation.
        for _ in 0..<80 {
            var buffer = RolloutBuffer(observationSize: 1)
            for _ in 0..<128 {
                let decision = agent.act(Tensor(shape: [1, 1], values: [1]), random: &random)[0]
                guard case .continuous(let vector) = decision.action else { continue }
                buffer.append(
                    observation: [1], action: decision.action, logProbability: decision.logProbability,
                    value: decision.value, reward: -abs(vector[0] - 0.6))
                buffer.finishEpisode(lastValue: 0, discount: 0.99, lambda: 0.95)
            }
            _ = agent.update(buffer, observationShape: [1], random: &random)
        }
        let mean = agent.act(Tensor(shape: [1, 1], values: [1]), random: &random, greedy: true)[0]
        guard case .continuous(let vector) = mean.action else {
            Issue.record("continuous agent gave a discrete action")
            return
        }
        #expect(abs(vector[0] - 0.6) < 0.1, "mean \(vector[0])")
    }

    @Test func sameSeedSameLearning() {
        let a = Self.trainBandit(seed: 5)
        let b = Self.trainBandit(seed: 5)
        #expect(a.parameters.map(\.value) == b.parameters.map(\.value))
    }

    /// The policy and the value network learning on two cores do exactly what they do on one.
    @Test func learningOnTwoCoresGivesTheSameWeights() {
        let one = Self.trainBandit(seed: 7)
        let two = Self.trainBandit(seed: 7, inParallel: true)
        #expect(one.parameters.map(\.value) == two.parameters.map(\.value))
        #expect(one.optimizerState.map(\.value) == two.optimizerState.map(\.value))
    }
}
