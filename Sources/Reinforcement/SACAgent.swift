import NeuralNetwork

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Soft actor-critic for continuous actions (Haarnoja et al., 2018), as DeepRacer offers it: a
/// tanh-squashed Gaussian policy, twin Q critics with slowly following targets (the smaller Q is
/// used, against over-estimation), and a fixed temperature alpha (`sac_alpha`) that weighs the
/// entropy bonus. Actions live in the [-1, 1] box.
public final class SACAgent {
    /// Observations to `2 * actionSize` values: the means, then the log standard deviations.
    public let policy: Sequential
    public let critics: [QNetwork]
    public let targets: [QNetwork]
    public let actionSize: Int
    public var hyperparameters: Hyperparameters
    /// How fast the target critics follow (DeepRacer and Spinning Up: 0.005).
    public var targetRate: Float = 0.005
    let policyOptimizer: Adam
    let criticOptimizers: [Adam]

    /// - Parameters:
    ///   - critics: two critics; `targets` two more of the same architecture (their weights are
    ///     set to the critics').
    public init(
        policy: Sequential, critics: [QNetwork], targets: [QNetwork], actionSize: Int, hyperparameters: Hyperparameters
    ) {
        precondition(critics.count == 2 && targets.count == 2)
        self.policy = policy
        self.critics = critics
        self.targets = targets
        self.actionSize = actionSize
        self.hyperparameters = hyperparameters
        for (target, critic) in zip(targets, critics) { target.softUpdate(towards: critic, tau: 1) }
        let lr = Float(hyperparameters.learningRate)
        policyOptimizer = Adam(
            parameters: policy.parameters, learningRate: lr, epsilon: Float(Hyperparameters.adamEpsilon))
        criticOptimizers = critics.map {
            Adam(parameters: $0.parameters, learningRate: lr, epsilon: Float(Hyperparameters.adamEpsilon))
        }
    }

    public var parameters: [Parameter] {
        policy.parameters + critics.flatMap(\.parameters) + targets.flatMap(\.parameters)
    }

    /// The optimisers' state, for checkpoints that resume exactly.
    public var optimizerState: [Parameter] {
        policyOptimizer.state(prefix: "adam.policy")
            + criticOptimizers.enumerated().flatMap { $1.state(prefix: "adam.q\($0 + 1)") }
    }

    public func restoreOptimizerState(_ tensors: [Parameter]) {
        policyOptimizer.restore(tensors, prefix: "adam.policy")
        for (index, optimizer) in criticOptimizers.enumerated() {
            optimizer.restore(tensors, prefix: "adam.q\(index + 1)")
        }
    }

    /// Actions for a batch of observations: sampled, or tanh of the mean when `greedy`.
    public func act(_ observations: Tensor, random: inout NetworkRandom, greedy: Bool = false) -> [[Float]] {
        let outputs = policy.forward(observations)
        return (0..<observations.batchSize).map { i in
            let row = Array(outputs.values[(i * 2 * actionSize)..<((i + 1) * 2 * actionSize)])
            let noise =
                greedy ? [Float](repeating: 0, count: actionSize) : (0..<actionSize).map { _ in random.normal() }
            return SquashedGaussian.sample(
                means: Array(row[0..<actionSize]), logStds: Array(row[actionSize...]), noise: noise
            ).action
        }
    }

    /// Samples of the policy for a batch: actions, log-probabilities, and the noise and outputs used.
    func sample(_ outputs: Tensor, random: inout NetworkRandom) -> (
        actions: [[Float]], logProbabilities: [Float], noise: [[Float]]
    ) {
        var actions: [[Float]] = []
        var logProbabilities: [Float] = []
        var noises: [[Float]] = []
        for i in 0..<outputs.batchSize {
            let row = Array(outputs.values[(i * 2 * actionSize)..<((i + 1) * 2 * actionSize)])
            let noise = (0..<actionSize).map { _ in random.normal() }
            let result = SquashedGaussian.sample(
                means: Array(row[0..<actionSize]), logStds: Array(row[actionSize...]), noise: noise)
            actions.append(result.action)
            logProbabilities.append(result.logProbability)
            noises.append(noise)
        }
        return (actions, logProbabilities, noises)
    }

