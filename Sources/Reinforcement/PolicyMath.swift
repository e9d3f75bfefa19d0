import NeuralNetwork

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The probability maths of PPO's two policy kinds and the gradients of its clipped objective.
///
/// The clipped surrogate (Schulman et al., "Proximal Policy Optimization Algorithms", 2017):
/// L = -mean(min(r A, clip(r, 1 - e, 1 + e) A)) - beta * mean(entropy), with
/// r = exp(log pi(a|s) - log pi_old(a|s)). Where the clip is active the first term has no gradient.
public enum PolicyMath {
    /// Per sample: the gradient of the clipped term with respect to log pi(a|s), and whether it
    /// was clipped.
    @inline(__always)
    static func surrogateGradient(logProbability: Float, oldLogProbability: Float, advantage: Float, clipRange: Float)
        -> (
            gradient: Float, clipped: Bool
        )
    {
        let ratio = expf(logProbability - oldLogProbability)
        let clipped = (advantage >= 0 && ratio > 1 + clipRange) || (advantage < 0 && ratio < 1 - clipRange)
        return (clipped ? 0 : -ratio * advantage, clipped)
    }

    /// The PPO loss for a categorical policy and its gradient with respect to the logits.
    ///
    /// - Parameters:
    ///   - logits: `(batch, actions)`.
    /// - Returns: the loss (mean over the batch), dLoss/dlogits, the mean entropy and the share
    ///   of samples whose ratio was clipped.
    public static func categoricalLoss(
        logits: Tensor, actions: [Int], oldLogProbabilities: [Float], advantages: [Float], clipRange: Float,
        entropyBonus: Float
    ) -> (loss: Float, gradient: Tensor, entropy: Float, clippedFraction: Float) {
        let batch = logits.batchSize
        let classes = logits.itemSize
        let logProbabilities = Softmax.logSoftmax(logits).values
        var gradient = [Float](repeating: 0, count: logits.count)
        var loss: Float = 0
        var totalEntropy: Float = 0
        var clippedCount = 0
        let scale = 1 / Float(batch)
        for i in 0..<batch {
            let row = i * classes
            var entropy: Float = 0
            for j in 0..<classes {
                let logP = logProbabilities[row + j]
                entropy -= expf(logP) * logP
            }
            let logP = logProbabilities[row + actions[i]]
            let ratio = expf(logP - oldLogProbabilities[i])
            let clippedRatio = min(max(ratio, 1 - clipRange), 1 + clipRange)
            loss -= min(ratio * advantages[i], clippedRatio * advantages[i]) * scale
            loss -= entropyBonus * entropy * scale
            totalEntropy += entropy
            let (dLogP, clipped) = surrogateGradient(
                logProbability: logP, oldLogProbability: oldLogProbabilities[i], advantage: advantages[i],
                clipRange: clipRange)
            if clipped { clippedCount += 1 }
            for j in 0..<classes {
                let p = expf(logProbabilities[row + j])
                // d log p_a / d z_j = 1[j == a] - p_j;  d H / d z_j = -p_j (log p_j + H).
                let dLogPa = (j == actions[i] ? 1 : 0) - p
                let dEntropy = -p * (logProbabilities[row + j] + entropy)
                gradient[row + j] = (dLogP * dLogPa - entropyBonus * dEntropy) * scale
            }
        }
        return (
            loss, Tensor(shape: logits.shape, values: gradient), totalEntropy / Float(batch),
            Float(clippedCount) / Float(batch)
        )
    }

    /// log N(x; mean, exp(logStd)) summed over the dimensions of each row.
    public static func gaussianLogProbability(_ x: [Float], mean: [Float], logStd: [Float]) -> Float {
        var sum: Float = 0
        for d in x.indices {
            let z = (x[d] - mean[d]) / expf(logStd[d])
            sum += -0.5 * z * z - logStd[d] - 0.5 * logf(2 * .pi)
        }
        return sum
    }

    /// The PPO loss for a diagonal Gaussian policy (state-independent log standard deviations)
    /// and its gradients with respect to the means and the log standard deviations.
    public static func gaussianLoss(
        means: Tensor, logStd: [Float], actions: [[Float]], oldLogProbabilities: [Float], advantages: [Float],
        clipRange: Float, entropyBonus: Float
    ) -> (loss: Float, meanGradient: Tensor, logStdGradient: [Float], entropy: Float, clippedFraction: Float) {
        let batch = means.batchSize
        let dimensions = means.itemSize
        var meanGradient = [Float](repeating: 0, count: means.count)
        var logStdGradient = [Float](repeating: 0, count: dimensions)
        // The entropy of a Gaussian does not depend on the state: sum(logStd + 0.5 log(2 pi e)).
        let entropy = logStd.reduce(0) { $0 + $1 + 0.5 * logf(2 * .pi * expf(1)) }
        var loss: Float = -entropyBonus * entropy
        var clippedCount = 0
        let scale = 1 / Float(batch)
        for i in 0..<batch {
            let mean = Array(means.values[(i * dimensions)..<((i + 1) * dimensions)])
            let logP = gaussianLogProbability(actions[i], mean: mean, logStd: logStd)
            let ratio = expf(logP - oldLogProbabilities[i])
            let clippedRatio = min(max(ratio, 1 - clipRange), 1 + clipRange)
            loss -= min(ratio * advantages[i], clippedRatio * advantages[i]) * scale
            let (dLogP, clipped) = surrogateGradient(
                logProbability: logP, oldLogProbability: oldLogProbabilities[i], advantage: advantages[i],
                clipRange: clipRange)
            if clipped { clippedCount += 1 }
            for d in 0..<dimensions {
                let std = expf(logStd[d])
                let z = (actions[i][d] - mean[d]) / std
                // d log p / d mean = z / std;  d log p / d logStd = z^2 - 1.
                meanGradient[i * dimensions + d] = dLogP * z / std * scale
                logStdGradient[d] += dLogP * (z * z - 1) * scale
            }
        }
        // d(-beta H)/d logStd = -beta.
        for d in 0..<dimensions { logStdGradient[d] -= entropyBonus }
        return (
            loss, Tensor(shape: means.shape, values: meanGradient), logStdGradient, entropy,
            Float(clippedCount) / Float(batch)
        )
    }

    /// The value loss and its gradient with respect to the predictions: Huber (delta 1) or
    /// half the squared error, averaged over the batch.
    public static func valueLoss(predictions: [Float], targets: [Float], huber: Bool) -> (
        loss: Float, gradient: [Float]
    ) {
        var loss: Float = 0
        var gradient = [Float](repeating: 0, count: predictions.count)
        let scale = 1 / Float(predictions.count)
        for i in predictions.indices {
            let error = predictions[i] - targets[i]
            if huber && abs(error) > 1 {
                loss += (abs(error) - 0.5) * scale
                gradient[i] = (error > 0 ? 1 : -1) * scale
            } else {
                loss += 0.5 * error * error * scale
                gradient[i] = error * scale
            }
        }
        return (loss, gradient)
    }
}
