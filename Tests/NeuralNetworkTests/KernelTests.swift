import Testing

@testable import NeuralNetwork

@Suite struct BLASKernelTests {
    @Test func suggestsTheWidestKernelOnlyWhenOpenBLASFellBack() {
        let avx512: Set = ["sse4_2", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]
        #expect(BLASKernel.suggestedCoreType(currentKernel: "Prescott", cpuFlags: avx512) == "SkylakeX")
        #expect(BLASKernel.suggestedCoreType(currentKernel: "Prescott", cpuFlags: ["avx", "avx2", "fma"]) == "Haswell")
        #expect(BLASKernel.suggestedCoreType(currentKernel: "Prescott", cpuFlags: ["sse2", "ssse3"]) == nil)
        // OpenBLAS recognised the processor: its choice stands.
        #expect(BLASKernel.suggestedCoreType(currentKernel: "Haswell", cpuFlags: avx512) == nil)
        #expect(!BLASKernel.name.isEmpty)
    }
}

@Suite struct FirstLayerGradientTests {
    /// A first layer that skips its input gradient still gets the same parameter gradients.
    @Test func skippingTheInputGradientKeepsParameterGradients() {
        func layer() -> Conv2D {
            var random = NetworkRandom(seed: 7)
            return Conv2D(name: "c", channels: 2, filters: 3, kernelSize: 3, stride: 2, random: &random)
        }
        var random = NetworkRandom(seed: 8)
        let input = Tensor(shape: [2, 9, 7, 2], values: (0..<(2 * 9 * 7 * 2)).map { _ in random.uniform(-1, 1) })
        let full = layer()
        let skipping = layer()
        skipping.computesInputGradient = false
        let outputGradient = full.forward(input)
        _ = skipping.forward(input)
        let fullInputGradient = full.backward(outputGradient)
        let skippedInputGradient = skipping.backward(outputGradient)
        #expect(full.kernel.gradient == skipping.kernel.gradient)
        #expect(full.bias.gradient == skipping.bias.gradient)
        #expect(skippedInputGradient.shape == fullInputGradient.shape)
        #expect(skippedInputGradient.values.allSatisfy { $0 == 0 })
        #expect(fullInputGradient.values.contains { $0 != 0 })
    }
}
