/// The last `capacity` transitions, for off-policy learning (SAC): observation, action, reward,
/// next observation and whether the episode ended there. Observations are stored as bytes
/// (camera frames) or floats.
public struct ReplayBuffer: Sendable {
    public let capacity: Int
    public let observationSize: Int
    public let actionSize: Int
    private var observations: [Float] = []
    private var nextObservations: [Float] = []
    private var byteObservations: [UInt8] = []
    private var byteNextObservations: [UInt8] = []
    private var actions: [Float] = []
    private var rewards: [Float] = []
    private var terminals: [Bool] = []
    private var position = 0
    public private(set) var count = 0

    public init(capacity: Int, observationSize: Int, actionSize: Int) {
        self.capacity = capacity
        self.observationSize = observationSize
        self.actionSize = actionSize
    }

    public mutating func append(observation: [Float], action: [Float], reward: Float, next: [Float], isTerminal: Bool) {
        precondition(byteObservations.isEmpty, "a buffer holds float or byte observations, not both")
        insert(
            observation, next, into: \.observations, \.nextObservations, action: action, reward: reward,
            isTerminal: isTerminal)
    }

    /// Appends a transition whose observations are bytes (camera frames: 4 times less memory).
    public mutating func append(
        byteObservation observation: [UInt8], action: [Float], reward: Float, byteNext next: [UInt8], isTerminal: Bool
    ) {
        precondition(observations.isEmpty, "a buffer holds float or byte observations, not both")
        insert(
            observation, next, into: \.byteObservations, \.byteNextObservations, action: action, reward: reward,
            isTerminal: isTerminal)
    }

    /// Adds a transition at the end, or over the oldest once the buffer is full.
    private mutating func insert<Value>(
        _ observation: [Value], _ next: [Value], into current: WritableKeyPath<ReplayBuffer, [Value]>,
        _ following: WritableKeyPath<ReplayBuffer, [Value]>, action: [Float], reward: Float, isTerminal: Bool
    ) {
        precondition(
            observation.count == observationSize && next.count == observationSize && action.count == actionSize)
        if count < capacity {
            self[keyPath: current] += observation
            self[keyPath: following] += next
            actions += action
            rewards.append(reward)
            terminals.append(isTerminal)
            count += 1
        } else {
            let range = (position * observationSize)..<((position + 1) * observationSize)
            self[keyPath: current].replaceSubrange(range, with: observation)
            self[keyPath: following].replaceSubrange(range, with: next)
            actions.replaceSubrange((position * actionSize)..<((position + 1) * actionSize), with: action)
            rewards[position] = reward
            terminals[position] = isTerminal
        }
        position = (position + 1) % capacity
    }

    /// A random batch of stored transitions.
    public func sample(_ size: Int, random: inout some RandomNumberGenerator) -> (
        observations: [Float], actions: [[Float]], rewards: [Float], next: [Float], terminals: [Bool]
    ) {
        precondition(count > 0)
        var batch: (observations: [Float], actions: [[Float]], rewards: [Float], next: [Float], terminals: [Bool]) = (
            [], [], [], [], []
        )
        for _ in 0..<size {
            let i = Int.random(in: 0..<count, using: &random)
            let range = (i * observationSize)..<((i + 1) * observationSize)
            if byteObservations.isEmpty {
                batch.observations += observations[range]
                batch.next += nextObservations[range]
            } else {
                batch.observations += byteObservations[range].map { Float($0) }
                batch.next += byteNextObservations[range].map { Float($0) }
            }
            batch.actions.append(Array(actions[(i * actionSize)..<((i + 1) * actionSize)]))
            batch.rewards.append(rewards[i])
            batch.terminals.append(terminals[i])
        }
        return batch
    }
}
