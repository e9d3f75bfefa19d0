import ArgumentParser
import Foundation
import Model
import NeuralNetwork
import Simulator

/// `paddock bench conv`: each convolution of each network on oneDNN and on OpenBLAS, in one run.
struct ConvBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "Every convolution layer on oneDNN and on OpenBLAS: milliseconds per call and the ratio.",
        discussion: """
            For each network's convolution layers on a 120x160 gray camera frame: the forward pass on \
            one frame (what driving and collecting episodes run) and forward plus backward on a batch \
            of 64 (what a PPO update runs), on one thread, with each library. Conv2D uses oneDNN \
            unless a shape is refused; this shows where that choice holds.
            """
    )

    @Option(parsing: .unconditional, help: "Timed calls per measurement; the median is reported.")
    var repeats = 9
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be 1 or more.") }
    }

    struct Row {
        let network: String
        let layer: String
        let batch: Int
        let pass: String
        let oneDNN: Double
        let openBLAS: Double
    }

    func run() throws {
        MatrixMath.setThreadCount(1)
        var rows: [Row] = []
        for architecture in NetworkArchitecture.allCases {
            var random = NetworkRandom(seed: 0)
            var shape = [120, 160, 1]
            for layer in architecture.body(prefix: "bench", channels: 1, random: &random) {
                defer { shape = layer.outputShape(for: shape) }
                guard let conv = layer as? Conv2D else { continue }
                for (batch, pass) in [(1, "forward"), (64, "forward+backward")] {
                    let input = Tensor(
                        shape: [batch] + shape,
                        values: (0..<(batch * shape.reduce(1, *))).map { _ in random.uniform(0, 1) })
                    func time(_ backend: Conv2D.Backend) -> Double {
                        conv.backend = backend
                        var samples: [Double] = []
                        for index in 0...repeats {
                            let start = ContinuousClock.now
                            let output = conv.forward(input)
                            if batch > 1 { _ = conv.backward(output) }
                            if index > 0 { samples.append((ContinuousClock.now - start).seconds * 1000) }
                        }
                        return samples.sorted()[samples.count / 2]
                    }
                    let name = conv.kernel.name.replacingOccurrences(of: "bench.", with: "").replacingOccurrences(
                        of: ".kernel", with: "")
                    let description = "\(name) \(conv.filters) \(conv.kernelSize)x\(conv.kernelSize)/\(conv.stride)"
                    rows.append(
                        Row(
                            network: architecture.shortName, layer: description, batch: batch, pass: pass,
                            oneDNN: time(.oneDNN), openBLAS: time(.openBLAS)))
                }
            }
        }
        if json {
            print(
                JSONValue.array(
                    rows.map { row in
                        .object([
                            ("network", .string(row.network)), ("layer", .string(row.layer)),
                            ("batch", .int(row.batch)),
                            ("pass", .string(row.pass)), ("onednn_ms", .double((row.oneDNN * 1000).rounded() / 1000)),
                            ("openblas_ms", .double((row.openBLAS * 1000).rounded() / 1000)),
                            ("speedup", .double((row.openBLAS / row.oneDNN * 100).rounded() / 100)),
                        ])
                    }
                ).text())
            return
        }
        print("Convolutions on one thread, median of \(repeats) calls (OpenBLAS kernel \(BLASKernel.name)):")
        print("  network            layer               batch  pass               oneDNN ms  OpenBLAS ms  speedup")
        for row in rows {
            print(
                "  "
                    + [
                        row.network.padding(toLength: 18, withPad: " ", startingAt: 0),
                        row.layer.padding(toLength: 19, withPad: " ", startingAt: 0),
                        String(format: "%5d", row.batch), row.pass.padding(toLength: 17, withPad: " ", startingAt: 0),
                        String(format: "%9.3f", row.oneDNN), String(format: "%12.3f", row.openBLAS),
                        String(format: "%7.2fx", row.openBLAS / row.oneDNN),
                    ].joined(separator: " "))
        }
    }
}
