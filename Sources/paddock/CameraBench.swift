import ArgumentParser
import Assets
import Foundation
import Imaging
import Simulator
import Training

/// `paddock bench camera`: how closely Paddock's camera frames look like DeepRacer's.
struct CameraBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Compare Paddock's camera with DeepRacer's frames on reInvent2019: row brightness and histogram.",
        discussion: """
            Renders as many frames as the real episode has, from poses spread evenly along \
            reInvent2019's centre line, and compares them with DeepRacer's (Gazebo) camera frames \
            of one episode on that track: the row-profile difference (mean over the 120 rows of \
            |Paddock's mean row gray - DeepRacer's|, gray levels) and the L1 distance of the \
            normalised 256-bin histograms of all pixels (0 identical, 2 disjoint). The look was \
            fitted to the first half of the episode; the second half is held out. Also times the \
            camera alone, µs a frame. --look overrides fitted values (docs/camera.md) to try others.
            """
    )

    @Option(help: "reInvent2019's track .npy (default: ../shared/data/deepracer-tracks beside the project).")
    var track: String?
    @Option(help: "DeepRacer's frames .npz (default: ../shared/data/gazebo/camera beside the project).")
    var frames: String?
    @Option(
        help: ArgumentHelp(
            "Override a fitted value, KEY=VALUE (repeatable).",
            discussion: "Keys: \(Look.keys.joined(separator: ", ")); walls takes four values joined by /."))
    var look: [String] = []
    @Option(help: "Write a side-by-side PNG: DeepRacer's frames above Paddock's.") var png: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let dataFolder = try Self.sharedData()
        let trackPath =
            track ?? dataFolder.appendingPathComponent("deepracer-tracks/reInvent2019_track.npy").path
        let framesPath =
            frames ?? dataFolder.appendingPathComponent("gazebo/camera/reInvent2019-episode-gray.npz").path
        let real = try Self.readFrames(framesPath)
        guard FileManager.default.fileExists(atPath: trackPath) else {
            throw ValidationError("No track file at \(trackPath): give --track reInvent2019's .npy.")
        }
        let loaded = try TrackCatalog.standard().track(named: trackPath)
        let settings = try Look(overrides: look)
        let scene = CameraScene(
            track: loaded, margin: settings.margin, wallHeight: settings.wallHeight, palette: settings.palette,
            markings: settings.markings)
        let camera = Camera(scene: scene)
        let frameSize = Camera.width * Camera.height
        let count = real.count / frameSize

        let start = ContinuousClock.now
        let paddock = CameraStatistics.framesAlongCentreLine(track: loaded, camera: camera, count: count)
        let microseconds = (ContinuousClock.now - start).seconds * 1e6 / Double(count)

        var ours = CameraStatistics()
        ours.add(frames: paddock)
        let half = count / 2 * frameSize
        var theirs = (all: CameraStatistics(), fitted: CameraStatistics(), heldOut: CameraStatistics())
        theirs.all.add(frames: real)
        theirs.fitted.add(frames: real[0..<half])
        theirs.heldOut.add(frames: real[half...])
        let figures = [theirs.all, theirs.fitted, theirs.heldOut].map {
            (row: ours.rowProfileDifference(to: $0), histogram: ours.histogramDistance(to: $0))
        }
        if let png {
            let image = Self.sideBySide(real: real, paddock: paddock, count: count)
            try AtomicFile.write(PNG.encode(image), to: URL(fileURLWithPath: png))
        }
        func rounded(_ value: Double, _ places: Double = 100) -> Double { (value * places).rounded() / places }
        if json {
            let value = JSONValue.object([
                ("frames", .int(count)),
                ("row_profile_difference", .double(rounded(figures[0].row))),
                ("histogram_l1", .double(rounded(figures[0].histogram, 1000))),
                ("row_profile_difference_fitted_half", .double(rounded(figures[1].row))),
                ("histogram_l1_fitted_half", .double(rounded(figures[1].histogram, 1000))),
                ("row_profile_difference_held_out_half", .double(rounded(figures[2].row))),
                ("histogram_l1_held_out_half", .double(rounded(figures[2].histogram, 1000))),
                ("camera_microseconds_per_frame", .double(rounded(microseconds))),
                ("row_profile_paddock", .array(ours.rowProfile.map { .double(rounded($0, 10)) })),
                ("row_profile_deepracer", .array(theirs.all.rowProfile.map { .double(rounded($0, 10)) })),
                ("histogram_paddock", .array(ours.histogram.map { .double(rounded($0, 100_000)) })),
                ("histogram_deepracer", .array(theirs.all.histogram.map { .double(rounded($0, 100_000)) })),
            ])
            print(value.text())
        } else {
            print(
                "Paddock's camera vs DeepRacer's \(count) frames on reInvent2019 (targets: rows <= 12, histogram <= 0.35):"
            )
            let names = ["all frames", "first half (fitted)", "second half (held out)"]
            for (name, figure) in zip(names, figures) {
                print(
                    String(
                        format: "  %@: row-profile difference %.2f gray levels, histogram L1 %.3f", name,
                        figure.row, figure.histogram))
            }
            print(String(format: "Camera: %.1f µs a frame", microseconds))
            if let png { print("Wrote \(png).") }
        }
    }

    /// `../shared/data` beside the project.
    static func sharedData() throws -> URL {
        try DataDirectory.locate().root.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    /// Reads the `frames` array, uint8 (count, 120, 160), of an .npz file.
    static func readFrames(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError(
                "No DeepRacer camera frames at \(path): give --frames an .npz holding frames, uint8 (count, 120, 160).")
        }
        let archive = try ZipArchive(bytes: [UInt8](data), source: path)
        let array = try NumpyArray(bytes: archive.contents(of: "frames.npy"), source: path + ":frames.npy")
        guard array.shape.count == 3, array.shape[1] == Camera.height, array.shape[2] == Camera.width,
            array.shape[0] > 1
        else {
            throw ValidationError("\(path): frames has shape \(array.shape); expected (count, 120, 160).")
        }
        return array.values.map { UInt8(clamping: Int($0)) }
    }

    /// Four of DeepRacer's frames (top) over Paddock's frames from the same share of the lap
    /// (bottom), three times their size.
    static func sideBySide(real: [UInt8], paddock: [UInt8], count: Int) -> GrayImage {
        let columns = 4
        let gap = 4
        let w = Camera.width
        let h = Camera.height
        var image = GrayImage(
            width: columns * w + (columns - 1) * gap, height: 2 * h + gap, fill: 255)
        for column in 0..<columns {
            let index = column * count / columns
            for (band, source) in [real, paddock].enumerated() {
                for y in 0..<h {
                    for x in 0..<w {
                        image[column * (w + gap) + x, band * (h + gap) + y] = source[index * w * h + y * w + x]
                    }
                }
            }
        }
        return image.scaled(by: 3)
    }
}

