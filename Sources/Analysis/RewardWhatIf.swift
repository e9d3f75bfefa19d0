import RewardScript
import Simulator

/// Re-scores the recorded steps of past training episodes with another reward function: what the
/// car would have been paid for what it actually did, before any training time is spent.
///
/// Each recorded step's params are rebuilt from the simtrace: the position, heading, commanded
/// steering and speed, progress, step number and wheels-on-track it recorded, and the rest
/// (distance from centre, closest waypoints, track width, left of centre) measured on the track
/// as DeepRacer's simulator measures them. `prepare` and `pause` steps pay nothing, as recorded.
/// Boxes and bot cars are not in simtraces, so object params are empty.
public enum RewardWhatIf {
    /// One episode's old and new total, and its rank (1 = highest total) under each.
    public struct EpisodeScore: Encodable, Sendable, Equatable {
        public var iteration: Int
        public var episode: Int
        public var progress: Double
        public var oldReward: Double
        public var newReward: Double
        public var oldRank: Int
        public var newRank: Int

        enum CodingKeys: String, CodingKey {
            case iteration, episode, progress
            case oldReward = "old_reward"
            case newReward = "new_reward"
            case oldRank = "old_rank"
            case newRank = "new_rank"
        }
    }

    /// One stretch of the track's mean reward a step, old and new.
    public struct SectionScore: Encodable, Sendable, Equatable {
        public var section: Int
        public var fromMetres: Double
        public var toMetres: Double
        public var steps: Int
        public var oldMeanReward: Double?
        public var newMeanReward: Double?

        enum CodingKeys: String, CodingKey {
            case section, steps
            case fromMetres = "from_m"
            case toMetres = "to_m"
            case oldMeanReward = "old_mean_reward"
            case newMeanReward = "new_mean_reward"
        }
    }

    public struct Report: Encodable, Sendable {
        public var rewardFile: String
        /// Steps re-scored.
        public var steps: Int
        public var episodes: [EpisodeScore]
        public var sections: [SectionScore]
        /// Spearman's rank correlation of the episodes' old and new totals (1: same order).
        public var rankCorrelation: Double
        /// Episodes whose rank moved by more than a tenth of the episodes, most moved first.
        public var rankedDifferently: [EpisodeScore]
        /// The mean old and new reward of finished and of unfinished episodes: does the new
        /// reward pay finishing more?
        public var meanOldRewardFinished: Double?
        public var meanNewRewardFinished: Double?
        public var meanOldRewardUnfinished: Double?
        public var meanNewRewardUnfinished: Double?

        enum CodingKeys: String, CodingKey {
            case steps, episodes, sections
            case rewardFile = "reward_file"
            case rankCorrelation = "rank_correlation"
            case rankedDifferently = "ranked_differently"
            case meanOldRewardFinished = "mean_old_reward_finished"
            case meanNewRewardFinished = "mean_new_reward_finished"
            case meanOldRewardUnfinished = "mean_old_reward_unfinished"
            case meanNewRewardUnfinished = "mean_new_reward_unfinished"
        }
    }

    /// The params of every recorded step of `trace`, as the reward function would have got them.
    public static func params(of trace: Simtrace, rows: Range<Int>, on simulation: Simulation) -> [RewardParams?] {
        rows.map { i in
            guard SectionSummary.isDriving(trace.status[i]), trace.x[i].isFinite, trace.y[i].isFinite else {
                return nil
            }
            let yaw = trace.yaw[i].isFinite ? trace.yaw[i] : 0
            let step = RecordedDrive.Step(
                episode: trace.episode[i], step: trace.step[i], x: trace.x[i], y: trace.y[i], yawDegrees: yaw,
                steeringAngle: trace.steer[i].isFinite ? trace.steer[i] : 0,
                speed: trace.throttle[i].isFinite ? trace.throttle[i] : 0, time: trace.time[i], status: trace.status[i])
            var params = simulation.params(
                for: step.car, action: Action(steeringAngle: step.steeringAngle, speed: step.speed))
            params.x = trace.x[i]
            params.y = trace.y[i]
            params.heading = yaw
            params.progress = trace.progress[i]
            params.steps = Int(trace.step[i].rounded())
            params.allWheelsOnTrack = trace.allWheelsOnTrack[i]
            params.isOfftrack = trace.status[i] == "off_track"
            params.isReversed = trace.status[i] == "reversed" ? true : params.isReversed
            return params
        }
    }

