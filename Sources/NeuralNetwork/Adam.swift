/// Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", 2015), in TensorFlow's
/// form, which DeepRacer's trainer uses: the bias correction goes into the step size,
/// lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), and theta -= lr_t * m / (sqrt(v) + epsilon).
public final class Adam {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    /// DeepRacer's trainer uses 1e-5.
    public let epsilon: Float
    public private(set) var step = 0
    private let parameters: [Parameter]
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]

    public init(
        parameters: [Parameter], learningRate: Float = 3e-4, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-5
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    }

    /// The optimiser's state as named tensors (the step count and both moments of every
    /// parameter), for checkpoints that resume exactly.
    public func state(prefix: String) -> [Parameter] {
        var tensors = [Parameter(name: "\(prefix).step", shape: [1], value: [Float(step)])]
        for (index, parameter) in parameters.enumerated() {
            tensors.append(
                Parameter(name: "\(prefix).m.\(parameter.name)", shape: parameter.shape, value: firstMoments[index]))
            tensors.append(
                Parameter(name: "\(prefix).v.\(parameter.name)", shape: parameter.shape, value: secondMoments[index]))
        }
        return tensors
    }

    /// Restores `state(prefix:)` from tensors read back (those of `prefix`).
    public func restore(_ tensors: [Parameter], prefix: String) {
        let byName = Dictionary(tensors.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        if let saved = byName["\(prefix).step"]?.first { step = Int(saved) }
        for (index, parameter) in parameters.enumerated() {
            if let m = byName["\(prefix).m.\(parameter.name)"], m.count == parameter.value.count {
                firstMoments[index] = m
            }
            if let v = byName["\(prefix).v.\(parameter.name)"], v.count == parameter.value.count {
                secondMoments[index] = v
            }
        }
    }

    /// Moves every parameter one step against its gradient.
    public func update() {
        step += 1
        let t = Float(step)
        let stepSize = learningRate * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        for (index, parameter) in parameters.enumerated() {
            parameter.gradient.withUnsafeBufferPointer { gradient in
                firstMoments[index].withUnsafeMutableBufferPointer { m in
                    secondMoments[index].withUnsafeMutableBufferPointer { v in
                        parameter.value.withUnsafeMutableBufferPointer { theta in
                            let count = gradient.count
                            guard let g = gradient.baseAddress, let m = m.baseAddress, let v = v.baseAddress,
                                let theta = theta.baseAddress
                            else { return }
                            Elementwise.adamStep(
                                gradient: g, first: m, second: v, theta: theta, count: count, beta1: beta1,
                                beta2: beta2, stepSize: stepSize, epsilon: epsilon)
                        }
                    }
                }
            }
        }
    }

    /// Scales all gradients down together so their joint L2 norm is at most `maximumNorm`
    /// (TensorFlow's `clip_by_global_norm`); returns the norm before clipping.
    @discardableResult
    public static func clipGradients(_ parameters: [Parameter], maximumNorm: Float) -> Float {
        let norm = parameters.reduce(Float(0)) { $0 + MatrixMath.sumOfSquares($1.gradient) }.squareRoot()
        if norm > maximumNorm && norm > 0 {
            for parameter in parameters { MatrixMath.scale(&parameter.gradient, by: maximumNorm / norm) }
        }
        return norm
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
