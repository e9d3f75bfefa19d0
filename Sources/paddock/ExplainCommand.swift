import Analysis
import ArgumentParser
import Assets
import CarExport
import Foundation
import Imaging
import Model
import NeuralNetwork
import Simulator

/// `paddock model explain`: what a model looks at in one camera frame.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show which pixels of a camera frame a model's choice depends on, with its action probabilities.",
        discussion: """
            The frame comes from a .npy file (--input, --frame), from a step a simtrace recorded \
            (--simtrace, --row: the car's pose that step, rendered by Paddock's camera on the \
            model's track or --track), or from a point of the centre line (--progress, percent). \
            The saliency is the size of the gradient of the chosen action's log-probability (the \
            steering mean, for continuous actions) with respect to each pixel: where a small \
            change in the picture would change the choice most. Writes the frame with the \
            saliency over it and the network's outputs to --png.
            """)

    @Option(help: "The model's name (trained in Paddock).") var model: String
    @Option(help: "Frames (.npy, (N, 120, 160, channels) gray 0-255).") var input: String?
    @Option(parsing: .unconditional, help: "The frame of --input to explain (from 0).") var frame = 0
    @Option(help: "A simtrace CSV: explain the frame at one of its rows.") var simtrace: String?
    @Option(parsing: .unconditional, help: "The simtrace's row (from 0, the header not counted).") var row = 0
    @Option(parsing: .unconditional, help: "Explain the frame at this percent of the lap, on the centre line.")
    var progress: Double?
    @Option(help: "The track for --simtrace and --progress (default: the model's).") var track: String?
    @Option(help: "Where to write the picture (PNG).") var png: String
    @Flag(help: "Print the outputs and the saliency as JSON.") var json = false

    func validate() throws {
        let sources = [input != nil, simtrace != nil, progress != nil].filter { $0 }.count
        guard sources <= 1 else { throw ValidationError("Give one of --input, --simtrace and --progress.") }
        if let progress, !(0...100).contains(progress) {
            throw ValidationError("--progress must be from 0 to 100 percent.")
        }
        guard frame >= 0, row >= 0 else { throw ValidationError("--frame and --row count from 0.") }
    }

    func run() throws {
        let folder = try ModelFolder(name: model)
        guard folder.exists else { throw ModelError.notFound(model) }
        if ImportedModel.isImported(folder) {
            throw ValidationError(
                "\(model) was imported as a TensorFlow graph, which Paddock runs without gradients; "
                    + "explain works on models trained in Paddock.")
        }
        let trained = try TrainedModel(folder: folder)
        let settings = trained.settings
        let (bytes, where_) = try observation(settings: settings, modelTrack: trained.description.track)
        let observation = Tensor(shape: [1] + settings.observationShape, values: bytes.map(Float.init))
        let saliency = trained.learner.saliency(observation)
        let channels = settings.cameraChannels
        let gray = (0..<(Camera.width * Camera.height)).map { bytes[$0 * channels] }
        let labels: [String]
        switch settings.actionSpace {
        case .discrete(let actions):
            labels = actions.map {
                "\(Chart.format($0.steeringAngle, decimals: 0))° \(Chart.format($0.speed, decimals: 1)) m/s"
            }
        case .continuous:
            labels = ["steering mean", "speed mean"]
        }
        let picture = SaliencyPicture(
            frame: gray, map: saliency.map, outputs: saliency.outputs, labels: labels, explained: saliency.explained,
            isContinuous: settings.actionSpace.isContinuous, title: "What \(model) looks at: \(where_)")
        try AtomicFile.write(PNG.encode(picture.draw()), to: URL(fileURLWithPath: png))
        // Where the saliency lies: above the horizon (rows 0-39) or on the ground.
        let total = saliency.map.reduce(0, +)
        let upper = saliency.map.prefix(40 * Camera.width).reduce(0, +)
        let aboveHorizon = total > 0 ? Double(upper / total) : 0
        if json {
            let object: [String: Any] = [
                "frame": where_, "outputs": saliency.outputs.map(Double.init), "explained": saliency.explained,
                "explained_label": labels.indices.contains(saliency.explained) ? labels[saliency.explained] : "",
                "saliency_above_horizon": aboveHorizon, "png": png,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            let chosen = labels.indices.contains(saliency.explained) ? labels[saliency.explained] : ""
            print("\(model) on \(where_):")
            if settings.actionSpace.isContinuous {
                print("  means " + saliency.outputs.map { String(format: "%.3f", $0) }.joined(separator: " "))
            } else {
                print(
                    String(format: "  chooses %@ with probability %.3f", chosen, saliency.outputs[saliency.explained]))
            }
            print(
                String(format: "  %.0f %% of the saliency lies above the horizon (walls and sky)", 100 * aboveHorizon))
            print("Wrote \(png).")
        }
    }

    /// The observation's bytes and where it came from.
    func observation(settings: TrainingSettings, modelTrack: String) throws -> ([UInt8], String) {
        let size = settings.observationShape.reduce(1, *)
        if let input {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw AssetsError.unreadable(path: input, reason: "no such file")
            }
            let array = try NumpyArray(bytes: [UInt8](data), source: input)
            let count = array.values.count / max(size, 1)
            guard array.values.count % size == 0, count > 0 else {
                throw ValidationError(
                    "\(input) has shape \(array.shape); this model needs frames of shape \(settings.observationShape).")
            }
            guard frame < count else {
                throw ValidationError("\(input) holds \(count) frame(s); --frame \(frame) is past them.")
            }
            let values = array.values[(frame * size)..<((frame + 1) * size)]
            return (values.map { UInt8(clamping: Int($0.rounded())) }, "frame \(frame) of \(input)")
        }
        let catalog = try TrackCatalog.standard()
        let loaded = try AnalysisLoader.loadTrack(track ?? modelTrack, catalog: catalog)
        var simulation = Simulation(track: loaded)
        simulation.reset()
        let car: CarState
        let label: String
        if let simtrace {
            guard let data = FileManager.default.contents(atPath: simtrace) else {
                throw AssetsError.unreadable(path: simtrace, reason: "no such file")
            }
            let trace = try Simtrace(csv: [UInt8](data), path: simtrace)
            guard row < trace.count else {
                throw ValidationError("\(simtrace) has \(trace.count) rows; --row \(row) is past them.")
            }
            guard trace.x[row].isFinite, trace.y[row].isFinite, trace.yaw[row].isFinite else {
                throw ValidationError("\(simtrace), row \(row): the pose is not recorded (X, Y or yaw is blank).")
            }
            car = Simulation.car(referencePoint: Vector2(trace.x[row], trace.y[row]), headingDegrees: trace.yaw[row])
            label =
                "episode \(trace.episode[row]) step \(Int(trace.step[row])) of \(URL(fileURLWithPath: simtrace).lastPathComponent) on \(loaded.id)"
        } else {
            let percent = progress ?? 0
            let pose = loaded.pose(atDistance: percent / 100 * loaded.length)
            car = CarState(position: pose.position, heading: pose.heading)
            label = "\(Chart.format(percent, decimals: 1)) % of \(loaded.id), on the centre line"
        }
        simulation.place(car)
        var sensors = Sensors(kinds: settings.sensors, track: loaded)
        sensors.startEpisode()
        return (TrainingSettings.observationBytes(sensors.observe(simulation)), label)
    }
}
