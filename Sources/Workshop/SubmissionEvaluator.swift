import Assets
import CarExport
import Foundation
import Model
import Simulator
import Synchronization

/// Evaluates submitted models one at a time, on the race track, each in a child `paddock`
/// process (`SubmissionProcess`): a model that crashes, eats memory or never ends fails with a
/// message, and the host goes on. The host never runs a student's Python.
public final class SubmissionEvaluator: Sendable {
    let store: WorkshopStore
    let catalog: TrackCatalog
    let scratch: URL
    /// Runs each race; nil when no `paddock` program was found (every race then fails, saying so).
    let process: SubmissionProcess?
    /// The queue's thread: whether it runs, whether it was asked to stop, and the submission
    /// being raced with its race (to cancel).
    private struct QueueState {
        var running = false
        var stopping = false
        var current: (id: Int64, handle: SubmissionProcess.Handle)?
    }

    private let queue = Mutex(QueueState())
    private var running: Bool { queue.withLock { $0.running } }
    private var stopping: Bool { queue.withLock { $0.stopping } }

    public init(
        store: WorkshopStore, catalog: TrackCatalog, scratch: URL,
        process: SubmissionProcess? = SubmissionProcess.defaultExecutable().map { SubmissionProcess(executable: $0) }
    ) {
        self.store = store
        self.catalog = catalog
        self.scratch = scratch
        self.process = process
    }

    /// Starts working through the queue on a background thread (if it is not already).
    public func wake() {
        let start = queue.withLock { queue -> Bool in
            if queue.running { return false }
            queue.running = true
            return true
        }
        guard start else { return }
        let thread = Thread { [self] in
            Self.yieldToRequests()
            while !stopping, let next = try? store.claimNextQueued() { evaluate(next) }
            queue.withLock { $0.running = false }
            // A submission that arrived while finishing gets its turn.
            if !stopping, let waiting = try? store.submissions(status: "queued"), !waiting.isEmpty {
                wake()
            }
        }
        thread.stackSize = 16 << 20
        thread.qualityOfService = .background
        thread.start()
    }

    /// Lowers the calling thread to the lowest CPU priority (nice 19): a race takes a core for
    /// seconds, and the host's answers to the room must not wait behind it. (Foundation's
    /// quality of service does not reach the scheduler on Linux, where the nice value belongs to
    /// each thread and `setpriority` for "process 0" sets the calling thread's alone.) OpenBLAS
    /// must then run on this thread alone, as `WorkshopHost.make` sets: its helper threads keep
    /// their normal priority and spin while they wait for this one.
    static func yieldToRequests() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
    }

    /// Stops after the submission being evaluated (the rest stay queued for the next start) and
    /// waits for that.
    public func stop() {
        queue.withLock { $0.stopping = true }
        while running { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// Returns once nothing is queued or being evaluated, helping on this thread (for tests).
    public func drain() {
        while true {
            while let next = try? store.claimNextQueued() { evaluate(next) }
            guard running else { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Cancels a submission: the race in progress is stopped, a queued one never races. False if
    /// it is neither queued nor being raced.
    public func cancel(submission id: Int64) throws -> Bool {
        if let handle = queue.withLock({ $0.current?.id == id ? $0.current?.handle : nil }) {
            handle.cancel()
            return true
        }
        return try store.cancelQueued(id: id)
    }

    /// Races a claimed submission (in a child process) and stores the result, unless the race's
    /// track or laps changed meanwhile: then it waits to race again under the new settings.
    func evaluate(_ submission: WorkshopStore.Submission) {
        var submission = submission
        let handle = SubmissionProcess.Handle()
        queue.withLock { $0.current = (submission.id ?? 0, handle) }
        defer { queue.withLock { $0.current = nil } }
        let outcome: SubmissionProcess.Outcome
        let before = try? store.info()
        if let info = before, let process {
            if catalog.entry(id: info.raceTrack) == nil {
                outcome = .failed("The race's track \(info.raceTrack) is not in the host's catalog.")
            } else {
                outcome = process.race(
                    archive: submission.archive, trackID: info.raceTrack, tracksDirectory: catalog.directory,
                    laps: max(info.raceLaps, 1), scratch: scratch, handle: handle)
            }
        } else if before == nil {
            outcome = .failed("The workshop's state could not be read.")
        } else {
            outcome = .failed(
                "The host could not find the paddock program to race with; set PADDOCK_EXECUTABLE to its path.")
        }
        if let after = try? store.info(), let before,
            after.raceTrack != before.raceTrack || after.raceLaps != before.raceLaps
        {
            submission.status = "queued"
            submission.message = "waiting to race on the new track"
            submission.attempts = 0
            try? store.save(submission)
            return
        }
        switch outcome {
        case .raced(let race):
            submission.path = race.path
            submission.trials = race.trials
            submission.bestLap = race.bestLap
            submission.averageLap = race.averageLap
            submission.offTracks = race.offTracks
            submission.status = "done"
            submission.message = race.message
        case .failed(let message):
            submission.status = "failed"
            submission.message = message
        case .cancelled:
            submission.status = "failed"
            submission.message = "Cancelled by the instructor."
        }
        try? store.save(submission)
    }
}
