/// Layers applied one after another.
public final class Sequential: Layer {
    public let layers: [Layer]

    public init(_ layers: [Layer]) {
        self.layers = layers
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        layers.reduce(inputShape) { $1.outputShape(for: $0) }
    }

    public func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1.forward($0) }
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        layers.reversed().reduce(outputGradient) { $1.backward($0) }
    }

    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}
