import ArgumentParser
import Assets
import CarExport
import Foundation
import Model

/// `paddock export car`: the archive the physical car loads.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a model for the physical DeepRacer car.",
        subcommands: [ExportCar.self], defaultSubcommand: ExportCar.self)
}

struct ExportCar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "car",
        abstract: "Write NAME.tar.gz: model_metadata.json and agent/model.pb, as the car's device console takes them.",
        discussion: """
            The network is frozen into a TensorFlow graph with the input and output names the car looks \
            for; the archive holds nothing else, so the car's loader finds exactly one model.
            """)

    @Option(help: "The model's name.") var model: String
    @Option(help: "best (the best evaluation) or last (the last finished iteration).") var checkpoint = "best"
    @Option(name: .shortAndLong, help: "The archive to write (default: NAME.tar.gz here).") var output: String?

    func run() throws {
        guard let which = CarArchive.Checkpoint(rawValue: checkpoint) else {
            throw ValidationError("--checkpoint \(checkpoint): choose best or last.")
        }
        let folder = try ModelFolder(name: model)
        guard folder.exists else { throw ModelError.notFound(model) }
        let archive = try CarArchive.make(folder: folder, checkpoint: which)
        let path = output ?? "\(CarArchive.sanitizedName(model)).tar.gz"
        let problems = CarArchive.problems(archive, fileName: path)
        guard problems.isEmpty else {
            throw ValidationError("The car would not load this archive: " + problems.joined(separator: "; ") + ".")
        }
        try AtomicFile.write(
            try archive.gzipData(modificationTime: Int(Date().timeIntervalSince1970)), to: URL(fileURLWithPath: path))
        let graph = archive.file("agent/model.pb")?.count ?? 0
        print(
            "Wrote \(path): model_metadata.json and agent/model.pb (\(graph / 1024) KB), \(which.rawValue) checkpoint.")
        print(
            """

            On the car:
              1. Open the car's device console in a browser (https://<the car's IP address>) and log in.
              2. Models > Upload model, and choose \((path as NSString).lastPathComponent).
              3. Check that the model appears in the list, then choose it under Autonomous driving.
              4. Start at a low maximum speed (about 20%) and raise it once the car keeps to the track.
            Or from here: paddock car upload --host <IP> --password-file <file> --model \(model) --load
            What helps a model drive the real car: train with --domain-randomization, a track that looks
            like yours, smooth steering (fewer sharp actions), and low throttle first.
            """)
    }
}

/// `paddock car ...`: the physical car.
struct CarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "car", abstract: "The physical car: check archives, upload models.",
        subcommands: [CarCheck.self, CarUpload.self])
}

struct CarCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Apply the car loader's rules to an archive: one .pb, no file without an extension, metadata at the root.")

    @Argument(help: "The .tar.gz archive.") var archive: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: archive) else {
            throw AssetsError.unreadable(path: archive, reason: "no such file")
        }
        let contents = try TarArchive.readGzip(data, path: archive)
        let problems = CarArchive.problems(contents, fileName: archive)
        for entry in contents.entries where !entry.isDirectory {
            print("  \(entry.path)  (\(entry.contents.count) bytes)")
        }
        if problems.isEmpty {
            if let graph = contents.entries.first(where: { $0.path.hasSuffix(".pb") }) {
                _ = try GraphRunner(modelPB: graph.contents)
            }
            print("\(archive): the car's loader would take it.")
        } else {
            for problem in problems { print("  - \(problem)") }
            print("\(archive): the car would not load it (\(problems.count) problem\(problems.count == 1 ? "" : "s")).")
            throw ExitCode.failure
        }
    }
}

