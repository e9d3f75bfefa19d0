import NeuralNetwork

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Proximal policy optimisation with separate policy and value networks, as DeepRacer trains:
/// clipped surrogate (clip 0.2), GAE (lambda 0.95), Adam (epsilon 1e-5), an entropy bonus.
///
/// Discrete action spaces use a categorical policy over the network's logits. Continuous ones
/// use a diagonal Gaussian in the [-1, 1] box: the network gives the means, a learned
/// state-independent log standard deviation the spread; sampled actions are clipped to the box
/// when applied, and log-probabilities use the unclipped sample.
public final class PPOAgent {
    public let policy: Sequential
    public let value: Sequential
    /// Log standard deviations of the Gaussian policy (continuous spaces only).
    public let logStd: Parameter?
    public let outputCount: Int
    public let isContinuous: Bool
    public var hyperparameters: Hyperparameters
    let policyOptimizer: Adam
    let valueOptimizer: Adam
    /// Gradients are clipped to this global norm before each step.
    public var maximumGradientNorm: Float = 40

    /// - Parameters:
    ///   - policy: maps observations to `outputCount` logits (discrete) or means (continuous).
    ///   - value: maps observations to one value.
    public init(
        policy: Sequential, value: Sequential, outputCount: Int, isContinuous: Bool, hyperparameters: Hyperparameters
    ) {
        self.policy = policy
        self.value = value
        self.outputCount = outputCount
        self.isContinuous = isContinuous
        self.hyperparameters = hyperparameters
        logStd =
            isContinuous
            ? Parameter(
                name: "policy.log_std", shape: [outputCount], value: [Float](repeating: -0.5, count: outputCount)) : nil
        let lr = Float(hyperparameters.learningRate)
        policyOptimizer = Adam(
            parameters: policy.parameters + (logStd.map { [$0] } ?? []), learningRate: lr,
            epsilon: Float(Hyperparameters.adamEpsilon))
        valueOptimizer = Adam(
            parameters: value.parameters, learningRate: lr, epsilon: Float(Hyperparameters.adamEpsilon))
    }

    /// Every parameter, policy first (for saving).
    public var parameters: [Parameter] { policy.parameters + (logStd.map { [$0] } ?? []) + value.parameters }

    /// The optimisers' state, for checkpoints that resume exactly.
    public var optimizerState: [Parameter] {
        policyOptimizer.state(prefix: "adam.policy") + valueOptimizer.state(prefix: "adam.value")
    }

    public func restoreOptimizerState(_ tensors: [Parameter]) {
        policyOptimizer.restore(tensors, prefix: "adam.policy")
        valueOptimizer.restore(tensors, prefix: "adam.value")
    }

    /// One decision: the action, its log-probability and the state's value.
    public struct Decision: Sendable {
        public var action: AgentAction
        public var logProbability: Float
        public var value: Float
    }

    /// Chooses actions for a batch of observations (`(batch, ...)`): sampled while training, the
    /// most likely (or the mean) when `greedy`.
    public func act(_ observations: Tensor, random: inout NetworkRandom, greedy: Bool = false) -> [Decision] {
        let outputs = policy.forward(observations)
        let values = value.forward(observations).values
        var decisions: [Decision] = []
        for i in 0..<observations.batchSize {
            let row = Array(outputs.values[(i * outputCount)..<((i + 1) * outputCount)])
            if let logStd {
                let sample = greedy ? row : row.indices.map { row[$0] + expf(logStd.value[$0]) * random.normal() }
                let logP = PolicyMath.gaussianLogProbability(sample, mean: row, logStd: logStd.value)
                decisions.append(Decision(action: .continuous(sample), logProbability: logP, value: values[i]))
            } else {
                let logP = Softmax.logSoftmax(Tensor(shape: [1, outputCount], values: row)).values
                var choice = 0
                if greedy {
                    choice = logP.indices.max { logP[$0] < logP[$1] } ?? 0
                } else {
                    var u = random.uniform(0, 1)
                    choice = outputCount - 1
                    for j in 0..<outputCount {
                        u -= expf(logP[j])
                        if u <= 0 {
                            choice = j
                            break
                        }
                    }
                }
                decisions.append(Decision(action: .discrete(choice), logProbability: logP[choice], value: values[i]))
            }
        }
        return decisions
    }

    /// What one update did, averaged over its mini-batches.
    public struct UpdateStatistics: Sendable, Equatable {
        public var policyLoss: Float = 0
        public var valueLoss: Float = 0
        public var entropy: Float = 0
        public var clippedFraction: Float = 0
        public var batches = 0
    }

