import Foundation
import NeuralNetwork

extension ModelFolder {
    /// Copies this model into `target` as DeepRacer's console clones: the same settings (action
    /// space, network, sensors) and the best checkpoint as the clone's starting weights, on
    /// `track` and with `rewardSource` when given.
    public func clone(into target: ModelFolder, track: String? = nil, rewardSource: String? = nil) throws {
        guard !target.exists else { throw ModelError.exists(target.name) }
        var description = try readDescription()
        if let track { description.track = track }
        let weights = try readCheckpoint(bestCheckpointFile)
        try target.writeDescription(description, rewardSource: try rewardSource ?? readRewardSource())
        let tensors = weights.tensors.map { Parameter(name: $0.name, shape: $0.shape, value: $0.values) }
        try target.writeCheckpoint(tensors, metadata: weights.metadata, to: target.initialWeightsFile)
    }
}
