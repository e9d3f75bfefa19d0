/// How a step sets up the simulator: the track, who drives, what is drawn.
public struct LessonScene: Sendable, Equatable {
    public enum Driver: String, Sendable, CaseIterable { case keyboard, untrained, centreLine = "centre-line", model }
    public enum Overlay: String, Sendable, CaseIterable {
        case trail, waypoints, borders, rewardMap = "reward-map", cameraFrustum = "camera-frustum"
        case racingLine = "racing-line"
    }
    public enum View: String, Sendable, CaseIterable { case full, cameraOnly = "camera-only" }
    public enum RaceType: String, Sendable, CaseIterable {
        case timeTrial = "time-trial", objectAvoidance = "object-avoidance", headToBot = "head-to-bot"
    }
    public enum ActionSpaceChoice: String, Sendable, CaseIterable { case `default`, three, continuous }
    public enum Panel: String, Sendable, CaseIterable { case camera, params, graph, actions, reward }

    /// `mine` is the learner's own file (`$PADDOCK_HOME/my_reward.py`); the rest are examples in
    /// `assets/reward_functions/`.
    public static let rewardFunctions = [
        "mine", "follow_centre_line.py", "stay_inside_borders.py", "prevent_zig_zag.py", "object_avoidance.py",
    ]

    public var track = "beginner_loop"
    public var driver = Driver.keyboard
    public var overlays: Set<Overlay> = [.trail]
    public var view = View.full
    public var raceType = RaceType.timeTrial
    public var reward = "follow_centre_line.py"
    public var actionSpace = ActionSpaceChoice.default
    public var panel = Panel.camera

    public init() {}
}
