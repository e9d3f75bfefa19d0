import Testing

@testable import NeuralNetwork

@Suite struct OptimizerTests {
    /// One step with gradient 1 from zero moments, by hand in TensorFlow's form.
    @Test func adamFirstStepByHand() {
        let parameter = Parameter(name: "p", shape: [1], value: [2])
        let adam = Adam(parameters: [parameter], learningRate: 0.01)
        parameter.gradient = [1]
        adam.update()
        let m: Float = 0.1
        let v: Float = 0.001
        let stepSize: Float = 0.01 * (1 - 0.999).squareRoot() / (1 - 0.9)
        #expect(abs(parameter.value[0] - (2 - stepSize * m / (v.squareRoot() + 1e-5))) < 1e-6)
        #expect(adam.epsilon == 1e-5)
    }

    @Test func adamMinimisesAQuadratic() {
        let parameter = Parameter(name: "p", shape: [3], value: [3, -2, 5])
        let adam = Adam(parameters: [parameter], learningRate: 0.1)
        for _ in 0..<500 {
            // L = sum (p - target)^2
            parameter.gradient = zip(parameter.value, [1, 1, -1] as [Float]).map { 2 * ($0 - $1) }
            adam.update()
        }
        #expect(zip(parameter.value, [1, 1, -1] as [Float]).allSatisfy { abs($0 - $1) < 0.01 })
    }

    @Test func clippingScalesToTheGlobalNorm() {
        let a = Parameter(name: "a", shape: [2], value: [0, 0])
        let b = Parameter(name: "b", shape: [1], value: [0])
        a.gradient = [3, 0]
        b.gradient = [4]
        let norm = Adam.clipGradients([a, b], maximumNorm: 1)
        #expect(norm == 5)
        #expect(abs(a.gradient[0] - 0.6) < 1e-6)
        #expect(abs(b.gradient[0] - 0.8) < 1e-6)
        #expect(Adam.clipGradients([a, b], maximumNorm: 10) == 1)
        #expect(abs(b.gradient[0] - 0.8) < 1e-6)
    }
}

@Suite struct NetworkFileTests {
    static func network(seed: UInt64) -> Sequential {
        var random = NetworkRandom(seed: seed)
        return Sequential([
            Conv2D(name: "c1", channels: 1, filters: 2, kernelSize: 3, stride: 1, random: &random), ReLU(), Flatten(),
            Dense(name: "d1", inputs: 2 * 4 * 4, outputs: 3, random: &random),
        ])
    }

    @Test func roundTrip() throws {
        let saved = Self.network(seed: 1)
        let bytes = NetworkFile.encode(parameters: saved.parameters, metadata: "{\"network\": \"test\"}")
        let contents = try NetworkFile.decode(bytes, source: "model.weights")
        #expect(contents.metadata == "{\"network\": \"test\"}")
        let loaded = Self.network(seed: 2)
        #expect(loaded.parameters.map(\.value) != saved.parameters.map(\.value))
        try NetworkFile.load(contents, into: loaded.parameters, source: "model.weights")
        #expect(loaded.parameters.map(\.value) == saved.parameters.map(\.value))
        let input = Tensor(shape: [1, 6, 6, 1], values: (0..<36).map { Float($0) / 36 })
        #expect(loaded.forward(input) == saved.forward(input))
    }

    @Test func unknownVersionIsRefusedClearly() {
        var bytes = NetworkFile.encode(parameters: Self.network(seed: 1).parameters, metadata: "{}")
        bytes[8] = 9
        #expect(throws: NetworkFileError(source: "m", problem: .unsupportedVersion(found: 9, supported: 1))) {
            try NetworkFile.decode(bytes, source: "m")
        }
        let message = NetworkFileError(source: "m", problem: .unsupportedVersion(found: 9, supported: 1)).description
        #expect(message.contains("version 9") && message.contains("reads version 1"))
    }

    @Test func damagedFilesAreRefused() {
        let bytes = NetworkFile.encode(parameters: Self.network(seed: 1).parameters, metadata: "{}")
        #expect(throws: NetworkFileError(source: "m", problem: .truncated)) {
            try NetworkFile.decode(Array(bytes.prefix(bytes.count - 3)), source: "m")
        }
        #expect(throws: NetworkFileError(source: "m", problem: .notANetwork)) {
            try NetworkFile.decode(Array("hello, world".utf8), source: "m")
        }
    }

    @Test func otherArchitecturesAreRefused() throws {
        let bytes = NetworkFile.encode(parameters: Self.network(seed: 1).parameters, metadata: "{}")
        let contents = try NetworkFile.decode(bytes, source: "m")
        var random = NetworkRandom(seed: 1)
        let other = Dense(name: "d1", inputs: 5, outputs: 3, random: &random)
        #expect(
            throws: NetworkFileError(
                source: "m", problem: .shapeMismatch(name: "d1.weights", saved: [32, 3], expected: [5, 3]))
        ) {
            try NetworkFile.load(contents, into: other.parameters, source: "m")
        }
    }
}
