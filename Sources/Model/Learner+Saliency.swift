import NeuralNetwork

/// Which pixels of a camera frame a policy's choice depends on most.
public struct Saliency: Sendable, Equatable {
    /// (120, 160), 0 ... 1: each pixel's |gradient| (the largest over the camera's channels),
    /// averaged over 9x9 pixels (the stride of the first convolution of paddock-fast), scaled so
    /// that the 99th percentile is 1.
    public var map: [Float]
    /// The network's outputs: action probabilities (discrete) or means (continuous).
    public var outputs: [Float]
    /// The output explained: the most likely action (discrete), or 0, the steering mean.
    public var explained: Int
}

extension Learner {
    /// The saliency of one observation `(1, ...observationShape)`, by input gradients (Simonyan,
    /// Vedaldi and Zisserman 2014, "Deep Inside Convolutional Networks"): the gradient of the
    /// chosen action's log-probability with respect to each camera pixel (discrete), or of the
    /// steering mean (continuous), averaged in size over `samples` copies of the frame with
    /// Gaussian noise of 10 % of the gray range added (SmoothGrad: Smilkov et al. 2017), which
    /// keeps the picture from following single texels of the asphalt. The action explained is the
    /// one chosen on the frame itself. The network's weights are not changed; `seed` makes the
    /// noise, so the same frame gives the same map.
    public func saliency(
        _ observation: Tensor, samples: Int = 16, seed: UInt64 = 1, width: Int = 160, height: Int = 120
    ) -> Saliency {
        let outputs = self.outputs(observation).values
        let explained = isContinuous ? 0 : (outputs.indices.max { outputs[$0] < outputs[$1] } ?? 0)
        let pixels = width * height
        var map = [Float](repeating: 0, count: pixels)
        var random = NetworkRandom(seed: seed)
        withInputGradients {
            for _ in 0..<max(samples, 1) {
                var noisy = observation.values
                if samples > 1 {
                    for k in 0..<(noisy.count / pixels * pixels) { noisy[k] += 25.5 * random.normal() }
                }
                let inputGradient = gradientOfChoice(
                    Tensor(shape: observation.shape, values: noisy), explained: explained)
                let channels = max(inputGradient.count / pixels, 1)
                for p in 0..<pixels {
                    var largest: Float = 0
                    for c in 0..<channels where p * channels + c < inputGradient.count {
                        largest = max(largest, abs(inputGradient[p * channels + c]))
                    }
                    map[p] += largest
                }
            }
        }
        map = Self.boxBlur(map, width: width, height: height, radius: 4)
        let sorted = map.sorted()
        let top = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        if top > 0 { map = map.map { min($0 / top, 1) } }
        return Saliency(map: map, outputs: outputs, explained: explained)
    }

    /// The gradient, with respect to each value of one observation `(1, ...observationShape)`, of
    /// the log-probability of action `explained` (discrete) or of the steering mean (continuous;
    /// `explained` is ignored). The network's weights and their gradients are left as they were.
    public func inputGradient(_ observation: Tensor, explained: Int) -> [Float] {
        withInputGradients { gradientOfChoice(observation, explained: explained) }
    }

    /// Runs `body` with the first convolution computing the gradient with respect to its input
    /// (training skips it), by im2col and OpenBLAS: no oneDNN primitives are made for it, so a
    /// saliency map costs the driving and training networks nothing. The layer's settings and the
    /// policy's parameter gradients are put back afterwards.
    func withInputGradients<Result>(_ body: () -> Result) -> Result {
        let policy = self.policy
        let first = Self.firstConvolution(policy)
        let settings = first.map { ($0.computesInputGradient, $0.backend) }
        first?.backend = .openBLAS
        if first?.computesInputGradient == false { first?.computesInputGradient = true }
        let saved = policy.parameters.map(\.gradient)
        defer {
            if let first, let settings {
                first.backend = settings.1
                if first.computesInputGradient != settings.0 { first.computesInputGradient = settings.0 }
            }
            for (parameter, gradient) in zip(policy.parameters, saved) { parameter.gradient = gradient }
        }
        return body()
    }

    /// One backward pass from the chosen action's log-probability (or the steering mean) to the
    /// observation.
    private func gradientOfChoice(_ observation: Tensor, explained: Int) -> [Float] {
        let policy = self.policy
        let raw = policy.forward(observation)
        var gradient = [Float](repeating: 0, count: raw.itemSize)
        if isContinuous {
            gradient[0] = 1
        } else {
            // d log p_a / d logits = onehot(a) - p.
            let probabilities = Softmax.probabilities(raw).values
            for k in gradient.indices { gradient[k] = (k == explained ? 1 : 0) - probabilities[k] }
        }
        return policy.backward(Tensor(shape: [1, raw.itemSize], values: gradient)).values
    }

    /// The network's first convolution (the one that sees the pixels), through a camera-and-LIDAR
    /// network's image body.
    static func firstConvolution(_ network: Sequential) -> Conv2D? {
        for layer in network.layers {
            if let convolution = layer as? Conv2D { return convolution }
            if let twoInputs = layer as? TwoInputNetwork { return firstConvolution(twoInputs.imageBody) }
            if let inner = layer as? Sequential, let convolution = firstConvolution(inner) { return convolution }
        }
        return nil
    }

    /// The mean over (2 radius + 1)^2 pixels around each pixel (fewer at the edges).
    static func boxBlur(_ values: [Float], width: Int, height: Int, radius: Int) -> [Float] {
        var rows = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                var count: Float = 0
                for dx in -radius...radius where x + dx >= 0 && x + dx < width {
                    sum += values[y * width + x + dx]
                    count += 1
                }
                rows[y * width + x] = sum / count
            }
        }
        var result = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                var count: Float = 0
                for dy in -radius...radius where y + dy >= 0 && y + dy < height {
                    sum += rows[(y + dy) * width + x]
                    count += 1
                }
                result[y * width + x] = sum / count
            }
        }
        return result
    }
}
