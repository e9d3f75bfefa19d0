import Assets
import CarExport
import Foundation
import Simulator
import Training

/// Evaluates submitted models one at a time, on the race track, with the simulator and the
/// graph interpreter: the host never runs a student's Python.
public final class SubmissionEvaluator: @unchecked Sendable {
    let store: WorkshopStore
    let catalog: TrackCatalog
    let scratch: URL
    private let lock = NSLock()
    private var running = false
    private var stopping = false

    /// Steps one race lap may take (200 simulated seconds): a car that cannot finish stops there
    /// instead of holding up the queue.
    public static let maximumSteps = 3_000

    public init(store: WorkshopStore, catalog: TrackCatalog, scratch: URL) {
        self.store = store
        self.catalog = catalog
        self.scratch = scratch
    }

    /// Starts working through the queue on a background thread (if it is not already).
    public func wake() {
        let start = lock.withLock { () -> Bool in
            if running { return false }
            running = true
            return true
        }
        guard start else { return }
        let thread = Thread { [self] in
            Self.yieldToRequests()
            while !lock.withLock({ stopping }), let next = try? store.claimNextQueued() { evaluate(next) }
            lock.withLock { running = false }
            // A submission that arrived while finishing gets its turn.
            if !lock.withLock({ stopping }), let waiting = try? store.submissions(status: "queued"), !waiting.isEmpty {
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
        lock.withLock { stopping = true }
        while lock.withLock({ running }) { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// Returns once nothing is queued or being evaluated, helping on this thread (for tests).
    public func drain() {
        while true {
            while let next = try? store.claimNextQueued() { evaluate(next) }
            guard lock.withLock({ running }) else { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Races a claimed submission and stores the result.
    func evaluate(_ submission: WorkshopStore.Submission) {
        var submission = submission
        do {
            let info = try store.info()
            let track = try catalog.track(named: info.raceTrack)
            let models = scratch.appendingPathComponent("submission-\(submission.id ?? 0)-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: models) }
            let folder = try ModelFolder(name: "submission", in: models)
            let model = try ImportedModel.install(
                archive: submission.archive, path: "submission \(submission.id ?? 0)", into: folder, track: track.id)
            var samples: [RacePath.Sample] = []
            let trials = try model.evaluate(
                track: track, trials: max(info.raceLaps, 1), raceType: .timeTrial, maximumSteps: Self.maximumSteps
            ) { trial, step, _ in
                let car = step.car
                samples.append(
                    .init(
                        time: step.simulatedTime, x: car.position.x, y: car.position.y, heading: car.heading,
                        lap: trial))
            }
            submission.path = RacePath(samples: samples).data
            let laps = trials.compactMap(\.lapTime)
            submission.trials = String(decoding: try JSONEncoder().encode(trials), as: UTF8.self)
            submission.bestLap = laps.min()
            submission.averageLap =
                laps.count == trials.count && !laps.isEmpty ? laps.reduce(0, +) / Double(laps.count) : nil
            submission.offTracks = trials.map(\.offTrackCount).reduce(0, +)
            submission.status = "done"
            submission.message =
                "\(laps.count) of \(trials.count) laps complete on \(track.id)"
                + (submission.averageLap.map { String(format: ", average %.2f s", $0) } ?? "")
        } catch {
            submission.status = "failed"
            submission.message = "\(error)"
        }
        try? store.save(submission)
    }
}
