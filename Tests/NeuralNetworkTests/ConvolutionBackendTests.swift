import Testing

@testable import NeuralNetwork

/// oneDNN and OpenBLAS (im2col) compute the same convolution: outputs and all three gradients
/// agree on the layers of DeepRacer's networks, gradients add up over calls as `Parameter`
/// promises, and a layer moving between batch sizes (driving, then updating) stays right.
@Suite struct ConvolutionBackendTests {
    struct Pass {
        var output: [Float]
        var inputGradient: [Float]
        var kernelGradient: [Float]
        var biasGradient: [Float]
    }

    static func layer(
        _ channels: Int, _ filters: Int, _ kernel: Int, _ stride: Int, backend: Conv2D.Backend, inputGradient: Bool
    ) -> Conv2D {
        var random = NetworkRandom(seed: 21)
        let layer = Conv2D(
            name: "c", channels: channels, filters: filters, kernelSize: kernel, stride: stride, random: &random)
        for i in layer.bias.value.indices { layer.bias.value[i] = random.uniform(-0.5, 0.5) }
        layer.backend = backend
        layer.computesInputGradient = inputGradient
        return layer
    }

    static func tensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var random = NetworkRandom(seed: seed)
        return Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in random.uniform(-1, 1) })
    }

    static func run(_ layer: Conv2D, input: Tensor, seed: UInt64) -> Pass {
        for parameter in layer.parameters { parameter.zeroGradient() }
        let output = layer.forward(input)
        let gradient = layer.backward(tensor(output.shape, seed: seed))
        return Pass(
            output: output.values, inputGradient: gradient.values, kernelGradient: layer.kernel.gradient,
            biasGradient: layer.bias.gradient)
    }

    static func worstDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        let scale = max(b.map(abs).max() ?? 1, 1)
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    /// (channels, filters, kernel, stride, input height, width): DeepRacer's 3-layer and 5-layer
    /// CNNs and Paddock's fast network on a 120x160 frame, and odd sizes.
    static let shapes: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 32, 8, 4, 120, 160), (32, 64, 4, 2, 29, 39), (64, 64, 3, 1, 13, 18),
        (1, 32, 5, 2, 120, 160), (32, 64, 3, 2, 56, 78),
        (1, 16, 8, 8, 120, 160), (16, 32, 3, 2, 15, 20),
        (3, 5, 3, 1, 7, 9), (2, 3, 2, 3, 11, 8),
    ]

    @Test(arguments: shapes)
    func bothLibrariesComputeTheSame(shape: (Int, Int, Int, Int, Int, Int)) {
        let (channels, filters, kernel, stride, height, width) = shape
        let input = Self.tensor([3, height, width, channels], seed: 5)
        let inputGradient = channels > 1
        let oneDNN = Self.run(
            Self.layer(channels, filters, kernel, stride, backend: .oneDNN, inputGradient: inputGradient),
            input: input, seed: 6)
        let openBLAS = Self.run(
            Self.layer(channels, filters, kernel, stride, backend: .openBLAS, inputGradient: inputGradient),
            input: input, seed: 6)
        #expect(Self.worstDifference(oneDNN.output, openBLAS.output) < 1e-5)
        #expect(Self.worstDifference(oneDNN.kernelGradient, openBLAS.kernelGradient) < 1e-5)
        #expect(Self.worstDifference(oneDNN.biasGradient, openBLAS.biasGradient) < 1e-5)
        #expect(Self.worstDifference(oneDNN.inputGradient, openBLAS.inputGradient) < 1e-5)
        #expect(oneDNN.kernelGradient.contains { $0 != 0 })
        if !inputGradient { #expect(oneDNN.inputGradient.allSatisfy { $0 == 0 }) }
    }

    /// `backward` adds to the parameters' gradients (oneDNN writes its own, which are added).
    @Test func gradientsAddUpOverCalls() {
        let layer = Self.layer(4, 8, 3, 1, backend: .oneDNN, inputGradient: true)
        let input = Self.tensor([2, 9, 9, 4], seed: 7)
        let once = Self.run(layer, input: input, seed: 8)
        _ = layer.forward(input)
        _ = layer.backward(Self.tensor([2, 7, 7, 8], seed: 8))
        #expect(Self.worstDifference(layer.kernel.gradient, once.kernelGradient.map { 2 * $0 }) < 1e-6)
        #expect(Self.worstDifference(layer.bias.gradient, once.biasGradient.map { 2 * $0 }) < 1e-6)
    }

    /// Driving runs one frame at a time between updates on batches: each batch size keeps its
    /// own primitives, and changing the weights between calls is seen.
    @Test func batchSizesAndWeightChangesMix() {
        let layer = Self.layer(1, 32, 8, 4, backend: .oneDNN, inputGradient: false)
        let reference = Self.layer(1, 32, 8, 4, backend: .openBLAS, inputGradient: false)
        for (step, batch) in [1, 64, 1, 7, 64].enumerated() {
            let input = Self.tensor([batch, 120, 160, 1], seed: UInt64(10 + step))
            let got = Self.run(layer, input: input, seed: 30)
            let expected = Self.run(reference, input: input, seed: 30)
            #expect(Self.worstDifference(got.output, expected.output) < 1e-5)
            #expect(Self.worstDifference(got.kernelGradient, expected.kernelGradient) < 1e-5)
            for layer in [layer, reference] {
                for i in layer.kernel.value.indices { layer.kernel.value[i] -= 0.01 * layer.kernel.gradient[i] }
            }
        }
    }
}
