import Assets
import Foundation
import NeuralNetwork
import Simulator

/// A model's folder, in the layout DeepRacer's analysis tools read (docs/deepracer-compat.md §6), plus
/// Paddock's own `paddock/` folder with the settings, checkpoints and training state:
///
///     <model>/training-simtrace/<N>-iteration.csv
///     <model>/evaluation-<YYYYmmddHHMMSS>/evaluation-simtrace/0-iteration.csv
///     <model>/model/model_metadata.json
///     <model>/ip/hyperparameters.json
///     <model>/metrics/TrainingMetrics.json
///     <model>/metrics/EvaluationMetrics-<YYYYmmddHHMMSS>.json
///     <model>/reward_function.py
///     <model>/paddock/settings.json, state.json, checkpoints/*.weights
public struct ModelFolder: Sendable {
    public let name: String
    public let url: URL

    /// Where models live: `$PADDOCK_HOME/models`, by default `~/.local/share/paddock/models`.
    public static func modelsDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let home =
            environment["PADDOCK_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/paddock")
        return home.appendingPathComponent("models")
    }

    /// A model name is a folder name: letters, digits, '-' and '_', 1 to 64 characters.
    public static func validate(name: String) throws(ModelError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard (1...64).contains(name.count), name.allSatisfy({ allowed.contains($0) }) else {
            throw .badName(name)
        }
    }

    public init(name: String, in directory: URL = ModelFolder.modelsDirectory()) throws(ModelError) {
        try Self.validate(name: name)
        self.name = name
        self.url = directory.appendingPathComponent(name)
    }

    /// Names of the models in `directory`.
    public static func all(in directory: URL = ModelFolder.modelsDirectory()) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0)/paddock/settings.json").path)
        }.sorted()
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: settingsFile.path) }

    public var settingsFile: URL { url.appendingPathComponent("paddock/settings.json") }
    public var stateFile: URL { url.appendingPathComponent("paddock/state.json") }
    public var checkpointsDirectory: URL { url.appendingPathComponent("paddock/checkpoints") }
    public var metadataFile: URL { url.appendingPathComponent("model/model_metadata.json") }
    public var hyperparametersFile: URL { url.appendingPathComponent("ip/hyperparameters.json") }
    public var trainingMetricsFile: URL { url.appendingPathComponent("metrics/TrainingMetrics.json") }
    public var rewardFile: URL { url.appendingPathComponent("reward_function.py") }
    public func simtraceFile(iteration: Int) -> URL {
        url.appendingPathComponent("training-simtrace/\(SimtraceLog.fileName(iteration: iteration))")
    }
    public func checkpointFile(iteration: Int) -> URL {
        checkpointsDirectory.appendingPathComponent("iteration-\(iteration).weights")
    }
    public var bestCheckpointFile: URL { checkpointsDirectory.appendingPathComponent("best.weights") }
    /// Weights a cloned model starts from.
    public var initialWeightsFile: URL { checkpointsDirectory.appendingPathComponent("initial.weights") }

    /// Writes the files that describe the model: settings, DeepRacer metadata, hyperparameters and
    /// the reward function.
    public func writeDescription(_ description: ModelDescription, rewardSource: String) throws(ModelError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(description), to: settingsFile)
            try AtomicFile.write(description.modelMetadata.text() + "\n", to: metadataFile)
            try AtomicFile.write(try encoder.encode(description.hyperparameters), to: hyperparametersFile)
            try AtomicFile.write(rewardSource, to: rewardFile)
        } catch let error as AssetsError {
            throw .files(error)
        } catch {
            throw .files(.unwritable(path: url.path, reason: "\(error)"))
        }
    }

    public func readDescription() throws(ModelError) -> ModelDescription {
        guard let data = try? Data(contentsOf: settingsFile) else { throw .notFound(name) }
        do {
            return try JSONDecoder().decode(ModelDescription.self, from: data)
        } catch {
            throw .damaged(path: settingsFile.path, reason: "\(error)")
        }
    }

    public func readRewardSource() throws(ModelError) -> String {
        guard let text = try? String(contentsOf: rewardFile, encoding: .utf8) else {
            throw .damaged(path: rewardFile.path, reason: "the reward function is missing")
        }
        return text
    }

    /// Saves weights (and optimiser state) atomically.
    public func writeCheckpoint(_ tensors: [Parameter], metadata: String, to file: URL) throws(ModelError) {
        do {
            try AtomicFile.write(NetworkFile.encode(parameters: tensors, metadata: metadata), to: file)
        } catch {
            throw .files(error)
        }
    }

    public func readCheckpoint(_ file: URL) throws(ModelError) -> NetworkFile.Contents {
        guard let data = try? Data(contentsOf: file) else {
            throw .damaged(path: file.path, reason: "the checkpoint is missing")
        }
        do {
            return try NetworkFile.decode([UInt8](data), source: file.path)
        } catch {
            throw .checkpoint(error)
        }
    }
}

/// A problem with a model or its folder.
public enum ModelError: Error, Sendable, CustomStringConvertible {
    case badName(String)
    case notFound(String)
    case exists(String)
    case damaged(path: String, reason: String)
    case files(AssetsError)
    case checkpoint(NetworkFileError)
    case settingsDiffer(String)
    /// The record of a model's training (`state.json`, `TrainingMetrics.json`) cannot be read:
    /// training stops rather than start over and overwrite the model's checkpoints.
    case damagedTrainingRecord(path: String, reason: String, model: String)

    public var description: String {
        switch self {
        case .badName(let name):
            "'\(name)' cannot name a model: use 1 to 64 letters, digits, '-' or '_' (no spaces or dots)."
        case .notFound(let name):
            "There is no model called '\(name)'. 'paddock models list' shows the models."
        case .exists(let name):
            "A model called '\(name)' exists already. Pick another name, or delete it with 'paddock models delete \(name)'."
        case .damaged(let path, let reason):
            "\(path): \(reason). The model folder is damaged; train it again or restore the folder."
        case .files(let error):
            error.description
        case .checkpoint(let error):
            error.description
        case .settingsDiffer(let what):
            "The model exists with other settings (\(what)). Train it again as it was, or clone it to change settings."
        case .damagedTrainingRecord(let path, let reason, let model):
            "\(path): \(reason). Paddock stopped rather than start the training over and overwrite \(model)'s "
                + "checkpoints. Restore the file from a backup; or train a clone from its best checkpoint "
                + "('paddock models clone \(model) \(model)-2'); or delete the model to start again "
                + "('paddock models delete \(model)')."
        }
    }
}