/// The fitted values `bench camera --look` may override.
struct Look {
    var palette = CameraScene.Palette()
    var markings = CameraScene.Markings()
    var margin = CameraScene.defaultMargin
    var wallHeight = CameraScene.defaultWallHeight

    static let keys = [
        "grass", "road", "road-texture", "border", "centre-line", "walls", "sky", "margin", "wall-height",
        "border-width", "centre-width", "dash", "gap",
    ]

    init(overrides: [String]) throws {
        for item in overrides {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, Self.keys.contains(parts[0]) else {
                throw ValidationError(
                    "--look \(item): expected KEY=VALUE with KEY one of \(Self.keys.joined(separator: ", ")).")
            }
            let values = parts[1].split(separator: "/").compactMap { Double($0) }
            guard let value = values.first, parts[0] == "walls" ? values.count == 4 : values.count == 1 else {
                throw ValidationError("--look \(item): the value must be a number (walls: four numbers joined by /).")
            }
            switch parts[0] {
            case "grass": palette.floor = value
            case "road": palette.road = value
            case "road-texture": palette.roadTexture = value
            case "border": palette.border = value
            case "centre-line": palette.centreLine = value
            case "walls": palette.walls = values
            case "sky": palette.sky = value
            case "margin": margin = value
            case "wall-height": wallHeight = value
            case "border-width": markings.borderWidth = value
            case "centre-width": markings.centreLineWidth = value
            case "dash": markings.centreDash = value
            default: markings.centreGap = value
            }
        }
    }
}
