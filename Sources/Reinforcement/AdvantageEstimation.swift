/// Generalised advantage estimation (Schulman et al., "High-Dimensional Continuous Control Using
/// Generalized Advantage Estimation", 2016).
public enum AdvantageEstimation {
    /// Advantages and returns for one episode, computed backwards:
    /// delta_t = r_t + gamma V(s_{t+1}) - V(s_t), A_t = delta_t + gamma lambda A_{t+1}, and the
    /// return target R_t = A_t + V(s_t).
    ///
    /// - Parameters:
    ///   - values: V(s_t) for each step.
    ///   - lastValue: V of the state after the last step: 0 when the episode ended for good (a
    ///     terminal state has no future reward), the critic's estimate when it was cut short.
    public static func compute(
        rewards: [Float], values: [Float], lastValue: Float, discount: Float, lambda: Float
    ) -> (advantages: [Float], returns: [Float]) {
        precondition(rewards.count == values.count)
        var advantages = [Float](repeating: 0, count: rewards.count)
        var next: Float = 0
        for t in stride(from: rewards.count - 1, through: 0, by: -1) {
            let nextValue = t + 1 < values.count ? values[t + 1] : lastValue
            let delta = rewards[t] + discount * nextValue - values[t]
            next = delta + discount * lambda * next
            advantages[t] = next
        }
        return (advantages, zip(advantages, values).map { $0 + $1 })
    }
}
