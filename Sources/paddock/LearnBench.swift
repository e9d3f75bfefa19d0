import ArgumentParser
import Assets
import Foundation
import Model
import NeuralNetwork
import Reinforcement
import Simulator

/// `paddock bench learn`: PPO update throughput, Paddock against TensorFlow on the same network.
struct LearnBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "PPO update throughput on DeepRacer's 3-layer CNN at batch 64, against TensorFlow.",
        discussion: """
            Times forward, the clipped PPO and value losses, backward and Adam for the policy and value \
            networks on batches of 64 camera frames, in Paddock and in TensorFlow (tensorflow-cpu from \
            PyPI, the framework DeepRacer trains with) with the same thread count, in the same run. With \
            2 or more threads Paddock learns as training does: the policy and the value network on two \
            cores at once, each with one OpenBLAS thread; TensorFlow splits each operation over its threads. \
            TensorFlow runs from the Python given by --python or $PADDOCK_PYTHON_TOOLS \
            (`bash scripts/python-tools.sh` makes one and prints its path).
            """
    )

    @Option(parsing: .unconditional, help: "Batches to time.") var steps = 20
    @Option(parsing: .unconditional, help: "Threads for both (OpenBLAS and TensorFlow).") var threads = 1
    @Option(help: "Python with tensorflow installed.") var python: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        // As the trainer: one OpenBLAS thread per network, the two networks on two cores.
        MatrixMath.setThreadCount(1)
        let inParallel = threads >= 2
        let outputs = ActionSpace.consoleDefault.outputCount
        var random = NetworkRandom(seed: 0)
        let architecture = NetworkArchitecture.deepRacerShallow
        let agent = PPOAgent(
            policy: architecture.network(prefix: "policy", channels: 1, outputs: outputs, random: &random),
            value: architecture.network(prefix: "value", channels: 1, outputs: 1, random: &random),
            outputCount: outputs, isContinuous: false,
            hyperparameters: Hyperparameters(batchSize: 64, numberOfEpochs: 1))
        var buffer = RolloutBuffer(observationSize: 120 * 160)
        for _ in 0..<64 {
            let frame = (0..<(120 * 160)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            buffer.append(
                byteObservation: frame, action: .discrete(Int(random.next() % UInt64(outputs))),
                logProbability: -logf(Float(outputs)), value: 0, reward: random.uniform(-1, 1))
        }
        buffer.finishEpisode(lastValue: 0, discount: 0.99, lambda: 0.95)
        _ = agent.update(buffer, observationShape: [120, 160, 1], random: &random, inParallel: inParallel)
        let start = ContinuousClock.now
        for _ in 0..<steps {
            _ = agent.update(buffer, observationShape: [120, 160, 1], random: &random, inParallel: inParallel)
        }
        let paddock = Double(64 * steps) / (ContinuousClock.now - start).seconds

        var tensorflow: Double?
        var note = ""
        if let interpreter = python ?? ProcessInfo.processInfo.environment["PADDOCK_PYTHON_TOOLS"] {
            let script = try DataDirectory.locate().root.appendingPathComponent(
                "scripts/bench/tensorflow_ppo_update.py")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: interpreter)
            process.arguments = [script.path, String(threads), String(steps), String(outputs)]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            let install = "install it with `bash scripts/python-tools.sh` and pass the path it prints"
            if (try? process.run()) == nil {
                note = "cannot run \(interpreter): \(install)"
            } else {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                if process.terminationStatus == 0,
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let rate = object["samples_per_second"] as? Double
                {
                    tensorflow = rate
                } else {
                    note = "TensorFlow did not run from \(interpreter): \(install)"
                }
            }
        } else {
            note = "no Python with TensorFlow given: run with --python \"$(bash scripts/python-tools.sh)\""
        }
        if json {
            print(
                JSONValue.object([
                    ("network", .string(architecture.rawValue)), ("batch_size", .int(64)), ("threads", .int(threads)),
                    ("openblas_kernel", .string(BLASKernel.name)),
                    ("paddock_samples_per_second", .double(paddock.rounded())),
                    ("tensorflow_samples_per_second", tensorflow.map { .double($0.rounded()) } ?? .null),
                    ("ratio", tensorflow.map { .double((paddock / $0 * 100).rounded() / 100) } ?? .null),
                ]).text())
            return
        }
        print(
            "PPO update, \(architecture.rawValue), batch 64, \(threads) thread(s), OpenBLAS kernel \(BLASKernel.name):")
        print(String(format: "  Paddock:    %6.0f samples/s", paddock))
        if let tensorflow {
            print(String(format: "  TensorFlow: %6.0f samples/s", tensorflow))
            print(String(format: "  ratio (Paddock / TensorFlow): %.2f", paddock / tensorflow))
        } else {
            print("  TensorFlow: not measured: \(note)")
        }
    }
}
