/// A trainable tensor and the gradient of the loss with respect to it.
public final class Parameter {
    /// A name unique within its network (for saving), such as `conv1.weights`.
    public let name: String
    public let shape: [Int]
    public var value: [Float]
    /// Accumulated by `backward`; cleared by `zeroGradient()`.
    public var gradient: [Float]

    public init(name: String, shape: [Int], value: [Float]) {
        precondition(shape.reduce(1, *) == value.count)
        self.name = name
        self.shape = shape
        self.value = value
        self.gradient = [Float](repeating: 0, count: value.count)
    }

    public func zeroGradient() {
        for i in gradient.indices { gradient[i] = 0 }
    }

    /// Glorot (Xavier) uniform initialisation: U(-a, a) with a = sqrt(6 / (fanIn + fanOut))
    /// (Glorot and Bengio, 2010), TensorFlow's default for Dense and Conv2D kernels.
    public static func glorotUniform(
        name: String, shape: [Int], fanIn: Int, fanOut: Int, random: inout NetworkRandom
    ) -> Parameter {
        let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
        let count = shape.reduce(1, *)
        return Parameter(name: name, shape: shape, value: (0..<count).map { _ in random.uniform(-limit, limit) })
    }

    public static func zeros(name: String, shape: [Int]) -> Parameter {
        Parameter(name: name, shape: shape, value: [Float](repeating: 0, count: shape.reduce(1, *)))
    }
}