    /// What one update did.
    public struct UpdateStatistics: Sendable {
        public var criticLoss: Float
        public var policyLoss: Float
        public var meanLogProbability: Float
    }

    /// One gradient step for the critics, the policy and the targets on a batch from `replay`.
    public func update(_ replay: ReplayBuffer, observationShape: [Int], random: inout NetworkRandom) -> UpdateStatistics
    {
        let batchSize = min(hyperparameters.batchSize, replay.count)
        let batch = replay.sample(batchSize, random: &random)
        let observations = Tensor(shape: [batchSize] + observationShape, values: batch.observations)
        let next = Tensor(shape: [batchSize] + observationShape, values: batch.next)
        let alpha = Float(hyperparameters.sacAlpha)
        let gamma = Float(hyperparameters.discountFactor)
        let scale = 1 / Float(batchSize)

        // Critics: towards r + gamma (1 - done) (min Q'(s', a') - alpha log pi(a'|s')).
        let nextSample = sample(policy.forward(next), random: &random)
        let nextQ = targets.map { $0.forward(next, actions: nextSample.actions) }
        let targetValues = (0..<batchSize).map { i in
            batch.rewards[i]
                + (batch.terminals[i]
                    ? 0 : gamma * (min(nextQ[0][i], nextQ[1][i]) - alpha * nextSample.logProbabilities[i]))
        }
        var criticLoss: Float = 0
        for (critic, optimizer) in zip(critics, criticOptimizers) {
            critic.zeroGradients()
            let q = critic.forward(observations, actions: batch.actions)
            let gradient = (0..<batchSize).map { (q[$0] - targetValues[$0]) * scale }
            criticLoss +=
                (0..<batchSize).reduce(0) { $0 + 0.5 * (q[$1] - targetValues[$1]) * (q[$1] - targetValues[$1]) } * scale
            critic.backward(gradient)
            Adam.clipGradients(critic.parameters, maximumNorm: 40)
            optimizer.update()
        }

        // Policy: minimise alpha log pi(a|s) - min Q(s, a) with a reparameterised sample.
        policy.zeroGradients()
        let outputs = policy.forward(observations)
        let current = sample(outputs, random: &random)
        let q = critics.map { $0.forward(observations, actions: current.actions) }
        // dLoss/da through whichever critic is smaller for each sample.
        var actionGradients = [[Float]](repeating: [Float](repeating: 0, count: actionSize), count: batchSize)
        for (index, critic) in critics.enumerated() {
            let chosen = (0..<batchSize).map { i in index == 0 ? q[0][i] <= q[1][i] : q[1][i] < q[0][i] }
            let gradient = (0..<batchSize).map { chosen[$0] ? -scale : 0 }
            let perAction = critic.backward(gradient)
            for i in 0..<batchSize where chosen[i] { actionGradients[i] = perAction[i] }
            critic.zeroGradients()  // the policy step must not move the critics
        }
        var outputGradient = [Float](repeating: 0, count: outputs.count)
        var policyLoss: Float = 0
        for i in 0..<batchSize {
            let row = Array(outputs.values[(i * 2 * actionSize)..<((i + 1) * 2 * actionSize)])
            let gradient = SquashedGaussian.gradient(
                means: Array(row[0..<actionSize]), logStds: Array(row[actionSize...]), noise: current.noise[i],
                alpha: alpha * scale, actionGradient: actionGradients[i])
            for d in 0..<actionSize {
                outputGradient[i * 2 * actionSize + d] = gradient.means[d]
                outputGradient[i * 2 * actionSize + actionSize + d] = gradient.logStds[d]
            }
            policyLoss += (alpha * current.logProbabilities[i] - min(q[0][i], q[1][i])) * scale
        }
        _ = policy.backward(Tensor(shape: outputs.shape, values: outputGradient))
        Adam.clipGradients(policy.parameters, maximumNorm: 40)
        policyOptimizer.update()

        for (target, critic) in zip(targets, critics) { target.softUpdate(towards: critic, tau: targetRate) }
        return UpdateStatistics(
            criticLoss: criticLoss / 2, policyLoss: policyLoss,
            meanLogProbability: current.logProbabilities.reduce(0, +) * scale)
    }
}
