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

@Suite struct MatrixProductTests {
    /// C = alpha op(A) op(B) + beta C against the plain triple loop, for every transpose, with one
    /// row (the matrix-vector path) and several.
    @Test(arguments: [1, 3], [false, true])
    func matchesTheTripleLoop(m: Int, transposeB: Bool) {
        var random = NetworkRandom(seed: 4)
        for transposeA in [false, true] {
            let (n, k) = (5, 7)
            let a = (0..<(m * k)).map { _ in random.uniform(-1, 1) }
            let b = (0..<(k * n)).map { _ in random.uniform(-1, 1) }
            let start = (0..<(m * n)).map { _ in random.uniform(-1, 1) }
            var c = start
            MatrixMath.multiply(
                a, transposeA: transposeA, b, transposeB: transposeB, into: &c, m: m, n: n, k: k, alpha: 0.5, beta: 2)
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Float = 0
                    for p in 0..<k {
                        let x = transposeA ? a[p * m + i] : a[i * k + p]
                        let y = transposeB ? b[j * k + p] : b[p * n + j]
                        sum += x * y
                    }
                    #expect(abs(c[i * n + j] - (0.5 * sum + 2 * start[i * n + j])) < 1e-5)
                }
            }
        }
    }
}
