import Testing

@testable import NeuralNetwork

/// Every layer's gradients against central finite differences of the loss L = sum(y * r) for a
/// fixed random r, so that dL/dy = r.
@Suite struct GradientTests {
    struct Check {
        var worstInput: Float = 0
        var worstParameter: Float = 0
    }

    /// Relative error with a floor, for float32 finite differences (h = 1e-2).
    static func error(_ analytic: Float, _ numeric: Float) -> Float {
        abs(analytic - numeric) / max(1, abs(numeric))
    }

    static func check(_ layer: Layer, inputShape: [Int], seed: UInt64 = 1, samples: Int = 40) -> Check {
        var random = NetworkRandom(seed: seed)
        // Keep inputs away from 0 so ReLU's kink does not sit inside a finite-difference step.
        var input = Tensor(
            shape: inputShape,
            values: (0..<inputShape.reduce(1, *)).map { _ in
                let v = random.uniform(0.1, 1)
                return random.uniform(0, 1) < 0.5 ? -v : v
            })
        let output = layer.forward(input)
        let weights = Tensor(shape: output.shape, values: (0..<output.count).map { _ in random.uniform(-1, 1) })
        func loss(_ x: Tensor) -> Double {
            let y = layer.forward(x)
            return zip(y.values, weights.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        for parameter in layer.parameters { parameter.zeroGradient() }
        _ = layer.forward(input)
        let inputGradient = layer.backward(weights)
        var result = Check()
        let h: Float = 1e-2
        for _ in 0..<samples {
            let i = Int(random.next() % UInt64(input.count))
            let original = input.values[i]
            input.values[i] = original + h
            let up = loss(input)
            input.values[i] = original - h
            let down = loss(input)
            input.values[i] = original
            let numeric = Float((up - down) / (2 * Double(h)))
            result.worstInput = max(result.worstInput, error(inputGradient.values[i], numeric))
        }
        for parameter in layer.parameters {
            let analytic = parameter.gradient
            for _ in 0..<samples {
                let i = Int(random.next() % UInt64(parameter.value.count))
                let original = parameter.value[i]
                parameter.value[i] = original + h
                let up = loss(input)
                parameter.value[i] = original - h
                let down = loss(input)
                parameter.value[i] = original
                let numeric = Float((up - down) / (2 * Double(h)))
                result.worstParameter = max(result.worstParameter, error(analytic[i], numeric))
            }
        }
        return result
    }

    @Test func dense() {
        var random = NetworkRandom(seed: 3)
        let result = Self.check(Dense(name: "d", inputs: 7, outputs: 5, random: &random), inputShape: [4, 7])
        #expect(result.worstInput < 2e-3)
        #expect(result.worstParameter < 2e-3)
    }

    @Test(arguments: [(3, 1), (4, 2), (2, 3)], [Conv2D.Backend.oneDNN, .openBLAS])
    func conv2D(shape: (kernel: Int, stride: Int), backend: Conv2D.Backend) {
        var random = NetworkRandom(seed: 5)
        let layer = Conv2D(
            name: "c", channels: 2, filters: 3, kernelSize: shape.kernel, stride: shape.stride, random: &random)
        layer.backend = backend
        let result = Self.check(layer, inputShape: [2, 9, 11, 2])
        #expect(result.worstInput < 2e-3)
        #expect(result.worstParameter < 2e-3)
    }

    @Test func activations() {
        #expect(Self.check(ReLU(), inputShape: [3, 5]).worstInput < 2e-3)
        #expect(Self.check(Tanh(), inputShape: [3, 5]).worstInput < 2e-3)
        #expect(Self.check(Flatten(), inputShape: [2, 3, 4, 2]).worstInput < 2e-3)
    }

    @Test func twoInputNetwork() {
        var random = NetworkRandom(seed: 13)
        let network = TwoInputNetwork(
            imageShape: [6, 6, 1], vectorSize: 4,
            imageBody: Sequential([
                Conv2D(name: "c", channels: 1, filters: 2, kernelSize: 3, stride: 1, random: &random), Tanh(),
                Flatten(),
            ]),
            vectorBody: Sequential([Dense(name: "v", inputs: 4, outputs: 3, random: &random), Tanh()]),
            head: Sequential([Dense(name: "h", inputs: 2 * 4 * 4 + 3, outputs: 2, random: &random)]))
        #expect(network.outputShape(for: [40]) == [2])
        let result = Self.check(network, inputShape: [3, 40], samples: 60)
        #expect(result.worstInput < 5e-3)
        #expect(result.worstParameter < 5e-3)
    }

    @Test func smallConvolutionalNetwork() {
        var random = NetworkRandom(seed: 9)
        // Tanh between the layers: smooth, so no kink sits inside a finite-difference step
        // (ReLU is checked on its own above).
        let network = Sequential([
            Conv2D(name: "c1", channels: 1, filters: 4, kernelSize: 4, stride: 2, random: &random), Tanh(),
            Conv2D(name: "c2", channels: 4, filters: 3, kernelSize: 3, stride: 1, random: &random), Tanh(), Flatten(),
            Dense(name: "d1", inputs: 3 * 3 * 3, outputs: 6, random: &random), Tanh(),
            Dense(name: "d2", inputs: 6, outputs: 2, random: &random),
        ])
        #expect(network.outputShape(for: [12, 12, 1]) == [2])
        let result = Self.check(network, inputShape: [3, 12, 12, 1], samples: 60)
        #expect(result.worstInput < 5e-3)
        #expect(result.worstParameter < 5e-3)
    }
}

@Suite struct LayerTests {
    /// The convolution against the plain sixfold loop.
    @Test(arguments: [Conv2D.Backend.oneDNN, .openBLAS])
    func convolutionMatchesTheDefinition(backend: Conv2D.Backend) {
        var random = NetworkRandom(seed: 11)
        let layer = Conv2D(name: "c", channels: 2, filters: 3, kernelSize: 3, stride: 2, random: &random)
        layer.backend = backend
        for i in layer.bias.value.indices { layer.bias.value[i] = Float(i) * 0.1 }
        let (n, h, w, c) = (2, 7, 8, 2)
        let input = Tensor(shape: [n, h, w, c], values: (0..<(n * h * w * c)).map { _ in random.uniform(-1, 1) })
        let output = layer.forward(input)
        #expect(output.shape == [2, 3, 3, 3])
        for b in 0..<n {
            for oy in 0..<3 {
                for ox in 0..<3 {
                    for f in 0..<3 {
                        var sum = layer.bias.value[f]
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                for ch in 0..<c {
                                    let x = input.values[((b * h + oy * 2 + ky) * w + ox * 2 + kx) * c + ch]
                                    let k = layer.kernel.value[((ky * 3 + kx) * c + ch) * 3 + f]
                                    sum += x * k
                                }
                            }
                        }
                        let got = output.values[((b * 3 + oy) * 3 + ox) * 3 + f]
                        #expect(abs(got - sum) < 1e-5)
                    }
                }
            }
        }
    }

