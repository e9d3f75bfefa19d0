import Assets
import CarExport
import Foundation
import Lessons
import Model
import Reinforcement
import RewardScript
import Simulator
import Workshop

/// The actions panel: the learner's discrete action space.
extension AppModel {
    public func removeAction(at index: Int) {
        guard actions.indices.contains(index), actions.count > 2 else {
            notice = "DeepRacer needs at least 2 actions."
            return
        }
        actions.remove(at: index)
        driving.actionSpace = .discrete(actions)
        recordActionSpace()
    }

    /// Changes the "Add" row: steering in 5-degree steps within -30...30, speed in 0.1 m/s steps
    /// within 0.1...4 (DeepRacer's limits).
    public func adjustNewAction(steering: Int = 0, speed: Int = 0) {
        newAction.steeringAngle = min(max(newAction.steeringAngle + Double(steering) * 5, -30), 30)
        newAction.speed = min(max(((newAction.speed + Double(speed) * 0.1) * 10).rounded() / 10, 0.1), 4)
    }

    /// Adds the "Add" row's action to the learner's list (DeepRacer allows up to 30, no repeats).
    public func addAction() {
        guard actions.count < 30 else {
            notice = "DeepRacer allows at most 30 actions."
            return
        }
        guard !actions.contains(newAction) else {
            notice = "That action is already in the list."
            return
        }
        actions.append(newAction)
        driving.actionSpace = .discrete(actions)
        recordActionSpace()
    }

    public func resetActions() {
        actions = AppModel.defaultActions
        driving.actionSpace = scene.panel == .actions ? .discrete(actions) : nil
        recordActionSpace()
    }

    /// Tells the step's task what the action space is now.
    func recordActionSpace() {
        record(
            .actionSpaceChanged(
                count: actions.count, maximumSteering: actions.map { abs($0.steeringAngle) }.max() ?? 0,
                maximumSpeed: actions.map(\.speed).max() ?? 0))
    }
}
