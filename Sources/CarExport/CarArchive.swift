import Foundation
import Model
import NeuralNetwork
import Reinforcement
import Simulator

/// The archive the physical car loads (docs/deepracer-compat.md §9): `model_metadata.json` at the root and
/// `agent/model.pb`, nothing else, gzip-compressed tar.
public enum CarArchive {
    /// Which weights to export.
    public enum Checkpoint: String, Sendable, CaseIterable {
        /// The iteration with the best evaluation.
        case best
        /// The last finished iteration.
        case last
    }

    /// A name the car's loader and file systems take: letters, digits, '-' and '_' (spaces and
    /// dots become '_').
    public static func sanitizedName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        let cleaned = String(name.map { allowed.contains($0) ? $0 : "_" })
        return cleaned.isEmpty ? "model" : cleaned
    }

    /// The archive for a model folder's checkpoint.
    public static func make(folder: ModelFolder, checkpoint: Checkpoint = .best) throws -> TarArchive {
        let description = try folder.readDescription()
        let settings = description.settings
        var random = NetworkRandom(seed: 0)
        let learner = Learner.make(settings: settings, random: &random)
        let file: URL
        switch checkpoint {
        case .best: file = folder.bestCheckpointFile
        case .last:
            file = folder.checkpointFile(iteration: try TrainingState.read(folder)?.iterations ?? 0)
        }
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ModelError.damaged(path: file.path, reason: "the model has no trained weights yet; train it first")
        }
        try NetworkFile.load(try folder.readCheckpoint(file), into: learner.parameters, source: file.path)
        let graph = try GraphExporter.modelPB(policy: learner.policy, settings: settings)
        let metadata = Data((description.modelMetadata.text() + "\n").utf8)
        return TarArchive(entries: [
            .init(path: "model_metadata.json", contents: metadata),
            .init(path: "agent", contents: Data(), isDirectory: true),
            .init(path: "agent/model.pb", contents: graph),
        ])
    }

    /// What the car's loader would object to in `archive` named `fileName` (empty when it would
    /// load it): exactly one .pb, no file without an extension, the metadata at the root and
    /// readable, a name without spaces or extra dots.
    public static func problems(_ archive: TarArchive, fileName: String) -> [String] {
        var problems: [String] = []
        let base = (fileName as NSString).lastPathComponent
        if base.contains(" ") { problems.append("the file name \(base) has a space; the car's upload rejects it") }
        if !base.hasSuffix(".tar.gz") {
            problems.append("the file name \(base) must end in .tar.gz")
        } else if base.dropLast(".tar.gz".count).contains(".") {
            problems.append("the file name \(base) has extra dots; keep one name before .tar.gz")
        }
        for entry in archive.entries
        where entry.path.hasPrefix("/") || entry.path.split(separator: "/").contains("..") {
            problems.append("\(entry.path) points outside the archive's folder")
        }
        let files = archive.entries.filter { !$0.isDirectory }
        let graphs = files.filter { $0.path.hasSuffix(".pb") }
        if graphs.count != 1 {
            problems.append(
                "it holds \(graphs.count) .pb files (\(graphs.map(\.path).joined(separator: ", "))); the car loads exactly one"
            )
        }
        for file in files where !(file.path as NSString).lastPathComponent.contains(".") {
            problems.append("\(file.path) has no extension; the car takes such a file (like a checkpoint) for a model")
        }
        if let metadata = archive.file("model_metadata.json") {
            do {
                _ = try ModelMetadata(data: metadata)
            } catch {
                problems.append("\(error)")
            }
        } else if let nested = files.first(where: { $0.path.hasSuffix("/model_metadata.json") }) {
            problems.append("model_metadata.json is at \(nested.path); the car looks for it at the archive's root")
        } else {
            problems.append("there is no model_metadata.json at the archive's root")
        }
        return problems
    }
}

/// DeepRacer's `model_metadata.json`, read as the car reads it (docs/deepracer-compat.md §8).
public struct ModelMetadata: Sendable, Equatable {
    public var actionSpace: ActionSpace
    public var sensors: [SensorKind]
    public var algorithm: Hyperparameters.Algorithm
    public var network: String

    public init(data: Data) throws(CarExportError) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .badMetadata("not a JSON object")
        }
        let type = object["action_space_type"] as? String ?? "discrete"
        guard type == "discrete" || type == "continuous" else {
            throw .badMetadata(
                "action_space_type is '\(type)'; the car compares it exactly with 'discrete' or 'continuous'")
        }
        let algorithmName = object["training_algorithm"] as? String ?? "clipped_ppo"
        guard let algorithm = Hyperparameters.Algorithm(rawValue: algorithmName) else {
            throw .badMetadata("training_algorithm is '\(algorithmName)'; the car knows 'clipped_ppo' and 'sac'")
        }
        self.algorithm = algorithm
        if type == "continuous" {
            guard let space = object["action_space"] as? [String: Any],
                let steering = space["steering_angle"] as? [String: Any], let speed = space["speed"] as? [String: Any],
                let steeringLow = (steering["low"] as? NSNumber)?.doubleValue,
                let steeringHigh = (steering["high"] as? NSNumber)?.doubleValue,
                let speedLow = (speed["low"] as? NSNumber)?.doubleValue,
                let speedHigh = (speed["high"] as? NSNumber)?.doubleValue, steeringLow < steeringHigh,
                speedLow < speedHigh
            else {
                throw .badMetadata("a continuous action_space needs steering_angle and speed, each with low < high")
            }
            actionSpace = .continuous(steering: steeringLow...steeringHigh, speed: speedLow...speedHigh)
        } else {
            guard let list = object["action_space"] as? [[String: Any]], !list.isEmpty else {
                throw .badMetadata("a discrete action_space needs a list of actions")
            }
            var actions: [(Int, ActionSpace.DiscreteAction)] = []
            for (position, entry) in list.enumerated() {
                guard let steering = (entry["steering_angle"] as? NSNumber)?.doubleValue,
                    let speed = (entry["speed"] as? NSNumber)?.doubleValue
                else { throw .badMetadata("action \(position) needs steering_angle and speed") }
                let index = (entry["index"] as? NSNumber)?.intValue ?? position
                actions.append((index, .init(steeringAngle: steering, speed: speed)))
            }
            actionSpace = .discrete(actions.sorted { $0.0 < $1.0 }.map(\.1))
        }
        let names = object["sensor"] as? [String] ?? ["FRONT_FACING_CAMERA"]
        var sensors: [SensorKind] = []
        for name in names {
            switch name {
            case "FRONT_FACING_CAMERA", "LEFT_CAMERA", "observation": sensors.append(.frontFacingCamera)
            default:
                guard let kind = SensorKind(rawValue: name) else {
                    throw .badMetadata("sensor '\(name)' is not one the car has")
                }
                sensors.append(kind)
            }
        }
        let cameras = sensors.filter { $0 == .frontFacingCamera || $0 == .stereoCameras }
        guard cameras.count == 1, sensors.count - cameras.count <= 1 else {
            throw .badMetadata("sensor must list one camera and at most one LIDAR (it lists \(names))")
        }
        self.sensors = sensors
        network = object["neural_network"] as? String ?? "DEEP_CONVOLUTIONAL_NETWORK_SHALLOW"
    }
}
