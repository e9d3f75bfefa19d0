import Foundation
import Model
import Simulator
import Synchronization
import Training

/// Runs training (and evaluation) for the app on a background thread; the window reads
/// `snapshot` each frame and never waits for the trainer.
public final class TrainingController: Sendable {
    /// One finished iteration, as the graph draws it.
    public struct Point: Sendable, Equatable {
        public var iteration: Int
        public var reward: Double
        public var trainingCompletion: Double
        public var evaluationCompletion: Double
    }

    public struct Snapshot: Sendable, Equatable {
        public var model: String?
        public var isTraining = false
        /// Stop was pressed and training has not ended yet (it ends at the next step, or after
        /// the policy update under way).
        public var isStopping = false
        public var isEvaluating = false
        public var points: [Point] = []
        public var bestIteration = 0
        public var stepsThisIteration = 0
        /// The latest finished evaluation trials.
        public var trials: [TrialResult] = []
        /// Where the latest evaluation was written (evaluation-<time>/ in the model folder).
        public var evaluationFolder: URL?
        /// What went wrong, in words for the learner.
        public var error: String?
        /// Counts of finished work, so the app can turn them into lesson events.
        public var iterationsFinished = 0
        public var evaluationsFinished = 0
    }

    /// What the window reads, and whether training was asked to stop: shared with the thread.
    private struct Shared {
        var snapshot = Snapshot()
        var stopRequested = false
    }

    private let shared = Mutex(Shared())

    public init() {}

    public var snapshot: Snapshot { shared.withLock { $0.snapshot } }

    private func update(_ change: (inout Snapshot) -> Void) { shared.withLock { change(&$0.snapshot) } }

    private var stopRequested: Bool { shared.withLock { $0.stopRequested } }

    public var isBusy: Bool { shared.withLock { $0.snapshot.isTraining || $0.snapshot.isEvaluating } }

    /// Trains `folder`'s model (creating it with `settings` the first time) until `stop()`, or
    /// `maximumIterations` iterations, on a background thread.
    public func startTraining(
        folder: ModelFolder, settings: TrainingSettings, track: Track, rewardSource: String,
        maximumIterations: Int = 30
    ) {
        guard !isBusy else { return }
        if snapshot.model != folder.name { showHistory(of: folder) }
        shared.withLock {
            $0.stopRequested = false
            $0.snapshot.isTraining = true
            $0.snapshot.error = nil
            $0.snapshot.trials = []
            $0.snapshot.model = folder.name
        }
        let thread = Thread { [self] in
            Self.yieldToTheWindow()
            do {
                let description =
                    (try? folder.readDescription()) ?? ModelDescription(track: track.id, settings: settings)
                let session = try TrainingSession(
                    folder: folder, description: description, track: track, rewardSource: rewardSource)
                for _ in 0..<maximumIterations {
                    var steps = 0
                    let report = try session.runIteration(shouldStop: {
                        steps += 1
                        if steps % 50 == 0 { self.update { $0.stepsThisIteration = steps } }
                        return self.stopRequested
                    })
                    guard let report else { break }
                    update {
                        $0.points.append(
                            Point(
                                iteration: report.iteration, reward: report.meanTrainingReward,
                                trainingCompletion: report.meanTrainingCompletion,
                                evaluationCompletion: report.meanEvaluationCompletion))
                        $0.bestIteration = session.state.bestIteration
                        $0.iterationsFinished += 1
                        $0.stepsThisIteration = 0
                    }
                    if stopRequested { break }
                }
            } catch {
                update { $0.error = "\(error)" }
            }
            update {
                $0.isTraining = false
                $0.isStopping = false
            }
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Lowers the calling thread's CPU priority (nice 10), and with it the thread PPO's update
    /// starts for its second core (Linux threads inherit it): training takes every core the
    /// window leaves idle, and the window still draws every frame on time.
    static func yieldToTheWindow() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    /// Shows `folder`'s model's past training in the graph (its metrics and best iteration), as
    /// when it is opened; nothing when it has not trained, or while anything runs. A record that
    /// cannot be read leaves the graph empty and says why.
    public func showHistory(of folder: ModelFolder) {
        guard !isBusy else { return }
        var points: [Point] = []
        var best = 0
        var problem: String?
        do {
            (points, best) = try Self.history(of: folder)
        } catch {
            problem = "\(error)"
        }
        update {
            $0.model = folder.name
            $0.points = points
            $0.bestIteration = best
            $0.trials = []
            $0.error = problem
        }
    }

    /// A model's finished iterations as the graph draws them, and its best iteration.
    static func history(of folder: ModelFolder) throws -> (points: [Point], best: Int) {
        let points = try folder.readMetrics().iterations.map {
            Point(
                iteration: $0.iteration, reward: $0.meanReward, trainingCompletion: $0.trainingCompletion,
                evaluationCompletion: $0.evaluationCompletion ?? 0)
        }
        return (points, try folder.readState()?.bestIteration ?? 0)
    }

    /// Asks training to stop; it stops within a step or two and keeps every finished iteration.
    public func stop() {
        shared.withLock {
            $0.stopRequested = true
            if $0.snapshot.isTraining { $0.snapshot.isStopping = true }
        }
    }

    /// Evaluates the model's best checkpoint with `trials` laps on a background thread. Each
    /// evaluation draws the car's noise from the next seed, so pressing Evaluate again drives
    /// new laps, as DeepRacer's simulator does.
    public func startEvaluation(folder: ModelFolder, track: Track, trials: Int = 3) {
        guard !isBusy else { return }
        let seed = UInt64(snapshot.evaluationsFinished)
        update {
            $0.isEvaluating = true
            $0.error = nil
            $0.model = folder.name
        }
        let thread = Thread { [self] in
            Self.yieldToTheWindow()
            do {
                let model = try TrainedModel(folder: folder)
                var log = SimtraceLog()
                let results = try model.evaluate(
                    track: track, trials: trials, raceType: model.settings.raceType, seed: seed
                ) {
                    trial, result, action in
                    var index: Int?
                    if case .discrete(let choice) = action { index = choice }
                    log.append(SimtraceRow(episode: trial - 1, result: result, reward: 0, actionIndex: index))
                }
                // The same files as `paddock evaluate`, so the logs lesson's folders are there.
                let written = try folder.writeEvaluation(results, simtrace: log)
                update {
                    $0.trials = results
                    $0.evaluationFolder = written
                    $0.evaluationsFinished += 1
                }
            } catch {
                update { $0.error = "\(error)" }
            }
            update { $0.isEvaluating = false }
        }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
