import Simulator

/// Rewards along one lap driven by the scripted driver: what a reward function pays where,
/// before any training.
public struct RewardLapCheck: Sendable {
    /// One step's reward and where it was paid.
    public struct Step: Sendable, Equatable {
        public var step: Int
        public var progress: Double
        public var reward: Double?
    }

    /// An error and the steps that gave it.
    public struct Failure: Sendable {
        public var error: RewardError
        public var steps: [Int]
    }

    public let track: Track
    /// Steps that called the reward function (not the `prepare` step).
    public let steps: [Step]
    public let failures: [Failure]
    /// How the lap ended.
    public let status: EpisodeStatus

    public var rewards: [Double] { steps.compactMap(\.reward) }
    public var minimum: Double? { rewards.min() }
    public var maximum: Double? { rewards.max() }
    public var mean: Double? { rewards.isEmpty ? nil : rewards.reduce(0, +) / Double(rewards.count) }
    public var total: Double { rewards.reduce(0, +) }

    /// Drives a lap on `track` with `driver`, calling `function` on every step that DeepRacer
    /// would (all but the first). An error is recorded with its step and the lap goes on.
    public static func run(
        function: RewardFunction, track: Track, driver: ScriptedDriver = ScriptedDriver(),
        raceType: RaceType = .timeTrial, maximumSteps: Int = 3000
    ) -> RewardLapCheck {
        var simulation = Simulation(
            track: track,
            settings: SimulationSettings(raceType: raceType, roundRobinStarts: false, maximumSteps: maximumSteps))
        simulation.reset()
        var steps: [Step] = []
        var failures: [Failure] = []
        var result: StepResult
        repeat {
            result = simulation.step(driver.action(for: simulation.car, on: simulation.track))
            guard result.callsRewardFunction else { continue }
            var reward: Double?
            do {
                reward = try function.reward(for: result.params)
            } catch {
                if let index = failures.firstIndex(where: { $0.error.description == error.description }) {
                    failures[index].steps.append(result.params.steps)
                } else {
                    failures.append(Failure(error: error, steps: [result.params.steps]))
                }
            }
            steps.append(Step(step: result.params.steps, progress: result.params.progress, reward: reward))
        } while !result.isDone
        return RewardLapCheck(track: track, steps: steps, failures: failures, status: result.status)
    }

    /// A one-line picture of the reward against progress: `width` characters, each the mean
    /// reward of its share of the lap, scaled from the lowest to the highest reward.
    public func sparkline(width: Int = 50) -> String {
        let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        guard let low = minimum, let high = maximum, width > 0 else { return "" }
        var sums = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        for step in steps {
            guard let reward = step.reward else { continue }
            let bucket = min(max(Int(step.progress / 100 * Double(width)), 0), width - 1)
            sums[bucket] += reward
            counts[bucket] += 1
        }
        return String(
            (0..<width).map { i -> Character in
                guard counts[i] > 0 else { return " " }
                let mean = sums[i] / Double(counts[i])
                let fraction = high > low ? (mean - low) / (high - low) : 1
                return levels[min(Int(fraction * Double(levels.count)), levels.count - 1)]
            })
    }
}
