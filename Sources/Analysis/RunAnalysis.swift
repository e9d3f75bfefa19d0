import Dispatch
import Foundation
import Simulator

/// A training run's logs read and summed up: per iteration and per evaluation, its episodes, and
/// the figures DeepRacer's analysis notebooks show.
public struct RunAnalysis: Sendable {
    /// One simtrace file read: a training iteration's (or a whole run's) or an evaluation's.
    public struct Trace: Sendable {
        /// The iteration as numbered in the file name (-1 for an evaluation or a single file).
        public var iteration: Int
        /// An evaluation's name; empty for training.
        public var name: String
        public var simtrace: Simtrace
        public var episodes: [EpisodeSummary]
    }

    public var logs: RunLogs
    public var training: [Trace]
    public var evaluations: [Trace]
    /// Per training iteration, in order.
    public var iterations: [EpisodeGroupSummary]
    /// Per evaluation, oldest first.
    public var evaluationSummaries: [EpisodeGroupSummary]
    /// Episodes per iteration, when a single file was split into iterations.
    public var episodesPerIteration: Int?
    /// The evaluations run after each training iteration (from `TrainingMetrics.json`).
    public var trainingEvaluations: [TrainingEvaluations.Iteration] = []

    /// Reads and sums up the logs (simtraces in parallel).
    ///
    /// - Parameter episodesPerIteration: how a single simtrace file's episodes are split into
    ///   iterations; nil reads `num_episodes_between_training` beside it, or takes DeepRacer's 20.
    /// - Throws: `AnalysisError` naming the file and line of anything it cannot read.
    public init(logs: RunLogs, episodesPerIteration: Int? = nil) throws(AnalysisError) {
        self.logs = logs
        let files = logs.training.map(\.url) + logs.evaluations.map(\.url)
        let traces = try Self.read(files)
        var perIteration: Int?
        if logs.layout == .simtraceFile {
            if let episodesPerIteration {
                perIteration = episodesPerIteration
            } else {
                perIteration = try Self.episodesBetweenTraining(logs.hyperparametersFile) ?? 20
            }
        }
        self.episodesPerIteration = perIteration
        training = zip(logs.training, traces).map { file, trace in
            let episodes = EpisodeSummary.episodes(of: trace) { k in
                perIteration.map { k / max($0, 1) } ?? file.iteration
            }
            return Trace(iteration: file.iteration, name: "", simtrace: trace, episodes: episodes)
        }
        evaluations = zip(logs.evaluations, traces.dropFirst(logs.training.count)).map { file, trace in
            Trace(
                iteration: -1, name: file.name, simtrace: trace,
                episodes: EpisodeSummary.episodes(of: trace) { _ in 0 })
        }
        let episodes = training.flatMap(\.episodes)
        let numbers = Array(Set(episodes.map(\.iteration))).sorted()
        var byIteration: [Int: [EpisodeSummary]] = [:]
        for episode in episodes { byIteration[episode.iteration, default: []].append(episode) }
        iterations = numbers.map { EpisodeGroupSummary(iteration: $0, name: "", episodes: byIteration[$0] ?? []) }
        evaluationSummaries = evaluations.map {
            EpisodeGroupSummary(iteration: -1, name: $0.name, episodes: $0.episodes)
        }
        if let metrics = logs.trainingMetricsFile {
            trainingEvaluations = try TrainingEvaluations.read(metrics)
        }
    }

    /// Every training episode, in order.
    public var trainingEpisodes: [EpisodeSummary] { training.flatMap(\.episodes) }

    /// Whether the run's actions are continuous (no action index in its simtraces).
    public var isContinuous: Bool { (training + evaluations).allSatisfy(\.simtrace.isContinuous) }

    /// The track length the simtraces name, metres.
    public var trackLength: Double? { (training + evaluations).lazy.compactMap(\.simtrace.trackLength).first }

    /// The best `count` training episodes: finished laps, fastest first, then the furthest.
    public func bestEpisodes(_ count: Int) -> [(trace: Trace, episode: EpisodeSummary)] {
        let all = training.flatMap { trace in trace.episodes.map { (trace: trace, episode: $0) } }
        let ranked = all.sorted { a, b in
            switch (a.episode.lapTime, b.episode.lapTime) {
            case (let x?, let y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.episode.progress > b.episode.progress
            }
        }
        return Array(ranked.prefix(count))
    }

    /// Reads simtraces on every core.
    static func read(_ files: [URL]) throws(AnalysisError) -> [Simtrace] {
        final class Results: @unchecked Sendable {
            var traces: [Result<Simtrace, AnalysisError>]
            let lock = NSLock()
            init(count: Int) { traces = Array(repeating: .success(Simtrace()), count: count) }
        }
        let results = Results(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { k in
            let result: Result<Simtrace, AnalysisError>
            if let data = FileManager.default.contents(atPath: files[k].path) {
                do throws(AnalysisError) {
                    result = .success(try Simtrace(csv: [UInt8](data), path: files[k].path))
                } catch {
                    result = .failure(error)
                }
            } else {
                result = .failure(.badSimtrace(path: files[k].path, line: 0, reason: "the file cannot be read"))
            }
            results.lock.lock()
            results.traces[k] = result
            results.lock.unlock()
        }
        return try results.traces.map { result throws(AnalysisError) in try result.get() }
    }

    /// `num_episodes_between_training` from a `hyperparameters.json`.
    static func episodesBetweenTraining(_ file: URL?) throws(AnalysisError) -> Int? {
        guard let file else { return nil }
        guard let data = FileManager.default.contents(atPath: file.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw .badFile(path: file.path, reason: "it is not a JSON object of hyperparameters")
        }
        return (object["num_episodes_between_training"] as? NSNumber)?.intValue
    }
}
