/// A fully connected layer: y = x W + b, with W of shape (inputs, outputs).
///
/// Input `(batch, inputs)`, output `(batch, outputs)`.
public final class Dense: Layer {
    public let inputs: Int
    public let outputs: Int
    public let weights: Parameter
    public let bias: Parameter
    private var lastInput = Tensor(shape: [0])

    public init(name: String, inputs: Int, outputs: Int, random: inout NetworkRandom) {
        self.inputs = inputs
        self.outputs = outputs
        weights = .glorotUniform(
            name: "\(name).weights", shape: [inputs, outputs], fanIn: inputs, fanOut: outputs, random: &random)
        bias = .zeros(name: "\(name).bias", shape: [outputs])
    }

    public var parameters: [Parameter] { [weights, bias] }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        precondition(inputShape.reduce(1, *) == inputs, "Dense expects \(inputs) inputs, got \(inputShape)")
        return [outputs]
    }

    public func forward(_ input: Tensor) -> Tensor {
        let batch = input.batchSize
        precondition(input.itemSize == inputs, "Dense expects \(inputs) inputs per item, got \(input.shape)")
        lastInput = input
        var output = [Float](repeating: 0, count: batch * outputs)
        // Start from the bias in every row, then add x W.
        MatrixMath.fillRows(&output, with: bias.value)
        MatrixMath.multiply(input.values, weights.value, into: &output, m: batch, n: outputs, k: inputs, beta: 1)
        return Tensor(shape: [batch, outputs], values: output)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let batch = outputGradient.batchSize
        var inputGradient = [Float](repeating: 0, count: batch * inputs)
        // dW += x^T dy; dx = dy W^T.
        MatrixMath.multiply(
            lastInput.values, transposeA: true, outputGradient.values, into: &weights.gradient, m: inputs, n: outputs,
            k: batch, beta: 1)
        MatrixMath.multiply(
            outputGradient.values, weights.value, transposeB: true, into: &inputGradient, m: batch, n: inputs,
            k: outputs)
        MatrixMath.addColumnSums(of: outputGradient.values, to: &bias.gradient)
        return Tensor(shape: lastInput.shape, values: inputGradient)
    }
}
