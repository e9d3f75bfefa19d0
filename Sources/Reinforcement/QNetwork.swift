import NeuralNetwork

/// A critic Q(s, a): a body turns the observation into features, and a head turns the features
/// joined with the action into one value.
public final class QNetwork {
    public let body: Sequential
    public let head: Sequential
    public let actionSize: Int
    private var featureSize = 0

    public init(body: Sequential, head: Sequential, actionSize: Int) {
        self.body = body
        self.head = head
        self.actionSize = actionSize
    }

    public var parameters: [Parameter] { body.parameters + head.parameters }

    /// Q for each (observation, action) of a batch.
    public func forward(_ observations: Tensor, actions: [[Float]]) -> [Float] {
        let features = body.forward(observations)
        featureSize = features.itemSize
        var joined: [Float] = []
        joined.reserveCapacity(observations.batchSize * (featureSize + actionSize))
        for i in 0..<observations.batchSize {
            joined += features.values[(i * featureSize)..<((i + 1) * featureSize)]
            joined += actions[i]
        }
        return head.forward(Tensor(shape: [observations.batchSize, featureSize + actionSize], values: joined)).values
    }

    /// Backpropagates dLoss/dQ: adds to the parameters' gradients and returns dLoss/daction.
    @discardableResult
    public func backward(_ valueGradient: [Float]) -> [[Float]] {
        let batch = valueGradient.count
        let joined = head.backward(Tensor(shape: [batch, 1], values: valueGradient))
        let width = featureSize + actionSize
        var featureGradient: [Float] = []
        featureGradient.reserveCapacity(batch * featureSize)
        var actionGradient: [[Float]] = []
        for i in 0..<batch {
            featureGradient += joined.values[(i * width)..<(i * width + featureSize)]
            actionGradient.append(Array(joined.values[(i * width + featureSize)..<((i + 1) * width)]))
        }
        _ = body.backward(Tensor(shape: [batch, featureSize], values: featureGradient))
        return actionGradient
    }

    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }

    /// Moves this network's weights towards `other`'s: w = (1 - tau) w + tau w_other.
    public func softUpdate(towards other: QNetwork, tau: Float) {
        for (mine, theirs) in zip(parameters, other.parameters) {
            for i in mine.value.indices { mine.value[i] = (1 - tau) * mine.value[i] + tau * theirs.value[i] }
        }
    }
}
