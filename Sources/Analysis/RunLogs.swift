import Foundation

/// Where a training run's logs are: the simtraces of its iterations and evaluations, and the
/// files beside them that name its track, actions and hyperparameters.
///
/// Reads every layout DeepRacer runs come in:
/// - a Paddock model folder (`paddock/settings.json`, `training-simtrace/N-iteration.csv`,
///   `evaluation-<time>/evaluation-simtrace/0-iteration.csv`);
/// - a DeepRacer console log download (`sim-trace/training/training-simtrace/N-iteration.csv`,
///   `sim-trace/evaluation/<time>/evaluation-simtrace/0-iteration.csv`, `metrics/`, `logs/`,
///   `model/` or `model-artifacts/`);
/// - a DeepRacer-for-Cloud model folder (`training-simtrace/`, `evaluation-<time>/`, `metrics/`,
///   `model/`, `ip/`);
/// - any folder of `N-iteration.csv` files; or one simtrace CSV, whose episodes are split into
///   iterations by the run's `num_episodes_between_training` (20, DeepRacer's default, when no
///   `hyperparameters.json` lies beside it).
public struct RunLogs: Sendable, Equatable {
    public enum Layout: String, Sendable, Codable {
        case paddockModel = "paddock-model"
        case consoleDownload = "console-download"
        case deepRacerForCloud = "deepracer-for-cloud"
        case simtraceFolder = "simtrace-folder"
        case simtraceFile = "simtrace-file"
    }

    /// One training iteration's simtrace (a single-file run has one entry, iteration -1).
    public struct TrainingFile: Sendable, Equatable {
        public var iteration: Int
        public var url: URL
    }

    /// One evaluation's simtrace, named by its folder (or file).
    public struct EvaluationFile: Sendable, Equatable {
        public var name: String
        public var url: URL
    }

    public var layout: Layout
    /// The folder or file given.
    public var url: URL
    /// Training simtraces, by iteration.
    public var training: [TrainingFile]
    /// Evaluation simtraces, by name (oldest first: the names carry the time).
    public var evaluations: [EvaluationFile]
    /// `model_metadata.json`, when the run has one.
    public var metadataFile: URL?
    /// `hyperparameters.json`, when the run has one.
    public var hyperparametersFile: URL?
    /// `TrainingMetrics.json`, when the run has one (evaluations after each iteration).
    public var trainingMetricsFile: URL?
    /// The track the run's own files name: a Paddock model's description, or `WORLD_NAME` in
    /// its logs or settings (DeepRacer for Cloud's `run.env`, the console's and Coach's logs).
    public var namedTrack: String?

    /// The files deeper than this below the given folder are not looked at.
    static let maximumDepth = 7

