import Foundation
import Model
import Simulator
import Training

/// Runs training (and evaluation) for the app on a background thread; the window reads
/// `snapshot` each frame and never waits for the trainer.
public final class TrainingController: @unchecked Sendable {
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
        public var isEvaluating = false
        public var points: [Point] = []
        public var bestIteration = 0
        public var stepsThisIteration = 0
        /// The latest finished evaluation trials.
        public var trials: [TrialResult] = []
        /// What went wrong, in words for the learner.
        public var error: String?
        /// Counts of finished work, so the app can turn them into lesson events.
        public var iterationsFinished = 0
        public var evaluationsFinished = 0
    }

    private let lock = NSLock()
    private var state = Snapshot()
    private var stopRequested = false

    public init() {}

    public var snapshot: Snapshot { lock.withLock { state } }

    private func update(_ change: (inout Snapshot) -> Void) { lock.withLock { change(&state) } }

    public var isBusy: Bool { lock.withLock { state.isTraining || state.isEvaluating } }

    /// Trains `folder`'s model (creating it with `settings` the first time) until `stop()`, or
    /// `maximumIterations` iterations, on a background thread.
    public func startTraining(
        folder: ModelFolder, settings: TrainingSettings, track: Track, rewardSource: String,
        maximumIterations: Int = 30
    ) {
        guard !isBusy else { return }
        lock.withLock {
            stopRequested = false
            state.isTraining = true
            state.error = nil
            state.model = folder.name
        }
        let thread = Thread { [self] in
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
                        return self.lock.withLock { self.stopRequested }
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
                    if lock.withLock({ stopRequested }) { break }
                }
            } catch {
                update { $0.error = "\(error)" }
            }
            update { $0.isTraining = false }
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Asks training to stop; it stops within a step or two and keeps every finished iteration.
    public func stop() {
        lock.withLock { stopRequested = true }
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
            do {
                let model = try TrainedModel(folder: folder)
                let results = try model.evaluate(track: track, trials: trials, raceType: .timeTrial, seed: seed)
                update {
                    $0.trials = results
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
