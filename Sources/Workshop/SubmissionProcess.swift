import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Races a submission in a child `paddock` process (`paddock workshop race-submission`) under
/// resource limits: whatever the student's graph does (crash, trap, eat memory, never end), the
/// child dies or is killed and the host gets a message to show, never a crash.
public struct SubmissionProcess: Sendable {
    /// The child's limits. The child sets the address-space and CPU limits on itself before it
    /// reads the archive; the host kills it at the wall-time limit.
    public struct Limits: Sendable, Equatable {
        /// Virtual memory, bytes (`RLIMIT_AS`).
        public var addressSpaceBytes: Int
        /// CPU time, seconds (`RLIMIT_CPU`).
        public var cpuSeconds: Int
        /// Wall time, seconds.
        public var wallSeconds: Double

        /// 4 GB, 150 s of CPU, 200 s of wall time: a stock console model races 3 laps of a long
        /// track in well under a minute here.
        public init(addressSpaceBytes: Int = 4 << 30, cpuSeconds: Int = 150, wallSeconds: Double = 200) {
            self.addressSpaceBytes = addressSpaceBytes
            self.cpuSeconds = cpuSeconds
            self.wallSeconds = wallSeconds
        }

        /// Sets the address-space, CPU and file-size (256 MB) limits on this process (the child,
        /// first thing).
        public func applyToThisProcess() throws {
            #if canImport(Glibc)
                var memory = rlimit(rlim_cur: rlim_t(addressSpaceBytes), rlim_max: rlim_t(addressSpaceBytes))
                var cpu = rlimit(rlim_cur: rlim_t(cpuSeconds), rlim_max: rlim_t(cpuSeconds + 5))
                // Files it writes: the installed model (at most the 96 MB an archive may inflate
                // to), the result, its error output.
                var files = rlimit(rlim_cur: rlim_t(256 << 20), rlim_max: rlim_t(256 << 20))
                guard setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &memory) == 0,
                    setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &cpu) == 0,
                    setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &files) == 0
                else {
                    throw WorkshopError(500, "could not limit the race's memory and CPU time (errno \(errno))")
                }
            #endif
        }
    }

    /// How a race ended.
    public enum Outcome: Sendable, Equatable {
        case raced(SubmissionRace)
        /// The model could not be raced: why, for the student and the instructor.
        case failed(String)
        case cancelled
    }

    /// A race in progress, to cancel from another thread.
    public final class Handle: Sendable {
        private let state = Mutex<(process: Process?, cancelled: Bool)>((nil, false))

        public init() {}

        /// Kills the race's process (now or as soon as it starts).
        public func cancel() {
            let running = state.withLock {
                $0.cancelled = true
                return $0.process
            }
            if let running, running.isRunning { kill(running.processIdentifier, SIGKILL) }
        }

        var isCancelled: Bool { state.withLock { $0.cancelled } }

        /// Remembers the process; false if the race was cancelled before it started.
        func attach(_ process: Process) -> Bool {
            state.withLock {
                $0.process = process
                return !$0.cancelled
            }
        }
    }

    /// The `paddock` program the child runs.
    public var executable: URL
    public var limits: Limits

    public init(executable: URL, limits: Limits = Limits()) {
        self.executable = executable
        self.limits = limits
    }

    /// Longest message kept from the child's error output, bytes.
    static let maximumMessageBytes = 2_000

    /// Races `archive` on the catalog's track `trackID` for `laps` laps in a child process, its
    /// files under `scratch` (removed afterwards).
    public func race(
        archive: Data, trackID: String, tracksDirectory: URL, laps: Int, scratch: URL, handle: Handle = Handle()
    ) -> Outcome {
        let folder = scratch.appendingPathComponent("race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let archiveFile = folder.appendingPathComponent("submission.tar.gz")
        let resultFile = folder.appendingPathComponent("result.json")
        let errorFile = folder.appendingPathComponent("errors.txt")
        let process = Process()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try archive.write(to: archiveFile)
            try Data().write(to: errorFile)
            process.executableURL = executable
            process.arguments = [
                "workshop", "race-submission", "--archive", archiveFile.path, "--track", trackID, "--tracks",
                tracksDirectory.path, "--laps", "\(laps)", "--out", resultFile.path, "--address-space",
                "\(limits.addressSpaceBytes)", "--cpu-seconds", "\(limits.cpuSeconds)",
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            let errors = try FileHandle(forWritingTo: errorFile)
            defer { try? errors.close() }
            process.standardError = errors
            guard handle.attach(process) else { return .cancelled }
            try process.run()
        } catch {
            return .failed("The host could not start a race: \(error)")
        }
        let deadline = Date().addingTimeInterval(limits.wallSeconds)
        var timedOut = false
        while process.isRunning {
            // A cancel that came between starting the process and its first poll.
            if handle.isCancelled { kill(process.processIdentifier, SIGKILL) }
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        if handle.isCancelled { return .cancelled }
        if timedOut {
            return .failed(
                "The race took longer than \(Int(limits.wallSeconds)) s and was stopped: the model is too slow to race here."
            )
        }
        let errors = Self.message(from: errorFile)
        if process.terminationReason == .uncaughtSignal {
            return .failed(Self.describe(signal: process.terminationStatus, limits: limits, errors: errors))
        }
        guard process.terminationStatus == 0 else {
            return .failed(errors.isEmpty ? "The race stopped (exit status \(process.terminationStatus))." : errors)
        }
        guard let data = try? Data(contentsOf: resultFile),
            let result = try? JSONDecoder().decode(SubmissionRace.self, from: data)
        else {
            return .failed("The race ended without a result.")
        }
        return .raced(result)
    }

    /// The child's error output, without ArgumentParser's "Error: ", at most
    /// `maximumMessageBytes` bytes.
    static func message(from file: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumMessageBytes)) ?? nil
        var text = String(decoding: data ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        return text
    }

    static func describe(signal: Int32, limits: Limits, errors: String) -> String {
        let detail = errors.isEmpty ? "" : " (\(errors.split(separator: "\n").first ?? ""))"
        switch signal {
        case SIGXCPU, SIGKILL:
            return
                "The race used more than \(limits.cpuSeconds) s of CPU time and was stopped: the model is too slow to race here."
        default:
            return
                "The model crashed the race (signal \(signal))\(detail): it may need more than \(Self.describe(bytes: limits.addressSpaceBytes)) of memory or hold a graph Paddock cannot run. Check it with `paddock import`."
        }
    }

    /// A memory limit for a message: "4 GB", "768 MB".
    static func describe(bytes: Int) -> String {
        bytes % (1 << 30) == 0 ? "\(bytes >> 30) GB" : "\(bytes >> 20) MB"
    }

    /// The `paddock` program to race with: `$PADDOCK_EXECUTABLE`, this program if it is `paddock`,
    /// or a `paddock` beside it (a test runner in the build folder).
    public static func defaultExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let path = environment["PADDOCK_EXECUTABLE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let this = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if this.lastPathComponent == "paddock" { return this }
        let beside = this.deletingLastPathComponent().appendingPathComponent("paddock")
        return FileManager.default.isExecutableFile(atPath: beside.path) ? beside : nil
    }
}
