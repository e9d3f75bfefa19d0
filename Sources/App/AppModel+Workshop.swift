import Assets
import CarExport
import Foundation
import Lessons
import Model
import Reinforcement
import RewardScript
import Simulator
import Workshop

/// The workshop from the student's side: joining, following the pacing, submitting.
extension AppModel {
    public func openWorkshop() { sheet = instructor.server == nil ? .workshop : .instructor }

    public func focusWorkshopField(_ index: Int) { workshop.focus = min(max(index, 0), 2) }

    /// Joins the workshop in the form (the call runs off this thread; `tick` takes the answer).
    public func joinWorkshop() {
        let (address, code, name) = (workshop.fields[0], workshop.fields[1], workshop.fields[2])
        guard !address.isEmpty, !code.isEmpty, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            workshop.status = "Fill in all three: the address, the code and your name."
            return
        }
        guard !workshop.busy else { return }
        workshop.busy = true
        workshop.status = "Joining…"
        let client = WorkshopClient(address: address)
        jobs.start {
            try client.join(code: code, name: name)
        } then: { model, result in
            model.workshop.busy = false
            switch result {
            case .success(let pacing):
                model.workshop.client = client
                model.workshop.status = "Joined \(client.title) as \(name). The instructor sets the pace."
                model.follow(pacing)
            case .failure(let error):
                model.workshop.status = "\(error)"
            }
        }
    }

    /// Sends the current model's car archive and the reward function to the workshop host.
    public func submitToWorkshop() {
        guard let client = workshop.client else {
            workshop.status = "Join the workshop first."
            return
        }
        guard
            let folder = idleModelFolder(
                missing: "Train a model before you submit it.", busy: "Stop training first, then submit.")
        else { return }
        let reward = currentRewardSource()
        workshop.status = "Sending \(modelName)…"
        jobs.start {
            _ = try client.submit(archive: try CarArchive.make(folder: folder).gzipData(), rewardFunction: reward)
        } then: { model, result in
            switch result {
            case .success: model.workshop.status = "Submitted. The host races it; watch the leaderboard."
            case .failure(let error): model.workshop.status = "Could not submit: \(error)"
            }
        }
    }

    /// Goes to the instructor's lesson and step unless the room is self-paced.
    func follow(_ pacing: WorkshopClient.Pacing) {
        workshop.pacing = pacing
        guard !pacing.selfPaced else { return }
        let lesson = pacing.lesson - 1
        let step = pacing.step - 1
        if lesson != lessonIndex || step != stepIndex { go(lesson: lesson, step: step) }
    }

    /// Every 2 s while joined: report where the learner is, and read the pacing.
    func pollWorkshop(seconds: Double) {
        guard let client = workshop.client, !workshop.busy else { return }
        workshop.secondsSincePoll += seconds
        guard workshop.secondsSincePoll >= 2 else { return }
        workshop.secondsSincePoll = 0
        workshop.busy = true
        let (lesson, step) = (lessonIndex + 1, stepIndex + 1)
        let training = snapshot.isTraining ? "training" : (snapshot.isEvaluating ? "evaluating" : "idle")
        let best = snapshot.points.map(\.evaluationCompletion).max()
        jobs.start {
            try client.report(lesson: lesson, step: step, training: training, bestEvaluation: best)
            return try client.pacing()
        } then: { model, result in
            model.workshop.busy = false
            switch result {
            case .success(let pacing): model.follow(pacing)
            case .failure(let error): model.workshop.status = "\(error)"
            }
        }
    }
}
