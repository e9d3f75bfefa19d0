import Reinforcement
import Simulator

/// The exact node names the car's inference node looks for (docs/deepracer-compat.md §9).
public enum CarGraphNames {
    /// The camera (or LIDAR) input placeholder for an algorithm and sensor.
    public static func input(algorithm: Hyperparameters.Algorithm, sensor: SensorKind) -> String {
        let network = algorithm == .sac ? "policy" : "main"
        return "main_level/agent/\(network)/online/network_0/\(sensor.rawValue)/\(sensor.rawValue)"
    }

    /// The one output node.
    public static func output(algorithm: Hyperparameters.Algorithm) -> String {
        algorithm == .sac
            ? "main_level/agent/policy/online/network_0/sac_policy_head_0/policy"
            : "main_level/agent/main/online/network_1/ppo_head_0/policy"
    }
}
