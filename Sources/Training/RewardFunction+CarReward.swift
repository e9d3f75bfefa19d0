import Model
import RewardScript

/// In training, the car's reward is the learner's Python reward function; its failures
/// (`RewardError`) end the episode with their message.
extension RewardFunction: CarReward {}
