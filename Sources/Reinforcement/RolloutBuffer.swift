/// Experience gathered by the current policy for one PPO update: observations, actions, their
/// log-probabilities and value estimates when chosen, and the rewards that followed, episode by
/// episode.
public struct RolloutBuffer: Sendable {
    public let observationSize: Int
    /// Observations as floats, or as bytes (camera frames: 4 times less memory); one is used.
    public private(set) var observations: [Float] = []
    public private(set) var byteObservations: [UInt8] = []
    public private(set) var actions: [AgentAction] = []
    public private(set) var logProbabilities: [Float] = []
    public private(set) var values: [Float] = []
    public private(set) var rewards: [Float] = []
    /// Advantages and return targets, filled in as each episode finishes.
    public private(set) var advantages: [Float] = []
    public private(set) var returns: [Float] = []
    private var episodeStart = 0

    public init(observationSize: Int) {
        self.observationSize = observationSize
    }

    public var count: Int { actions.count }

    public mutating func append(
        observation: [Float], action: AgentAction, logProbability: Float, value: Float, reward: Float
    ) {
        precondition(observation.count == observationSize && byteObservations.isEmpty)
        observations += observation
        appendStep(action: action, logProbability: logProbability, value: value, reward: reward)
    }

    /// Appends a step whose observation is bytes (a camera frame, 0 ... 255).
    public mutating func append(
        byteObservation: [UInt8], action: AgentAction, logProbability: Float, value: Float, reward: Float
    ) {
        precondition(byteObservation.count == observationSize && observations.isEmpty)
        byteObservations += byteObservation
        appendStep(action: action, logProbability: logProbability, value: value, reward: reward)
    }

    private mutating func appendStep(action: AgentAction, logProbability: Float, value: Float, reward: Float) {
        actions.append(action)
        logProbabilities.append(logProbability)
        values.append(value)
        rewards.append(reward)
    }

    /// Closes the current episode: computes its advantages with GAE.
    ///
    /// - Parameter lastValue: 0 when the episode terminated; V(next state) when it was truncated.
    public mutating func finishEpisode(lastValue: Float, discount: Float, lambda: Float) {
        let range = episodeStart..<count
        let (episodeAdvantages, episodeReturns) = AdvantageEstimation.compute(
            rewards: Array(rewards[range]), values: Array(values[range]), lastValue: lastValue, discount: discount,
            lambda: lambda)
        advantages += episodeAdvantages
        returns += episodeReturns
        episodeStart = count
    }

    /// Observations of the given steps as one batch tensor.
    public func observationBatch(_ indices: [Int], shape: [Int]) -> [Float] {
        var batch: [Float] = []
        batch.reserveCapacity(indices.count * observationSize)
        for index in indices {
            let range = (index * observationSize)..<((index + 1) * observationSize)
            if byteObservations.isEmpty {
                batch += observations[range]
            } else {
                batch += byteObservations[range].map { Float($0) }
            }
        }
        return batch
    }
}
