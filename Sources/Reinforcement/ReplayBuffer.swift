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
        Self.store(observation, next, in: &observations, &nextObservations, at: slot, size: observationSize)
        storeRest(action: action, reward: reward, isTerminal: isTerminal)
    }

    /// Appends a transition whose observations are bytes (camera frames: 4 times less memory).
    public mutating func append(
        byteObservation observation: [UInt8], action: [Float], reward: Float, byteNext next: [UInt8], isTerminal: Bool
    ) {
        precondition(observations.isEmpty, "a buffer holds float or byte observations, not both")
        Self.store(observation, next, in: &byteObservations, &byteNextObservations, at: slot, size: observationSize)
        storeRest(action: action, reward: reward, isTerminal: isTerminal)
    }

    /// Where the next transition goes: the end (nil) until the buffer is full, then over the oldest.
    private var slot: Int? { count < capacity ? nil : position }

    /// Writes an observation pair at `slot`, or appends it (in place: no copy of the stored arrays).
    private static func store<Value>(
        _ observation: [Value], _ next: [Value], in current: inout [Value], _ following: inout [Value], at slot: Int?,
        size: Int
    ) {
        precondition(observation.count == size && next.count == size)
        if let slot {
            current.replaceSubrange((slot * size)..<((slot + 1) * size), with: observation)
            following.replaceSubrange((slot * size)..<((slot + 1) * size), with: next)
        } else {
            current += observation
            following += next
        }
    }

    /// Writes the action, reward and end flag of the transition just stored, and moves on.
    private mutating func storeRest(action: [Float], reward: Float, isTerminal: Bool) {
        precondition(action.count == actionSize)
        if count < capacity {
            actions += action
            rewards.append(reward)
            terminals.append(isTerminal)
            count += 1
        } else {
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
