import App
import ArgumentParser
import CarExport
import Foundation
import Model
import NeuralNetwork
import Simulator
import Synchronization
import Workshop

/// `paddock bench workshop`: a room of simulated students against a real host on loopback.
struct WorkshopBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workshop",
        abstract: "Simulate students joining, following the pacing and submitting models at once; report latency.",
        discussion: """
            Starts a workshop host on 127.0.0.1 with a temporary PADDOCK_HOME, then each simulated \
            student joins, submits a car archive, then polls the pacing (every --interval seconds; \
            the app polls every 2) and reports progress, while the instructor moves the room on, all \
            at once. Reports every request's latency (p50, p99) and any error. Meanwhile the host \
            races the submissions one at a time, each in a child process; the races are not part of \
            the latency, but they share the machine with the answers.
            """)

    @Option(parsing: .unconditional, help: "Simulated students.") var students = 40
    @Option(parsing: .unconditional, help: "Pacing polls per student.") var polls = 10
    @Option(parsing: .unconditional, help: "Seconds between one student's polls (the app polls every 2 s).")
    var interval = 0.5
    @Option(parsing: .unconditional, help: "Port on 127.0.0.1.") var port = 18_181
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-bench-workshop-\(getpid())")
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try WorkshopHost.make(home: home, title: "Load test")
        let info = try server.store.info()
        Task { try? await WorkshopHost.serve(server, port: port) }
        let address = "127.0.0.1:\(port)"
        // Wait for the host to listen.
        var ready = false
        for _ in 0..<100 where !ready {
            Thread.sleep(forTimeInterval: 0.05)
            ready = WorkshopClient(address: address).isUp()
        }
        guard ready else { throw ValidationError("The host did not start on port \(port); is it in use? Try --port.") }
        guard let archive = Data(base64Encoded: try Self.archive()) else { throw ValidationError("no archive") }
        let latencies = Latencies()
        let group = DispatchGroup()
        let start = ContinuousClock.now
        let reward = "def reward_function(params):\n    return 1.0\n"
        for index in 0..<students {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let student = WorkshopClient(address: address)
                guard
                    latencies.run("join", { try student.join(code: info.joinCode, name: "Student \(index + 1)") })
                        != nil
                else { return }
                // Submitting first keeps the host racing models (each in a child process) while
                // the room polls.
                latencies.run("submission") { try student.submit(archive: archive, rewardFunction: reward) }
                for poll in 0..<polls {
                    // Students start at different moments, as in a room.
                    Thread.sleep(forTimeInterval: interval * Double.random(in: 0.5...1.5))
                    latencies.run("pacing") { try student.pacing() }
                    latencies.run("progress") {
                        try student.report(lesson: 8, step: poll % 6 + 1, training: "training", bestEvaluation: nil)
                    }
                }
            }
        }
        // The instructor moves the room on meanwhile.
        let instructor = WorkshopClient(address: address)
        instructor.setToken(info.instructorToken)
        for step in 1...5 {
            latencies.run("instructor pacing") { try instructor.setPacing(lesson: 8, step: step) }
            Thread.sleep(forTimeInterval: 0.2)
        }
        group.wait()
        let seconds = (ContinuousClock.now - start).seconds
        let stored = try server.store.submissions()
        let queued = stored.count
        let raced = stored.filter { $0.status == "done" || $0.status == "failed" }.count
        server.evaluator.stop()
        let summary = latencies.summary()
        if json {
            print(
                JSONValue.object([
                    ("students", .int(students)), ("requests", .int(summary.count)), ("errors", .int(summary.errors)),
                    ("p50_ms", .double((summary.p50 * 10).rounded() / 10)),
                    ("p99_ms", .double((summary.p99 * 10).rounded() / 10)),
                    ("max_ms", .double((summary.maximum * 10).rounded() / 10)), ("submissions_stored", .int(queued)),
                    ("races_finished", .int(raced)),
                    ("seconds", .double((seconds * 100).rounded() / 100)),
                ]).text())
        } else {
            print("\(students) students, \(summary.count) requests in \(String(format: "%.1f", seconds)) s:")
            print(
                String(
                    format: "  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; errors: %d", summary.p50, summary.p99,
                    summary.maximum, summary.errors))
            print("  submissions stored: \(queued); races finished meanwhile (each in a child process): \(raced)")
            for (kind, p50, p99, count) in latencies.perKind() {
                // (String(format:)'s %-18@ does not pad on Linux.)
                let label = kind.padding(toLength: max(18, kind.count), withPad: " ", startingAt: 0)
                print("  " + label + String(format: " %4d requests, p50 %.1f ms, p99 %.1f ms", count, p50, p99))
            }
            for message in summary.messages.prefix(5) { print("  error: \(message)") }
        }
        if summary.errors > 0 { throw ExitCode.failure }
    }

    static func archive() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-bench-model-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = TrainingSettings()
        var random = NetworkRandom(seed: 1)
        let learner = Learner.make(settings: settings, random: &random)
        let folder = try ModelFolder(name: "m", in: directory)
        try folder.writeDescription(ModelDescription(track: "beginner_loop", settings: settings), rewardSource: "")
        try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
        return try CarArchive.make(folder: folder).gzipData().base64EncodedString()
    }
}

/// Request latencies and errors from many threads.
private final class Latencies: Sendable {
    private struct Recorded {
        var milliseconds: [Double] = []
        var byKind: [String: [Double]] = [:]
        var errors: [String] = []
    }

    private let recorded = Mutex(Recorded())

    @discardableResult
    func run<T>(_ kind: String, _ body: () throws -> T) -> T? {
        let start = ContinuousClock.now
        do {
            let value = try body()
            let elapsed = (ContinuousClock.now - start).seconds * 1000
            recorded.withLock {
                $0.milliseconds.append(elapsed)
                $0.byKind[kind, default: []].append(elapsed)
            }
            return value
        } catch {
            recorded.withLock { $0.errors.append("\(error)") }
            return nil
        }
    }

    /// p50 and p99 in milliseconds of each kind of request.
    func perKind() -> [(String, Double, Double, Int)] {
        recorded.withLock {
            $0.byKind.sorted { $0.key < $1.key }.map { kind, values in
                let sorted = values.sorted()
                func percentile(_ p: Double) -> Double {
                    sorted[min(Int(Double(sorted.count - 1) * p), sorted.count - 1)]
                }
                return (kind, percentile(0.5), percentile(0.99), sorted.count)
            }
        }
    }

    func summary() -> (count: Int, errors: Int, p50: Double, p99: Double, maximum: Double, messages: [String]) {
        recorded.withLock { recorded in
            let sorted = recorded.milliseconds.sorted()
            func percentile(_ p: Double) -> Double {
                sorted.isEmpty ? 0 : sorted[min(Int(Double(sorted.count - 1) * p), sorted.count - 1)]
            }
            return (
                sorted.count + recorded.errors.count, recorded.errors.count, percentile(0.5), percentile(0.99),
                sorted.last ?? 0, recorded.errors
            )
        }
    }
}
