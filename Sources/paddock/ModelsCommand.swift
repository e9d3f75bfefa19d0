import ArgumentParser
import Assets
import Foundation
import Model
import NeuralNetwork
import Simulator

/// `paddock models`: the model garage.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, show, clone and delete models (under $PADDOCK_HOME/models).",
        subcommands: [ListModels.self, ShowModel.self, CloneModel.self, DeleteModel.self]
    )
}

struct ListModels: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the models.")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let names = ModelFolder.all()
        let rows = names.compactMap { name -> (String, ModelDescription, TrainingState)? in
            guard let folder = try? ModelFolder(name: name), let description = try? folder.readDescription() else {
                return nil
            }
            // A damaged state shows as untrained here; `models show` and training say what is wrong.
            let state = (try? TrainingState.read(folder)) ?? nil
            return (name, description, state ?? TrainingState())
        }
        if json {
            print(
                JSONValue.array(
                    rows.map { name, description, state in
                        .object([
                            ("name", .string(name)), ("track", .string(description.track)),
                            ("network", .string(description.network.shortName)), ("iterations", .int(state.iterations)),
                            ("best_evaluation_completion", .double(max(state.bestCompletion, 0))),
                        ])
                    }
                ).text())
            return
        }
        if rows.isEmpty {
            print(
                "No models yet in \(ModelFolder.modelsDirectory().path). Train one with 'paddock train --model NAME'.")
            return
        }
        print("name                  track              iterations  best evaluation")
        for (name, description, state) in rows {
            print(
                name.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + description.track.padding(toLength: 19, withPad: " ", startingAt: 0)
                    + String(format: "%10d  %6.1f%%", state.iterations, max(state.bestCompletion, 0)))
        }
    }
}

struct ShowModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a model's settings and progress.")

    @Argument(help: "The model's name.") var name: String

    func run() throws {
        let folder = try ModelFolder(name: name)
        let description = try folder.readDescription()
        let state = try TrainingState.read(folder) ?? TrainingState()
        print("\(name): \(folder.url.path)")
        print(
            "  track \(description.track), network \(description.network.shortName), \(description.algorithm.rawValue)")
        print(
            "  actions: \(description.actionSpace.outputCount)\(description.actionSpace.isContinuous ? " (continuous)" : "")"
        )
        print("  sensors: \(description.sensors.map(\.rawValue).joined(separator: ", "))")
        print(
            String(
                format: "  %d iterations, %d episodes, %.0f s of training; best evaluation %.1f%% at iteration %d",
                state.iterations, state.episodes, state.trainingSeconds, max(state.bestCompletion, 0),
                state.bestIteration))
        print(
            "  model_metadata.json:\n"
                + description.modelMetadata.text().split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    }
}

struct CloneModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Start a new model from another's best weights.",
        discussion: """
            As in DeepRacer, a clone keeps the action space type, the number of actions and the \
            sensors; you may give it another track or reward function, and hyperparameters.
            """
    )

    @Argument(help: "The model to clone.") var source: String
    @Argument(help: "The new model's name.") var name: String
    @Option(help: "Another track for the clone.") var track: String?
    @Option(help: "Another reward function for the clone.") var reward: String?

    func run() throws {
        let from = try ModelFolder(name: source)
        let to = try ModelFolder(name: name)
        if let track { _ = try TrackCatalog.standard().track(named: track) }
        let rewardSource = try reward.map { try String(contentsOf: URL(fileURLWithPath: $0), encoding: .utf8) }
        try from.clone(into: to, track: track, rewardSource: rewardSource)
        let description = try to.readDescription()
        print(
            "Cloned \(source) into \(name). Train it with: paddock train --model \(name) --track \(description.track)")
    }
}

struct DeleteModel: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a model and its logs.")

    @Argument(help: "The model's name.") var name: String
    @Flag(help: "Really delete it (nothing is deleted without this).") var yes = false

    func run() throws {
        let folder = try ModelFolder(name: name)
        guard folder.exists else { throw ModelError.notFound(name) }
        guard yes else {
            print(
                "This deletes \(folder.url.path) with all its checkpoints and logs. Run again with --yes to delete it.")
            return
        }
        try FileManager.default.removeItem(at: folder.url)
        print("Deleted \(name).")
    }
}
