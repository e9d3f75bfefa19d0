import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a submission's test frame (`ImportedModel.check`) in a child `paddock` process
/// (`paddock workshop check-submissions`) before the host accepts it: a graph that traps, eats
/// memory or never ends kills or stalls that child, and the student gets a 400 with what
/// happened, never a host that went down.
///
/// The children live on between checks (a new process for every upload would cost a room of 40
/// submitting at once about 0.1 s each): at most `maximumIdle` wait for work, each takes one
/// check at a time, and one that died or ran out of time is replaced. The host's archive-check
/// semaphore bounds how many run at once.
///
/// The pipe protocol: the host writes the metadata and the graph, each as a 4-byte
/// little-endian length and its bytes; the child answers one byte (0 passed, 1 refused), a
/// 4-byte length and a UTF-8 message. End of input ends the child.
public final class SubmissionChecker: Sendable {
    /// The `paddock` program the children run.
    public let executable: URL
    /// Each child's address-space limit, bytes.
    public let addressSpaceBytes: Int
    /// Longest one check may take, seconds: a stock console model's frame takes milliseconds,
    /// and a model that needs seconds a frame could not race a lap in the race's time anyway.
    public let wallSeconds: Double

    /// Children kept waiting for work.
    static let maximumIdle = 2
    /// Checks one child makes before it is replaced, so its CPU time stays well inside its
    /// limit (`cpuSeconds`).
    static let checksPerChild = 50
    /// A child's CPU-time limit over its life, seconds.
    public static let cpuSeconds = 3_600
    /// Longest metadata or graph sent, bytes (an archive decompresses to at most 96 MB).
    static let maximumPartBytes = 128 << 20

    /// Linux's `F_SETPIPE_SZ` (not visible to Swift without `_GNU_SOURCE`).
    static let setPipeSize: Int32 = 1031
    static let pipeBytes: Int32 = 1 << 20

    /// The children waiting for work.
    private let idle = Mutex<[Child]>([])

    public init(executable: URL, addressSpaceBytes: Int = 2 << 30, wallSeconds: Double = 20) {
        self.executable = executable
        self.addressSpaceBytes = addressSpaceBytes
        self.wallSeconds = wallSeconds
        // A child that died leaves a broken pipe: writing to it must fail, not end the host.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        for child in idle.withLock({ $0 }) { child.stop() }
    }

    /// One child process and its pipes: operating-system state, used by one check at a time
    /// (a child is taken from `idle` for a check and given back after it).
    final class Child: @unchecked Sendable {
        let process: Process
        let requests: FileHandle
        let replies: FileHandle
        var checks = 0

        init(process: Process, requests: FileHandle, replies: FileHandle) {
            self.process = process
            self.requests = requests
            self.replies = replies
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? requests.close()
            try? replies.close()
            process.waitUntilExit()
        }
    }

    /// Checks a model (its `model_metadata.json` and graph) in a child process: nil when it
    /// passed, or why it is refused (for the student).
    public func check(metadata: Data, graph: Data) -> String? {
        var request = Data()
        for part in [metadata, graph] {
            withUnsafeBytes(of: UInt32(part.count).littleEndian) { request.append(contentsOf: $0) }
            request.append(part)
        }
        // A child kept from earlier may have died meanwhile (killed, out of CPU time): then the
        // request goes to a new one.
        for attempt in 0..<2 {
            let child: Child
            do {
                child = try take(fresh: attempt > 0)
            } catch {
                return "The host could not start a model check: \(error)"
            }
            do {
                try child.requests.write(contentsOf: request)
            } catch {
                child.stop()
                continue
            }
            return answer(from: child)
        }
        return "The check stopped twice while the model was handed to it: the model may be too big to check here "
            + "(at most \(SubmissionProcess.describe(bytes: addressSpaceBytes)) of memory). Check it with `paddock import`."
    }

