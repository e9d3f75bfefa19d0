#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// max(0, x), elementwise.
public final class ReLU: Layer {
    private var lastOutput = Tensor(shape: [0])

    public init() {}

    public var parameters: [Parameter] { [] }
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ input: Tensor) -> Tensor {
        var values = input.values
        values.withUnsafeMutableBufferPointer { buffer in
            guard let values = buffer.baseAddress else { return }
            Elementwise.rectify(values, count: buffer.count)
        }
        lastOutput = Tensor(shape: input.shape, values: values)
        return lastOutput
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        var values = outputGradient.values
        lastOutput.values.withUnsafeBufferPointer { output in
            values.withUnsafeMutableBufferPointer { gradient in
                let count = gradient.count
                guard let output = output.baseAddress, let gradient = gradient.baseAddress else { return }
                Elementwise.passWherePositive(gradient, output: output, count: count)
            }
        }
        return Tensor(shape: outputGradient.shape, values: values)
    }
}

/// tanh(x), elementwise.
public final class Tanh: Layer {
    private var lastOutput = Tensor(shape: [0])

    public init() {}

    public var parameters: [Parameter] { [] }
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ input: Tensor) -> Tensor {
        lastOutput = Tensor(shape: input.shape, values: input.values.map { tanhf($0) })
        return lastOutput
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        Tensor(
            shape: outputGradient.shape,
            values: zip(outputGradient.values, lastOutput.values).map { $0 * (1 - $1 * $1) })
    }
}

/// Reshapes each item to a flat vector: `(batch, h, w, c)` to `(batch, h * w * c)` (channels
/// last, so the order matches TensorFlow's Flatten and Reshape).
public final class Flatten: Layer {
    private var lastShape: [Int] = []

    public init() {}

    public var parameters: [Parameter] { [] }
    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape.reduce(1, *)] }

    public func forward(_ input: Tensor) -> Tensor {
        lastShape = input.shape
        return input.reshaped([input.batchSize, input.itemSize])
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        outputGradient.reshaped(lastShape)
    }
}

/// Softmax helpers for policy heads (numerically stable: the row maximum is subtracted first).
public enum Softmax {
    /// Row-wise softmax of `(batch, classes)` logits.
    public static func probabilities(_ logits: Tensor) -> Tensor {
        let classes = logits.itemSize
        var result = logits.values
        for row in 0..<logits.batchSize {
            let range = (row * classes)..<((row + 1) * classes)
            let top = logits.values[range].max() ?? 0
            var sum: Float = 0
            for i in range {
                result[i] = expf(logits.values[i] - top)
                sum += result[i]
            }
            for i in range { result[i] /= sum }
        }
        return Tensor(shape: logits.shape, values: result)
    }

    /// Row-wise log-softmax of `(batch, classes)` logits.
    public static func logSoftmax(_ logits: Tensor) -> Tensor {
        let classes = logits.itemSize
        var result = logits.values
        for row in 0..<logits.batchSize {
            let range = (row * classes)..<((row + 1) * classes)
            let top = logits.values[range].max() ?? 0
            let logSum = logf(logits.values[range].reduce(0) { $0 + expf($1 - top) })
            for i in range { result[i] = (logits.values[i] - top) - logSum }
        }
        return Tensor(shape: logits.shape, values: result)
    }
}

/// Multiplies every value by a constant: DeepRacer's networks divide the raw 0 ... 255 camera
/// values by 255 inside the graph.
public final class Scale: Layer {
    public let factor: Float

    public init(_ factor: Float) {
        self.factor = factor
    }

    public var parameters: [Parameter] { [] }
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ input: Tensor) -> Tensor {
        Tensor(shape: input.shape, values: Self.scaled(input.values, by: factor))
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        Tensor(shape: outputGradient.shape, values: Self.scaled(outputGradient.values, by: factor))
    }

    /// `values` times `factor`, in a loop the compiler vectorises.
    static func scaled(_ values: [Float], by factor: Float) -> [Float] {
        var result = values
        result.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] *= factor }
        }
        return result
    }
}