    /// Re-scores every training episode of `analysis` with `reward`.
    ///
    /// - Throws: `AnalysisError.rewardFailed` naming the file, episode and step where the reward
    ///   function failed, with its message; nothing is re-scored then.
    public static func run(
        analysis: RunAnalysis, track: Track, reward: RewardFunction, rewardFile: String, sectionCount: Int = 20
    ) throws(AnalysisError) -> Report {
        let simulation = Simulation(track: track)
        var scores: [(episode: EpisodeSummary, new: Double)] = []
        var sectionOld = [Double](repeating: 0, count: sectionCount)
        var sectionNew = [Double](repeating: 0, count: sectionCount)
        var sectionSteps = [Int](repeating: 0, count: sectionCount)
        var steps = 0
        for trace in analysis.training {
            for episode in trace.episodes {
                let params = Self.params(of: trace.simtrace, rows: episode.rows, on: simulation)
                let batch = params.compactMap { $0 }
                let rewards: [Double]
                do {
                    rewards = try reward.rewards(for: batch)
                } catch {
                    throw Self.failure(error, params: params, trace: trace, episode: episode, reward: reward)
                }
                var k = 0
                var total = 0.0
                for (offset, p) in params.enumerated() {
                    guard let p else { continue }
                    let i = episode.rows.lowerBound + offset
                    let section = min(
                        max(Int(p.projectionDistance / track.length * Double(sectionCount)), 0), sectionCount - 1)
                    sectionOld[section] += trace.simtrace.reward[i]
                    sectionNew[section] += rewards[k]
                    sectionSteps[section] += 1
                    total += rewards[k]
                    k += 1
                }
                steps += batch.count
                scores.append((episode, total))
            }
        }
        let oldRanks = ranks(scores.map(\.episode.totalReward))
        let newRanks = ranks(scores.map(\.new))
        let episodes = scores.indices.map { k in
            EpisodeScore(
                iteration: scores[k].episode.iteration, episode: scores[k].episode.episode,
                progress: scores[k].episode.progress, oldReward: scores[k].episode.totalReward,
                newReward: scores[k].new,
                oldRank: oldRanks[k], newRank: newRanks[k])
        }
        let threshold = max(episodes.count / 10, 1)
        let moved = episodes.filter { abs($0.oldRank - $0.newRank) > threshold }
            .sorted { abs($0.oldRank - $0.newRank) > abs($1.oldRank - $1.newRank) }
        let length = track.length / Double(sectionCount)
        let sections = (0..<sectionCount).map { k in
            SectionScore(
                section: k, fromMetres: Double(k) * length, toMetres: Double(k + 1) * length, steps: sectionSteps[k],
                oldMeanReward: sectionSteps[k] > 0 ? sectionOld[k] / Double(sectionSteps[k]) : nil,
                newMeanReward: sectionSteps[k] > 0 ? sectionNew[k] / Double(sectionSteps[k]) : nil)
        }
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        let finished = episodes.filter { $0.progress >= 100 }
        let unfinished = episodes.filter { $0.progress < 100 }
        return Report(
            rewardFile: rewardFile, steps: steps, episodes: episodes, sections: sections,
            rankCorrelation: spearman(oldRanks, newRanks), rankedDifferently: Array(moved.prefix(20)),
            meanOldRewardFinished: mean(finished.map(\.oldReward)),
            meanNewRewardFinished: mean(finished.map(\.newReward)),
            meanOldRewardUnfinished: mean(unfinished.map(\.oldReward)),
            meanNewRewardUnfinished: mean(unfinished.map(\.newReward)))
    }

    /// The step a failed batch failed on, found by calling the function step by step.
    static func failure(
        _ error: RewardError, params: [RewardParams?], trace: RunAnalysis.Trace, episode: EpisodeSummary,
        reward: RewardFunction
    ) -> AnalysisError {
        for case let p? in params {
            do {
                _ = try reward.reward(for: p)
            } catch {
                return .rewardFailed(
                    path: trace.simtrace.sourcePath, episode: episode.episode, step: p.steps, message: error.description
                )
            }
        }
        return .rewardFailed(
            path: trace.simtrace.sourcePath, episode: episode.episode, step: -1, message: error.description)
    }

    /// 1-based ranks, highest value first; equal values keep their order.
    static func ranks(_ values: [Double]) -> [Int] {
        let order = values.indices.sorted { values[$0] > values[$1] }
        var ranks = [Int](repeating: 0, count: values.count)
        for (rank, index) in order.enumerated() { ranks[index] = rank + 1 }
        return ranks
    }

    /// Spearman's rank correlation of two rankings without ties.
    static func spearman(_ a: [Int], _ b: [Int]) -> Double {
        let n = Double(a.count)
        guard a.count > 1 else { return 1 }
        let squares = zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        return 1 - 6 * squares / (n * (n * n - 1))
    }
}
