import Analysis
import CarExport
import Foundation
import Imaging
import Model
import NeuralNetwork
import RewardScript

/// The Analysis sheet: `paddock analyze`'s pictures for the model in use, or for a DeepRacer log
/// folder the learner put in `$PADDOCK_HOME/logs/`; the learner's reward tried on the recorded
/// steps; and "what the model looks at" over the camera panel.
extension AppModel {
    /// The size the sheet's pictures are drawn at (the sheet shows them 1:1 at 1280x800).
    static let analysisPictureSize = (width: 560, height: 400)

    /// Where DeepRacer log downloads go to be analysed in the app: `$PADDOCK_HOME/logs/`.
    public var logsDirectory: URL { home.url.appendingPathComponent("logs") }

    /// The runs the sheet can show: the model in use, then each folder in `logsDirectory`.
    func analysisSources() -> [AnalysisSheet.Source] {
        var sources: [AnalysisSheet.Source] = []
        if let folder = modelFolder, folder.exists {
            sources.append(.init(name: "\(modelName) (model in use)", url: folder.url, isModel: true))
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logsDirectory.path)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            sources.append(.init(name: name, url: logsDirectory.appendingPathComponent(name), isModel: false))
        }
        return sources
    }

    /// Opens the Analysis sheet on the model in use (or the first log folder).
    public func openAnalysis() {
        let sources = analysisSources()
        analysis = AnalysisSheet(sources: sources)
        sheet = .analysis
        guard !sources.isEmpty else { return }
        selectAnalysisSource(0)
    }

    /// Reads and draws the run of source `index`, on a thread of its own.
    public func selectAnalysisSource(_ index: Int) {
        guard var state = analysis, state.sources.indices.contains(index) else { return }
        state.selected = index
        state.run = nil
        state.error = nil
        state.whatIf = nil
        state.generation += 1
        state.isReading = true
        analysis = state
        let (source, generation, catalog) = (state.sources[index], state.generation, catalog)
        let size = Self.analysisPictureSize
        jobs.start {
            let loaded = try AnalysisLoader.load(source.url, track: nil, catalog: catalog)
            var pictures: [AnalysisPictures.Kind: Canvas] = [:]
            for kind in AnalysisPictures.Kind.allCases {
                pictures[kind] = loaded.pictures.picture(kind, width: size.width, height: size.height)
            }
            return AnalysisSheet.Run(loaded: loaded, pictures: pictures)
        } then: { model, result in
            guard var state = model.analysis, state.generation == generation else { return }
            state.isReading = false
            switch result {
            case .success(let run):
                state.run = run
                model.record(.analysisOpened)
            case .failure(let error):
                state.error = "\(error)"
            }
            model.analysis = state
        }
    }

    /// Shows another picture of the run.
    public func showAnalysisPicture(_ kind: AnalysisPictures.Kind) {
        analysis?.kind = kind
        analysis?.showsWhatIf = false
    }

    /// Re-scores the run's recorded training steps with the learner's reward function
    /// (`my_reward.py`), on a thread of its own; the sheet then shows old against new.
    public func tryRewardOnPastLaps() {
        guard let state = analysis, let run = state.run else {
            notice = "Open a run in Analysis first."
            return
        }
        guard let track = run.loaded.pictures.track else {
            notice = "This run's track is not known, so its steps cannot be re-scored."
            return
        }
        guard FileManager.default.fileExists(atPath: home.rewardFile.path) else {
            notice = "You have no reward function of your own yet: open Reward, write one and save it."
            return
        }
        let (file, generation, analysis) = (home.rewardFile, state.generation, run.loaded.pictures.analysis)
        self.analysis?.isScoring = true
        let size = Self.analysisPictureSize
        jobs.start {
            let function = try RewardFunction(contentsOf: file)
            let report = try RewardWhatIf.run(
                analysis: analysis, track: track, reward: function, rewardFile: file.lastPathComponent)
            return (report, WhatIfPicture(report: report).draw(width: size.width, height: size.height))
        } then: { model, result in
            guard model.analysis?.generation == generation else { return }
            model.analysis?.isScoring = false
            switch result {
            case .success(let (report, picture)):
                model.analysis?.whatIf = (report, picture)
                model.analysis?.showsWhatIf = true
                model.record(.rewardTriedOnPastLaps)
            case .failure(let error):
                model.notice = "Your reward function could not re-score these laps: \(error)"
            }
        }
    }

    /// Hands background results to the model until `done` holds (`timeout` seconds at most), as
    /// the window's frames would: for screenshots and the scripted learner.
    public func waitForJobs(timeout: Double = 60, until done: (AppModel) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !done(self) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            jobs.deliver(to: self)
        }
    }

    // MARK: What the model looks at

    /// Turns "what the model looks at" on or off over the camera panel.
    public func toggleSaliency() {
        showsSaliency.toggle()
        saliency = nil
        saliencyModel = nil
        if showsSaliency {
            guard let folder = modelFolder, folder.exists, !ImportedModel.isImported(folder),
                let model = try? TrainedModel(folder: folder)
            else {
                showsSaliency = false
                notice =
                    "Train a model first: what a model looks at is worked out from a model trained in Paddock."
                return
            }
            saliencyModel = model
            record(.saliencyShown)
            refreshSaliency()
        }
    }

    /// Works out the saliency of the frame on screen, on a thread of its own, with a copy of the
    /// model kept for it (never the one driving or training); the next starts when one arrives.
    func refreshSaliency() {
        guard showsSaliency, !saliencyPending, let model = saliencyModel else { return }
        let shape = [1] + model.settings.observationShape
        let observation = driving.observation
        guard observation.count == shape.reduce(1, *) else { return }
        saliencyPending = true
        let box = UncheckedModel(model: model)
        jobs.start {
            box.model.learner.saliency(Tensor(shape: shape, values: observation.map(Float.init)), samples: 6)
        } then: { model, result in
            model.saliencyPending = false
            if model.showsSaliency, case .success(let saliency) = result { model.saliency = saliency }
        }
    }
}

/// A model handed to one background job at a time (the app never uses it anywhere else).
struct UncheckedModel: @unchecked Sendable {
    let model: TrainedModel
}

/// What the Analysis sheet shows.
public struct AnalysisSheet {
    /// A run to analyse.
    public struct Source: Sendable {
        public var name: String
        public var url: URL
        public var isModel: Bool
    }

    /// A run read, with its pictures drawn.
    public struct Run: Sendable {
        public var loaded: AnalysisLoader.Loaded
        public var pictures: [AnalysisPictures.Kind: Canvas]
    }

    public var sources: [Source]
    public var selected = 0
    public var kind = AnalysisPictures.Kind.progress
    public var run: Run?
    public var error: String?
    public var isReading = false
    public var isScoring = false
    public var showsWhatIf = false
    public var whatIf: (report: RewardWhatIf.Report, picture: Canvas)?
    /// Bumped each time a source is chosen, so a late result for another is dropped.
    public var generation = 0

    init(sources: [Source]) {
        self.sources = sources
    }
}