    /// Finds the logs at `url` (a folder or a simtrace CSV).
    ///
    /// - Throws: `AnalysisError.noLogs` when there is no simtrace, or the folder mixes runs.
    public init(at url: URL) throws(AnalysisError) {
        self.url = url
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .noLogs(path: url.path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else {
            guard url.pathExtension.lowercased() == "csv" else {
                throw .noLogs(
                    path: url.path,
                    reason: "not a simtrace: give a model folder, a log download's folder or a simtrace .csv file")
            }
            layout = .simtraceFile
            training = [TrainingFile(iteration: -1, url: url)]
            evaluations = []
            let folder = url.deletingLastPathComponent()
            metadataFile = Self.existing(folder.appendingPathComponent("model_metadata.json"))
            hyperparametersFile = Self.existing(folder.appendingPathComponent("hyperparameters.json"))
            trainingMetricsFile = nil
            namedTrack = nil
            return
        }
        // A folder linked in (a symlink to a download elsewhere) is read where it lies.
        let files = Self.files(under: url.resolvingSymlinksInPath())
        var training: [Int: URL] = [:]
        var evaluations: [EvaluationFile] = []
        var others: [String] = []
        for relative in files where relative.lowercased().hasSuffix(".csv") {
            let components = relative.split(separator: "/").map(String.init)
            let name = components.last ?? relative
            let file = url.appendingPathComponent(relative)
            if components.dropLast().contains(where: { $0.lowercased().contains("evaluation") }) {
                let folder = components.dropLast().last { !$0.lowercased().hasSuffix("-simtrace") } ?? name
                evaluations.append(EvaluationFile(name: folder == "evaluation" ? name : folder, url: file))
            } else if let iteration = Self.iterationNumber(name) {
                if let earlier = training[iteration] {
                    throw .noLogs(
                        path: url.path,
                        reason: "it holds two simtraces for iteration \(iteration) (\(Self.relative(earlier, to: url)) "
                            + "and \(relative)); analyse the folder of one run")
                }
                training[iteration] = file
            } else if components.dropLast().contains(where: { $0.lowercased().contains("simtrace") })
                || components.count == 1
            {
                others.append(relative)
            }
        }
        if training.isEmpty && evaluations.isEmpty {
            let hint =
                others.isEmpty
                ? "it holds no simtrace (N-iteration.csv files under training-simtrace/, or an evaluation's)"
                : "its simtraces are not N-iteration.csv files; analyse one file at a time: paddock analyze "
                    + url.appendingPathComponent(others[0]).path
            throw .noLogs(path: url.path, reason: hint)
        }
        self.training = training.sorted { $0.key < $1.key }.map { TrainingFile(iteration: $0.key, url: $0.value) }
        self.evaluations = evaluations.sorted { $0.name < $1.name }
        func first(named name: String) -> URL? {
            files.filter { $0.split(separator: "/").last.map(String.init) == name }
                .sorted { $0.split(separator: "/").count < $1.split(separator: "/").count }
                .first.map { url.appendingPathComponent($0) }
        }
        metadataFile = first(named: "model_metadata.json")
        hyperparametersFile = first(named: "hyperparameters.json")
        trainingMetricsFile = first(named: "TrainingMetrics.json")
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("paddock/settings.json").path) {
            layout = .paddockModel
        } else if files.contains(where: { $0.hasPrefix("sim-trace/") }) {
            layout = .consoleDownload
        } else if files.contains(where: { $0.hasPrefix("training-simtrace/") || $0.hasPrefix("model/") }) {
            layout = .deepRacerForCloud
        } else {
            layout = .simtraceFolder
        }
        if layout == .paddockModel {
            namedTrack = Self.paddockTrack(url.appendingPathComponent("paddock/settings.json"))
        } else {
            namedTrack = Self.worldName(in: files.map { url.appendingPathComponent($0) })
        }
    }

    /// The `track` a Paddock model's `settings.json` names (an id or a `.npy` path).
    static func paddockTrack(_ settings: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: settings.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["track"] as? String
    }

    /// The file's path below `folder`, for messages.
    static func relative(_ file: URL, to folder: URL) -> String {
        let root = folder.standardizedFileURL.path
        let path = file.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    static func existing(_ url: URL) -> URL? {
        FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// `N` of `N-iteration.csv`.
    static func iterationNumber(_ name: String) -> Int? {
        guard name.hasSuffix("-iteration.csv") else { return nil }
        return Int(name.dropLast("-iteration.csv".count))
    }

    /// Every file below `folder` (relative paths, sorted), down to `maximumDepth`.
    static func files(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if walker.level > maximumDepth {
                walker.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// The track a run's settings or logs name as its world: `WORLD_NAME: "x"`, `DR_WORLD_NAME=x`,
    /// `"WORLD_NAME": "x"` in any small text file (settings, logs); the first found.
    static func worldName(in files: [URL]) -> String? {
        let kinds = ["env", "yaml", "yml", "log", "txt", "json"]
        for file in files where kinds.contains(file.pathExtension.lowercased()) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
                let size = attributes[.size] as? Int, size < 8_000_000,
                let data = FileManager.default.contents(atPath: file.path)
            else { continue }
            if let name = worldName(inText: String(decoding: data, as: UTF8.self)) { return name }
        }
        return nil
    }

    /// The value after the first `WORLD_NAME` key in `text`.
    static func worldName(inText text: String) -> String? {
        guard let range = text.range(of: "WORLD_NAME") else { return nil }
        var rest = text[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        guard let separator = rest.first, separator == ":" || separator == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\"" || $0 == "'" }
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return name.isEmpty ? nil : String(name)
    }
}