    /// Trains on `buffer` for `numberOfEpochs` passes in shuffled mini-batches of `batchSize`.
    /// Advantages are normalised to mean 0 and standard deviation 1 over the buffer.
    ///
    /// The policy and the value network learn from the same mini-batches but share no weights
    /// and no optimiser, so with `inParallel` they learn at the same time on two cores. The
    /// arithmetic is the same either way: the results are identical.
    public func update(
        _ buffer: RolloutBuffer, observationShape: [Int], random: inout NetworkRandom, inParallel: Bool = false
    ) -> UpdateStatistics {
        precondition(buffer.advantages.count == buffer.count, "finish every episode before updating")
        let count = buffer.count
        guard count > 0 else { return UpdateStatistics() }
        let mean = buffer.advantages.reduce(0, +) / Float(count)
        let variance = buffer.advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(count)
        let advantages = buffer.advantages.map { ($0 - mean) / (variance.squareRoot() + 1e-8) }
        let batchSize = min(hyperparameters.batchSize, count)
        // Every epoch's shuffled mini-batches, drawn up front.
        var batches: [[Int]] = []
        var order = Array(0..<count)
        for _ in 0..<hyperparameters.numberOfEpochs {
            order.shuffle(using: &random)
            for start in stride(from: 0, to: count, by: batchSize) {
                batches.append(Array(order[start..<min(start + batchSize, count)]))
            }
        }
        var policyStatistics = UpdateStatistics()
        var valueStatistics = UpdateStatistics()
        Parallel.both(
            enabled: inParallel,
            {
                policyStatistics = self.updatePolicy(
                    buffer, batches: batches, advantages: advantages, observationShape: observationShape)
            },
            { valueStatistics = self.updateValue(buffer, batches: batches, observationShape: observationShape) })
        var statistics = policyStatistics
        statistics.valueLoss = valueStatistics.valueLoss
        let n = Float(max(statistics.batches, 1))
        statistics.policyLoss /= n
        statistics.valueLoss /= n
        statistics.entropy /= n
        statistics.clippedFraction /= n
        return statistics
    }

    /// The policy's steps over `batches` (sums of the losses; `update` averages them).
    private func updatePolicy(
        _ buffer: RolloutBuffer, batches: [[Int]], advantages: [Float], observationShape: [Int]
    ) -> UpdateStatistics {
        var statistics = UpdateStatistics()
        let clip = Float(Hyperparameters.clipRange)
        let beta = Float(hyperparameters.entropyBonus)
        for indices in batches {
            let observations = Tensor(
                shape: [indices.count] + observationShape,
                values: buffer.observationBatch(indices, shape: observationShape))
            let batchAdvantages = indices.map { advantages[$0] }
            let oldLogProbabilities = indices.map { buffer.logProbabilities[$0] }
            policy.zeroGradients()
            logStd?.zeroGradient()
            let outputs = policy.forward(observations)
            if let logStd {
                let actions = indices.map { index -> [Float] in
                    if case .continuous(let vector) = buffer.actions[index] { return vector }
                    preconditionFailure("a discrete action in a continuous buffer")
                }
                let result = PolicyMath.gaussianLoss(
                    means: outputs, logStd: logStd.value, actions: actions,
                    oldLogProbabilities: oldLogProbabilities,
                    advantages: batchAdvantages, clipRange: clip, entropyBonus: beta)
                _ = policy.backward(result.meanGradient)
                for d in logStd.gradient.indices { logStd.gradient[d] += result.logStdGradient[d] }
                statistics.policyLoss += result.loss
                statistics.entropy += result.entropy
                statistics.clippedFraction += result.clippedFraction
            } else {
                let actions = indices.map { index -> Int in
                    if case .discrete(let choice) = buffer.actions[index] { return choice }
                    preconditionFailure("a continuous action in a discrete buffer")
                }
                let result = PolicyMath.categoricalLoss(
                    logits: outputs, actions: actions, oldLogProbabilities: oldLogProbabilities,
                    advantages: batchAdvantages, clipRange: clip, entropyBonus: beta)
                _ = policy.backward(result.gradient)
                statistics.policyLoss += result.loss
                statistics.entropy += result.entropy
                statistics.clippedFraction += result.clippedFraction
            }
            Adam.clipGradients(policy.parameters + (logStd.map { [$0] } ?? []), maximumNorm: maximumGradientNorm)
            policyOptimizer.update()
            statistics.batches += 1
        }
        return statistics
    }

    /// The value network's steps over `batches` (the sum of the losses in `valueLoss`).
    private func updateValue(_ buffer: RolloutBuffer, batches: [[Int]], observationShape: [Int]) -> UpdateStatistics {
        var statistics = UpdateStatistics()
        for indices in batches {
            let observations = Tensor(
                shape: [indices.count] + observationShape,
                values: buffer.observationBatch(indices, shape: observationShape))
            value.zeroGradients()
            let predictions = value.forward(observations).values
            let targets = indices.map { buffer.returns[$0] }
            let valueResult = PolicyMath.valueLoss(
                predictions: predictions, targets: targets, huber: hyperparameters.lossType == .huber)
            _ = value.backward(Tensor(shape: [indices.count, 1], values: valueResult.gradient))
            Adam.clipGradients(value.parameters, maximumNorm: maximumGradientNorm)
            valueOptimizer.update()
            statistics.valueLoss += valueResult.loss
            statistics.batches += 1
        }
        return statistics
    }
}
