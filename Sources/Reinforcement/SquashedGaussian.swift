#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SAC's policy distribution: a Gaussian in an unbounded space squashed by tanh into (-1, 1)
/// (Haarnoja et al., "Soft Actor-Critic", 2018, appendix C).
///
/// For means m, log standard deviations s and noise e: u = m + exp(s) e, a = tanh(u), and
/// log pi(a) = sum over dimensions of log N(u; m, exp(s)) - log(1 - a^2 + 1e-6).
public enum SquashedGaussian {
    /// Log standard deviations are held in this range.
    public static let logStdRange: ClosedRange<Float> = -5...2

    /// The action and its log-probability for one sample.
    public static func sample(means: [Float], logStds: [Float], noise: [Float]) -> (
        action: [Float], logProbability: Float
    ) {
        var action = [Float](repeating: 0, count: means.count)
        var logProbability: Float = 0
        for d in means.indices {
            let s = min(max(logStds[d], logStdRange.lowerBound), logStdRange.upperBound)
            let u = means[d] + expf(s) * noise[d]
            let a = tanhf(u)
            action[d] = a
            logProbability += -0.5 * noise[d] * noise[d] - s - 0.5 * logf(2 * .pi) - logf(1 - a * a + 1e-6)
        }
        return (action, logProbability)
    }

    /// The gradient of `alpha * log pi(a) + sum(actionGradient * a)` with respect to the means and
    /// the log standard deviations, for a reparameterised sample (the noise held fixed).
    ///
    /// - Parameter actionGradient: dLoss/da from the critic.
    public static func gradient(
        means: [Float], logStds: [Float], noise: [Float], alpha: Float, actionGradient: [Float]
    ) -> (means: [Float], logStds: [Float]) {
        var meanGradient = [Float](repeating: 0, count: means.count)
        var logStdGradient = [Float](repeating: 0, count: means.count)
        for d in means.indices {
            let inside = logStdRange.contains(logStds[d])
            let s = min(max(logStds[d], logStdRange.lowerBound), logStdRange.upperBound)
            let std = expf(s)
            let a = tanhf(means[d] + std * noise[d])
            let squash = 1 - a * a
            // d/du of -log(1 - tanh(u)^2 + 1e-6).
            let dLogPdU = 2 * a * squash / (squash + 1e-6)
            let dLossdU = alpha * dLogPdU + actionGradient[d] * squash
            meanGradient[d] = dLossdU
            logStdGradient[d] = inside ? -alpha + dLossdU * std * noise[d] : 0
        }
        return (meanGradient, logStdGradient)
    }
}