    /// Reads the child's answer within the time limit; a child that died or ran out of time is
    /// stopped, and the message says which.
    private func answer(from child: Child) -> String? {
        let deadline = Date().addingTimeInterval(wallSeconds)
        let descriptor = child.replies.fileDescriptor
        do {
            let header = try Self.read(5, from: descriptor, until: deadline)
            let length = Int(header[1..<5].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.littleEndian)
            let text = try Self.read(min(length, 64 << 10), from: descriptor, until: deadline)
            let message = String(decoding: text, as: UTF8.self)
            child.checks += 1
            give(back: child)
            return header[0] == 0 ? nil : message
        } catch ReadFailure.timedOut {
            child.stop()
            return "Running the model on one camera frame took longer than \(Int(wallSeconds)) s: "
                + "it is too slow to race here."
        } catch {
            child.stop()
            let signal = child.process.terminationReason == .uncaughtSignal ? child.process.terminationStatus : 0
            return "The model crashed Paddock's check when it ran one camera frame"
                + (signal != 0 ? " (signal \(signal))" : "")
                + ": it may need more than \(SubmissionProcess.describe(bytes: addressSpaceBytes)) of memory or hold a graph Paddock cannot run."
                + " Check it with `paddock import`."
        }
    }

    enum ReadFailure: Error {
        case timedOut
        case closed
    }

    /// Reads exactly `count` bytes, waiting at most until `deadline`.
    static func read(_ count: Int, from descriptor: Int32, until deadline: Date) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw ReadFailure.timedOut }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 60_000)) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw ReadFailure.closed
            }
            if ready == 0 { continue }
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return Glibc.read(descriptor, base + filled, count - filled)
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw ReadFailure.closed }
            filled += got
        }
        return bytes
    }

    /// Starts the children that wait for work (`maximumIdle`) on a thread of their own, so the
    /// first checks do not wait for a process to start.
    public func prepare() {
        Thread.detachNewThread { [self] in
            let wanted = Self.maximumIdle - idle.withLock { $0.count }
            for _ in 0..<max(wanted, 0) {
                guard let child = try? take(fresh: true) else { return }
                give(back: child)
            }
        }
    }

    /// The process ids of the children waiting for work.
    var idleProcessIDs: [Int32] { idle.withLock { $0.map(\.process.processIdentifier) } }

    /// An idle child, or a new one.
    private func take(fresh: Bool) throws -> Child {
        if !fresh, let child = idle.withLock({ $0.popLast() }) { return child }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["workshop", "check-submissions", "--address-space", "\(addressSpaceBytes)"]
        let requests = Pipe()
        let replies = Pipe()
        // A pipe as big as the system allows (1 MB usually): a Paddock model's request then goes
        // in one write, not 64 KB at a time with the two processes taking turns, which on a busy
        // host costs a scheduler wait per turn.
        _ = fcntl(requests.fileHandleForWriting.fileDescriptor, Self.setPipeSize, Self.pipeBytes)
        process.standardInput = requests
        process.standardOutput = replies
        process.standardError = FileHandle.nullDevice
        try process.run()
        try? requests.fileHandleForReading.close()
        try? replies.fileHandleForWriting.close()
        return Child(process: process, requests: requests.fileHandleForWriting, replies: replies.fileHandleForReading)
    }

    private func give(back child: Child) {
        let keep =
            child.checks < Self.checksPerChild
            && idle.withLock { idle in
                guard idle.count < Self.maximumIdle else { return false }
                idle.append(child)
                return true
            }
        if !keep { child.stop() }
    }

    /// The child's side: answers checks from standard input until it ends. Standard output
    /// carries only the answers (anything else the process prints goes to standard error).
    public static func serve(check: (Data, Data) -> String?) {
        let answers = dup(1)
        dup2(2, 1)
        let input = FileHandle.standardInput
        func part() -> Data? {
            guard let length = input.readExactly(4) else { return nil }
            let count = Int(length.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.littleEndian)
            guard count <= maximumPartBytes else { return nil }
            return input.readExactly(count)
        }
        while let metadata = part(), let graph = part() {
            let message = check(metadata, graph)
            var reply: [UInt8] = [message == nil ? 0 : 1]
            let text = Array((message ?? "").utf8.prefix(SubmissionProcess.maximumMessageBytes))
            withUnsafeBytes(of: UInt32(text.count).littleEndian) { reply.append(contentsOf: $0) }
            reply += text
            var written = 0
            while written < reply.count {
                let count = reply.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return -1 }
                    return Glibc.write(answers, base + written, reply.count - written)
                }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                written += count
            }
        }
    }
}

extension FileHandle {
    /// Exactly `count` bytes, or nil at the end of the input.
    fileprivate func readExactly(_ count: Int) -> Data? {
        var data = Data()
        while data.count < count {
            guard let chunk = try? read(upToCount: count - data.count), !chunk.isEmpty else { return nil }
            data.append(chunk)
        }
        return data
    }
}
