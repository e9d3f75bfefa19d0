import Assets
import CarExport
import Foundation
import Lessons
import Model
import Reinforcement
import RewardScript
import Simulator
import Workshop

/// Training and evaluating the current model, and reading their progress.
extension AppModel {
    public func train() {
        guard let folder = modelFolder else { return }
        guard !training.isBusy else {
            notice = "Wait for the evaluation to finish."
            return
        }
        // A model trained for the first time gets its own seed; one trained before keeps its own.
        var settings = TrainingSettings(actionSpace: .discrete(actions), seed: ModelForm.newSeed())
        // A new model trains on the form's track, or the one in view; a model trained before
        // (or cloned onto a track) on its own.
        var track = driving.track
        if let created = newModelSettings, let chosen = self.track(created.track) {
            settings = created.settings
            track = chosen
        } else if let own = (try? folder.readDescription()).flatMap({ self.track($0.track) }) {
            track = own
        }
        let seed = (try? folder.readDescription())?.seed ?? settings.seed
        training.startTraining(folder: folder, settings: settings, track: track, rewardSource: currentRewardSource())
        notice = "Training \(modelName) (seed \(seed)) on \(track.id). Watch the graph; press Stop (T) any time."
    }

    /// Lets the policy of iteration `iteration` (just finished) drive the simulator panel, unless
    /// the learner is driving it: the car on screen is the one that is learning, a little better
    /// each iteration. The scene's own driver comes back with the next step.
    func showLivePolicy(iteration: Int) {
        guard !driving.isKeyboard, let folder = modelFolder,
            let model = try? TrainedModel(folder: folder, iteration: iteration)
        else { return }
        liveIteration = iteration
        driving.driver = .model(model)
        driving.restart()
    }

    /// Stops training at the next step (or once the policy update under way is done), and says
    /// so at once: the unfinished iteration is dropped, every finished one is kept.
    public func stopTraining() {
        guard snapshot.isTraining, !snapshot.isStopping else { return }
        training.stop()
        let kept = snapshot.points.count
        notice =
            "Stopping… The iteration under way is dropped; \(kept) finished iteration\(kept == 1 ? " is" : "s are") kept."
    }

    public func evaluate() {
        guard
            let folder = idleModelFolder(
                missing: "There is no model to evaluate yet: press Train (T) first.",
                busy: "Stop training first (T), then evaluate.")
        else { return }
        // On the track in view, as the console lets you pick any track to evaluate on: a model
        // can be tried on a track it never saw.
        let track = driving.track
        evaluationTrack = track.id
        training.startEvaluation(folder: folder, track: track)
        let trained = (try? folder.readDescription())?.track
        notice =
            "Evaluating \(modelName) on \(track.id): 3 laps from the start line."
            + (trained.map { $0 == track.id ? "" : " It was trained on \($0)." } ?? "")
    }

    func pollTraining() {
        let current = training.snapshot
        while seenIterations < current.iterationsFinished {
            seenIterations += 1
            record(.trainingIterationFinished)
        }
        if current.isTraining, let latest = current.points.last?.iteration, latest != liveIteration {
            showLivePolicy(iteration: latest)
        }
        while seenEvaluations < current.evaluationsFinished {
            seenEvaluations += 1
            for trial in current.trials {
                record(.evaluationTrial(completion: trial.completion, lapSeconds: trial.lapTime))
                if let lap = trial.lapTime { progress.recordLap(lap, on: evaluationTrack ?? driving.track.id) }
            }
            record(.evaluationFinished(trials: current.trials.count))
            if let written = current.evaluationFolder, notice?.hasPrefix("Done") != true {
                // The model folder's own name and the evaluation's: a whole path does not wrap.
                let place = "\(written.deletingLastPathComponent().lastPathComponent)/\(written.lastPathComponent)"
                notice = "Evaluation written to \(place) in your models folder (the lesson on logs reads it)."
            }
            save()
        }
    }
}
