import Assets
import CarExport
import Foundation
import Lessons
import Model
import Reinforcement
import RewardScript
import Simulator
import Workshop

/// Models: the garage, a new model's form, cloning and exporting.
extension AppModel {
    public func openGarage() {
        garage = ModelFolder.all(in: modelsDirectory).compactMap { name in
            (try? ModelFolder(name: name, in: modelsDirectory)).flatMap(GarageEntry.init(folder:))
        }
        compareSelection.removeAll { name in !garage.contains { $0.name == name } }
        sheet = .garage
    }

    public func openNewModel() {
        var number = 1
        while (try? ModelFolder(name: "model_\(number)", in: modelsDirectory))?.exists == true { number += 1 }
        form = ModelForm(
            name: "model_\(number)", tracks: catalog.entries.map(\.id), track: driving.track.id, customActions: actions)
        // A new model starts as a copy of the one in use: change one thing and the two compare fairly.
        if let current = try? modelFolder?.readDescription() {
            form.adopt(current)
            notice = "The form starts from \(modelName)'s settings: change what you want to try."
        }
        sheet = .newModel
    }

    public func stepForm(_ field: ModelForm.Field, by delta: Int) { form.step(field, by: delta) }

    /// Makes the form's model the current one and starts training it.
    public func createModel() {
        do {
            let folder = try ModelFolder(name: form.name, in: modelsDirectory)
            guard !folder.exists else {
                notice = "There is already a model called \(form.name): pick another name, or use it from Models."
                return
            }
            let settings = try form.settings()
            let before = (try? modelFolder?.readDescription()) ?? nil
            newModelSettings = (settings, form.track)
            modelName = form.name
            sheet = nil
            train()
            let created = ModelDescription(track: form.track, settings: settings)
            record(.modelCreated(Self.creation(created, beside: before)))
        } catch let error as ModelError {
            notice = "\(error)"
        } catch {
            notice = "\(error)"
        }
    }

    /// What a new model is, and how it differs from the model in use when it was made (`before`).
    nonisolated static func creation(_ new: ModelDescription, beside before: ModelDescription?) -> ModelCreation {
        var creation = ModelCreation(
            isSAC: new.algorithm == .sac, isContinuous: new.continuousBounds != nil,
            isRaceType: new.raceType != RaceType.timeTrial.name)
        guard let before else { return creation }
        let (a, b) = (new.hyperparameters, before.hyperparameters)
        let differences = [
            a.batchSize != b.batchSize, a.numberOfEpochs != b.numberOfEpochs, a.learningRate != b.learningRate,
            a.entropyBonus != b.entropyBonus, a.sacAlpha != b.sacAlpha, a.discountFactor != b.discountFactor,
            a.lossType != b.lossType, a.episodesBetweenTraining != b.episodesBetweenTraining,
        ]
        creation.changedHyperparameters = differences.filter { $0 }.count
        creation.otherSettingsChanged =
            new.track != before.track || new.network != before.network || new.algorithm != before.algorithm
            || new.actions != before.actions || new.continuousBounds != before.continuousBounds
            || new.sensors != before.sensors || new.raceType != before.raceType
        return creation
    }

    /// Makes a garage model the current one (training, evaluation and `driver: model` use it).
    public func useModel(_ name: String) {
        modelName = name
        newModelSettings = nil
        sheet = nil
        notice = "Using \(name)."
        if scene.driver == .model { applyScene() }
    }

    /// The current model's folder when it exists and nothing is training or evaluating it;
    /// otherwise nil, with `missing` or `busy` as the notice.
    func idleModelFolder(missing: String, busy: String) -> ModelFolder? {
        guard let folder = modelFolder, folder.exists else {
            notice = missing
            return nil
        }
        guard !training.isBusy else {
            notice = busy
            return nil
        }
        return folder
    }

    /// Clones the model into the next free name (`my_first_car_2`, ...) and trains that from now on.
    public func cloneModel() {
        guard
            let folder = idleModelFolder(
                missing: "Train a model before you clone it.", busy: "Stop training first, then clone.")
        else { return }
        let base = modelName.replacingOccurrences(of: #"_\d+$"#, with: "", options: .regularExpression)
        var number = 2
        while (try? ModelFolder(name: "\(base)_\(number)", in: modelsDirectory))?.exists == true { number += 1 }
        do {
            let target = try ModelFolder(name: "\(base)_\(number)", in: modelsDirectory)
            // The clone trains on the track in view, as the console lets a clone change track.
            try folder.clone(into: target, track: driving.track.id)
            modelName = target.name
            notice = "Cloned into \(target.name): it starts from the best checkpoint and trains on \(driving.track.id)."
            record(.modelCloned)
        } catch {
            notice = "Could not clone: \(error)"
        }
    }

    /// Where exported car archives go: `$PADDOCK_HOME/exports`.
    public var exportsDirectory: URL { home.url.appendingPathComponent("exports") }

    /// Writes the model's car archive (best checkpoint) to `exportsDirectory`, on a thread of its
    /// own (compressing a 5-layer model takes seconds); `notice` says when it is saved.
    public func exportArchive() {
        guard
            let folder = idleModelFolder(
                missing: "Train a model before you export it: press Train (T).",
                busy: "Stop training first, then export.")
        else { return }
        let name = modelName
        let directory = exportsDirectory
        notice = "Exporting \(name)…"
        jobs.start {
            let archive = try CarArchive.make(folder: folder)
            let url = directory.appendingPathComponent("\(CarArchive.sanitizedName(name)).tar.gz")
            let problems = CarArchive.problems(archive, fileName: url.lastPathComponent)
            guard problems.isEmpty else { throw ExportRefused(problems: problems) }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try AtomicFile.write(try archive.gzipData(modificationTime: Int(Date().timeIntervalSince1970)), to: url)
            return url
        } then: { model, result in
            switch result {
            case .success(let url):
                model.notice =
                    "Saved \(url.path). Upload it in the car's device console, or: paddock car upload --model \(name)"
                model.record(.archiveExported)
            case .failure(let refused as ExportRefused):
                model.notice = "The car would not load this archive: \(refused.problems.joined(separator: "; "))."
            case .failure(let error):
                model.notice = "Could not export: \(error)"
            }
        }
    }

    /// The current model ready to drive a scene: trained here, or imported from a car archive
    /// (any sensors); nil when it has no weights yet or cannot be loaded.
    func currentPolicy() -> (any CarPolicy)? {
        guard let folder = modelFolder, folder.exists else { return nil }
        if ImportedModel.isImported(folder) { return try? ImportedModel(folder: folder) }
        return try? TrainedModel(folder: folder)
    }
}

/// An archive the car's loader would refuse, with its reasons: not written.
struct ExportRefused: Error {
    var problems: [String]
}