/// `paddock import`: a DeepRacer car archive as a model to evaluate here.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a DeepRacer model archive (console, DeepRacer-for-Cloud or Paddock) to evaluate it here.",
        discussion: """
            The archive's model.pb runs through Paddock's graph interpreter (the TensorFlow ops stock \
            DeepRacer graphs use), so 'paddock evaluate --model NAME' drives it on any track, free. A \
            DeepRacer-for-Cloud model folder (model/ with model_N.pb files and .coach_checkpoint) or a \
            console download works too. The graph is run on a frame first: a graph that cannot run, or \
            whose outputs do not match model_metadata.json's action space, is refused and nothing is \
            stored.
            """)

    @Argument(help: "A car archive (.tar.gz), or a DeepRacer-for-Cloud or console model folder or archive.")
    var archive: String
    @Option(help: "The name for the imported model.") var model: String
    @Option(help: "The track it evaluates on by default.") var track = "beginner_loop"
    @Option(
        parsing: .unconditional,
        help: "For a folder with several model_N.pb: the checkpoint N (default: the one .coach_checkpoint names).")
    var checkpoint: Int?

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: archive, isDirectory: &isDirectory) else {
            throw AssetsError.unreadable(path: archive, reason: "no such file or folder")
        }
        let source: ModelSource
        if isDirectory.boolValue {
            source = try ModelSource(folder: URL(fileURLWithPath: archive))
        } else {
            guard let data = FileManager.default.contents(atPath: archive) else {
                throw AssetsError.unreadable(path: archive, reason: "the file cannot be read")
            }
            source = try ModelSource(archive: data, path: archive)
        }
        _ = try TrackCatalog.standard().track(named: track)
        let folder = try ModelFolder(name: model)
        let imported = try ImportedModel.install(source: source, checkpoint: checkpoint, into: folder, track: track)
        let settings = imported.description.settings
        print(
            "Imported \(archive) as \(model): \(settings.algorithm == .sac ? "SAC" : "PPO"), \(settings.actionSpace.isContinuous ? "continuous" : "\(settings.actionSpace.outputCount) actions"), \(settings.sensors.map(\.rawValue).joined(separator: " + "))."
        )
        print("Evaluate it with: paddock evaluate --model \(model) --track \(track)")
    }
}

struct CarUpload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload a model to the car over its device console, confirm it is installed, and optionally load it.",
        discussion: """
            Exports the model (best checkpoint) to a car archive, logs in to https://HOST with the \
            password in --password-file (printed under the car), uploads it, and checks the car lists \
            it. --load switches the car to autonomous mode and loads the model. The car's self-signed \
            certificate is accepted for this host only.
            """)

    @Option(help: "The car's IP address (or name).") var host: String
    @Option(help: "A file holding the car's device console password.") var passwordFile: String
    @Option(help: "The model's name.") var model: String
    @Flag(help: "Switch to autonomous mode and load the model.") var load = false
    @Option(parsing: .unconditional, help: "Maximum throttle in percent (start low, about 20).") var throttle: Int?

    func validate() throws {
        if let throttle, !(0...100).contains(throttle) {
            throw ValidationError("--throttle must be 0 to 100 (percent).")
        }
    }

    func run() throws {
        guard let password = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
            throw AssetsError.unreadable(path: passwordFile, reason: "no such file; put the car's password in it")
        }
        let folder = try ModelFolder(name: model)
        guard folder.exists else { throw ModelError.notFound(model) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-upload-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let archiveURL = directory.appendingPathComponent("\(CarArchive.sanitizedName(model)).tar.gz")
        try CarArchive.make(folder: folder).gzipData(modificationTime: Int(Date().timeIntervalSince1970)).write(
            to: archiveURL)
        let client = try CarClient(host: host)
        print("Logging in to \(host)...")
        try client.login(password: password.trimmingCharacters(in: .whitespacesAndNewlines))
        print("Uploading \(archiveURL.lastPathComponent)...")
        let name = try client.upload(archive: archiveURL)
        print("The car lists \(name).")
        if load {
            print("Switching to autonomous mode and loading \(name)...")
            try client.load(model: name)
            print("Loaded.")
        }
        if let throttle {
            try client.setThrottle(throttle)
            print("Maximum throttle set to \(throttle)%.")
        }
        print(
            load
                ? "Press start in the car's device console when the car is on the track."
                : "Load it from the car's device console, or run again with --load.")
    }
}
