/// A 2-D convolution with VALID padding, channels last, as TensorFlow's `Conv2D` and DeepRacer's
/// networks use it.
///
/// Input `(batch, height, width, channels)`, output `(batch, (height - kernel) / stride + 1,
/// (width - kernel) / stride + 1, filters)`. The kernel has TensorFlow's layout
/// `(kernelHeight, kernelWidth, channels, filters)`. Computed by oneDNN's convolution kernels
/// (the ones TensorFlow uses) or, with `backend` `.openBLAS`, as one matrix product per batch:
/// the input patches laid out as rows ("im2col"), times the kernel as a matrix. Both give the same
/// results to float rounding; the weights are the same either way.
public final class Conv2D: Layer {
    /// The library that computes a convolution.
    public enum Backend: Sendable {
        /// oneDNN's JIT convolutions (libdnnl), forward and both gradients.
        case oneDNN
        /// im2col and OpenBLAS's matrix product.
        case openBLAS
    }

    public let channels: Int
    public let filters: Int
    public let kernelSize: Int
    public let stride: Int
    public let kernel: Parameter
    public let bias: Parameter
    /// Whether `backward` computes the gradient with respect to the input. A first layer on raw
    /// observations needs only its parameters' gradients; with `false` its `backward` returns
    /// zeros and skips a third of its work.
    public var computesInputGradient = true {
        didSet { oneDNN = nil }
    }
    /// Which library computes this layer. oneDNN is faster for every layer of Paddock's networks
    /// at every batch size measured (`paddock bench conv`); OpenBLAS computes the same results and
    /// takes over for a shape oneDNN refuses.
    public var backend = Backend.oneDNN
    private var oneDNN: DNNLConvolution?
    private var lastInputShape: [Int] = []
    /// What the last forward ran on, and its input (oneDNN) or the input's patches (OpenBLAS),
    /// for `backward`.
    private var lastConvolution: DNNLConvolution?
    private var lastInput: [Float] = []
    private var columns: [Float] = []

    public init(name: String, channels: Int, filters: Int, kernelSize: Int, stride: Int, random: inout NetworkRandom) {
        self.channels = channels
        self.filters = filters
        self.kernelSize = kernelSize
        self.stride = stride
        let fanIn = kernelSize * kernelSize * channels
        kernel = .glorotUniform(
            name: "\(name).kernel", shape: [kernelSize, kernelSize, channels, filters], fanIn: fanIn,
            fanOut: kernelSize * kernelSize * filters, random: &random)
        bias = .zeros(name: "\(name).bias", shape: [filters])
    }