    @Test func deepRacerThreeLayerShapes() {
        var random = NetworkRandom(seed: 1)
        let network = Sequential([
            Conv2D(name: "c1", channels: 1, filters: 32, kernelSize: 8, stride: 4, random: &random), ReLU(),
            Conv2D(name: "c2", channels: 32, filters: 64, kernelSize: 4, stride: 2, random: &random), ReLU(),
            Conv2D(name: "c3", channels: 64, filters: 64, kernelSize: 3, stride: 1, random: &random), ReLU(), Flatten(),
        ])
        // Spec section 8: 29x39x32, 13x18x64, 11x16x64, flatten 11264.
        #expect(network.layers[0].outputShape(for: [120, 160, 1]) == [29, 39, 32])
        #expect(network.layers[2].outputShape(for: [29, 39, 32]) == [13, 18, 64])
        #expect(network.layers[4].outputShape(for: [13, 18, 64]) == [11, 16, 64])
        #expect(network.outputShape(for: [120, 160, 1]) == [11264])
    }

    @Test func softmaxIsStable() {
        let logits = Tensor(shape: [2, 3], values: [1000, 1001, 1002, -5, 0, 5])
        let p = Softmax.probabilities(logits)
        #expect(p.values.allSatisfy { $0.isFinite })
        #expect(abs(p.values[0..<3].reduce(0, +) - 1) < 1e-6)
        #expect(abs(p.values[2] - 0.66524) < 1e-4)
        let logP = Softmax.logSoftmax(logits)
        #expect(abs(logP.values[5] - logf(p.values[5])) < 1e-5)
    }

    @Test func sameSeedSameWeights() {
        var a = NetworkRandom(seed: 42)
        var b = NetworkRandom(seed: 42)
        let first = Dense(name: "d", inputs: 10, outputs: 4, random: &a)
        let second = Dense(name: "d", inputs: 10, outputs: 4, random: &b)
        #expect(first.weights.value == second.weights.value)
        var c = NetworkRandom(seed: 43)
        #expect(Dense(name: "d", inputs: 10, outputs: 4, random: &c).weights.value != first.weights.value)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
