import Foundation
import Model
import NeuralNetwork
import Reinforcement
import Testing

/// "What the model looks at": input gradients against finite differences, and the map's form.
@Suite struct SaliencyTests {
    static func observation(seed: UInt64) -> Tensor {
        var random = NetworkRandom(seed: seed)
        return Tensor(shape: [1, 120, 160, 1], values: (0..<(120 * 160)).map { _ in random.uniform(20, 230) })
    }

    /// d log p_a / d pixel against a central difference of the log-probability, on the pixels
    /// that matter most (float32: a step of 2 gray levels, 5 % with a floor).
    @Test(arguments: [NetworkArchitecture.paddockFast, .deepRacerShallow])
    func theGradientMatchesFiniteDifferences(network: NetworkArchitecture) {
        var settings = TrainingSettings(network: network)
        settings.seed = 3
        var random = NetworkRandom(seed: 3)
        let learner = Learner.make(settings: settings, random: &random)
        let observation = Self.observation(seed: 5)
        let probabilities = learner.outputs(observation).values
        let chosen = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        let gradient = learner.inputGradient(observation, explained: chosen)
        #expect(gradient.count == 120 * 160)
        func logProbability(_ values: [Float]) -> Double {
            let p = learner.outputs(Tensor(shape: observation.shape, values: values)).values
            return log(Double(p[chosen]))
        }
        let strongest = gradient.indices.sorted { abs(gradient[$0]) > abs(gradient[$1]) }.prefix(6)
        for pixel in strongest {
            var up = observation.values
            var down = observation.values
            up[pixel] += 2
            down[pixel] -= 2
            let numeric = (logProbability(up) - logProbability(down)) / 4
            let analytic = Double(gradient[pixel])
            #expect(
                abs(analytic - numeric) <= 0.05 * max(abs(numeric), 1e-4), "pixel \(pixel): \(analytic) vs \(numeric)")
        }
    }

    @Test func theMapIsScaledTheSameEachTimeAndLeavesTheWeightsAlone() {
        let settings = TrainingSettings(network: .paddockFast)
        var random = NetworkRandom(seed: 1)
        let learner = Learner.make(settings: settings, random: &random)
        let before = learner.parameters.map(\.value)
        let observation = Self.observation(seed: 9)
        let a = learner.saliency(observation, samples: 4)
        let b = learner.saliency(observation, samples: 4)
        #expect(a == b)
        #expect(a.map.count == 120 * 160)
        #expect(a.map.allSatisfy { (0...1).contains($0) })
        #expect(a.map.contains { $0 == 1 })
        #expect(a.outputs == learner.outputs(observation).values)
        #expect(learner.parameters.map(\.value) == before)
    }
}