    public var parameters: [Parameter] { [kernel, bias] }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        precondition(
            inputShape.count == 3 && inputShape[2] == channels, "Conv2D expects (h, w, \(channels)), got \(inputShape)")
        precondition(
            inputShape[0] >= kernelSize && inputShape[1] >= kernelSize, "input \(inputShape) smaller than the kernel")
        return [(inputShape[0] - kernelSize) / stride + 1, (inputShape[1] - kernelSize) / stride + 1, filters]
    }

    public func forward(_ input: Tensor) -> Tensor {
        let batch = input.batchSize
        let out = outputShape(for: Array(input.shape.dropFirst()))
        let rows = batch * out[0] * out[1]
        let patch = kernelSize * kernelSize * channels
        lastInputShape = input.shape
        lastConvolution = convolution(for: input.shape)
        if let oneDNN = lastConvolution {
            lastInput = input.values
            columns = []
            let output = oneDNN.forward(
                input.values, inputShape: input.shape, kernel: kernel.value, bias: bias.value,
                outputCount: rows * filters)
            return Tensor(shape: [batch] + out, values: output)
        }
        lastInput = []
        columns = Self.im2col(input, kernelSize: kernelSize, stride: stride, outputHeight: out[0], outputWidth: out[1])
        var output = [Float](unsafeUninitializedCapacity: rows * filters) { _, count in count = rows * filters }
        MatrixMath.fillRows(&output, with: bias.value)
        MatrixMath.multiply(columns, kernel.value, into: &output, m: rows, n: filters, k: patch, beta: 1)
        return Tensor(shape: [batch] + out, values: output)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        if let oneDNN = lastConvolution { return backward(outputGradient, with: oneDNN) }
        let rows = outputGradient.count / filters
        let patch = kernelSize * kernelSize * channels
        // dK += columns^T dy; dColumns = dy K^T; db += column sums of dy.
        MatrixMath.multiply(
            columns, transposeA: true, outputGradient.values, into: &kernel.gradient, m: patch, n: filters, k: rows,
            beta: 1)
        MatrixMath.addColumnSums(of: outputGradient.values, to: &bias.gradient)
        guard computesInputGradient else { return Tensor(shape: lastInputShape) }
        var columnGradient = [Float](unsafeUninitializedCapacity: rows * patch) { _, count in count = rows * patch }
        MatrixMath.multiply(
            outputGradient.values, kernel.value, transposeB: true, into: &columnGradient, m: rows, n: patch, k: filters)
        return Self.col2im(
            columnGradient, inputShape: lastInputShape, kernelSize: kernelSize, stride: stride,
            outputHeight: outputGradient.shape[1], outputWidth: outputGradient.shape[2])
    }

    private func backward(_ outputGradient: Tensor, with oneDNN: DNNLConvolution) -> Tensor {
        let inputGradient = oneDNN.backward(
            input: lastInput, inputShape: lastInputShape, outputGradient: outputGradient.values, kernel: kernel.value,
            kernelGradient: &kernel.gradient, biasGradient: &bias.gradient)
        guard let inputGradient else { return Tensor(shape: lastInputShape) }
        return Tensor(shape: lastInputShape, values: inputGradient)
    }

    /// oneDNN's primitives for inputs of `shape`, or nil to use OpenBLAS.
    private func convolution(for shape: [Int]) -> DNNLConvolution? {
        guard backend == .oneDNN else { return nil }
        if oneDNN == nil {
            oneDNN = DNNLConvolution(
                channels: channels, filters: filters, kernelSize: kernelSize, stride: stride,
                computesInputGradient: computesInputGradient)
        }
        guard let oneDNN, oneDNN.supports(inputShape: shape) else { return nil }
        return oneDNN
    }

    /// The input patches as rows: row (n, y, x) holds the kernel window at output (y, x) of item n,
    /// in (kernel row, kernel column, channel) order. Channels last makes each kernel row of a
    /// window one contiguous run of `kernelSize * channels` values.
    static func im2col(_ input: Tensor, kernelSize: Int, stride: Int, outputHeight: Int, outputWidth: Int) -> [Float] {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let run = kernelSize * channels
        let patch = kernelSize * run
        let count = batch * outputHeight * outputWidth * patch
        // Every value is written below.
        var columns = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        input.values.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { c in
                guard let x = x.baseAddress, let c = c.baseAddress else { return }
                var row = 0
                for n in 0..<batch {
                    for oy in 0..<outputHeight {
                        for ox in 0..<outputWidth {
                            let destination = c + row * patch
                            for ky in 0..<kernelSize {
                                let source = x + ((n * height + oy * stride + ky) * width + ox * stride) * channels
                                let target = destination + ky * run
                                for i in 0..<run { target[i] = source[i] }
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        return columns
    }

    /// Adds each row of `columns` back onto the input positions its window covered (the
    /// gradient of `im2col`).
    static func col2im(
        _ columns: [Float], inputShape: [Int], kernelSize: Int, stride: Int, outputHeight: Int, outputWidth: Int
    ) -> Tensor {
        let (batch, height, width, channels) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let run = kernelSize * channels
        let patch = kernelSize * run
        var input = [Float](repeating: 0, count: batch * height * width * channels)
        columns.withUnsafeBufferPointer { c in
            input.withUnsafeMutableBufferPointer { x in
                guard let c = c.baseAddress, let x = x.baseAddress else { return }
                var row = 0
                for n in 0..<batch {
                    for oy in 0..<outputHeight {
                        for ox in 0..<outputWidth {
                            let source = c + row * patch
                            for ky in 0..<kernelSize {
                                let destination = x + ((n * height + oy * stride + ky) * width + ox * stride) * channels
                                let from = source + ky * run
                                for i in 0..<run { destination[i] += from[i] }
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        return Tensor(shape: inputShape, values: input)
    }
}
