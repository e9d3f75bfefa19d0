import ArgumentParser
import Assets
import Foundation
import Imaging
import Model
import Simulator

/// `paddock bench camera`: how closely Paddock's camera frames look like DeepRacer's.
struct CameraBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Compare Paddock's camera with DeepRacer's frames on reInvent2019: row brightness and histogram.",
        discussion: """
            Compares Paddock's camera frames with DeepRacer's (Gazebo) camera frames of one \
            episode on reInvent2019: the row-profile difference (mean over the 120 rows of \
            |Paddock's mean row gray - DeepRacer's|, gray levels) and the L1 distance of the \
            normalised 256-bin histograms of all pixels (0 identical, 2 disjoint). Paddock renders \
            the frames twice: from the poses of DeepRacer's own frames (registered from the \
            frames' road, lines and grass by scripts/checks/camera_poses.py; --poses), and from \
            poses spread evenly along the centre line. The look was fitted to the first half of \
            the episode; the second half is held out. Also times the camera alone, µs a frame. \
            --look overrides fitted values (docs/camera.md) to try others.
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
    @Option(
        help: """
            Camera poses of DeepRacer's frames, CSV frame,camera_x,camera_y,yaw (metres, radians) \
            (default: assets/camera/reInvent2019-episode-poses.csv).
            """)
    var poses: String?
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

        let posesPath =
            try poses
            ?? DataDirectory.locate().root.appendingPathComponent("assets/camera/reInvent2019-episode-poses.csv").path
        let registered = try Self.readPoses(posesPath, count: count)

        let start = ContinuousClock.now
        // Along the centre line in the direction DeepRacer's car drove it (its registered poses say
        // which: this episode went round against the waypoints' order).
        let reversed = CameraStatistics.drivesAgainstWaypoints(registered, on: loaded)
        let alongLine = CameraStatistics.framesAlongCentreLine(
            track: loaded, camera: camera, count: count, reversed: reversed)
        let microseconds = (ContinuousClock.now - start).seconds * 1e6 / Double(count)
        let atPoses = CameraStatistics.frames(from: registered, camera: camera)

        let half = count / 2 * frameSize
        var theirs = (all: CameraStatistics(), fitted: CameraStatistics(), heldOut: CameraStatistics())
        theirs.all.add(frames: real)
        theirs.fitted.add(frames: real[0..<half])
        theirs.heldOut.add(frames: real[half...])
        /// The figures of Paddock's frames against all, the first half and the second half of DeepRacer's.
        func figures(_ paddock: [UInt8]) -> (ours: CameraStatistics, rows: [Double], histograms: [Double]) {
            var all = CameraStatistics()
            var fitted = CameraStatistics()
            var heldOut = CameraStatistics()
            all.add(frames: paddock)
            fitted.add(frames: paddock[0..<half])
            heldOut.add(frames: paddock[half...])
            let pairs = [(all, theirs.all), (fitted, theirs.fitted), (heldOut, theirs.heldOut)]
            return (
                all, pairs.map { $0.rowProfileDifference(to: $1) }, pairs.map { $0.histogramDistance(to: $1) }
            )
        }
        let posed = figures(atPoses)
        let line = figures(alongLine)
        if let png {
            let image = Self.sideBySide(real: real, paddock: atPoses, count: count)
            try AtomicFile.write(PNG.encode(image), to: URL(fileURLWithPath: png))
        }
        func rounded(_ value: Double, _ places: Double = 100) -> Double { (value * places).rounded() / places }
        if json {
            var fields: [(String, JSONValue)] = [("frames", .int(count))]
            for (prefix, set) in [("", posed), ("centre_line_", line)] {
                for (index, suffix) in ["", "_fitted_half", "_held_out_half"].enumerated() {
                    fields.append(("\(prefix)row_profile_difference\(suffix)", .double(rounded(set.rows[index]))))
                    fields.append(("\(prefix)histogram_l1\(suffix)", .double(rounded(set.histograms[index], 1000))))
                }
            }
            fields += [
                ("centre_line_direction", .string(reversed ? "against the waypoints" : "with the waypoints")),
                ("camera_microseconds_per_frame", .double(rounded(microseconds))),
                ("row_profile_paddock", .array(posed.ours.rowProfile.map { .double(rounded($0, 10)) })),
                ("row_profile_deepracer", .array(theirs.all.rowProfile.map { .double(rounded($0, 10)) })),
                ("histogram_paddock", .array(posed.ours.histogram.map { .double(rounded($0, 100_000)) })),
                ("histogram_deepracer", .array(theirs.all.histogram.map { .double(rounded($0, 100_000)) })),
            ]
            print(JSONValue.object(fields).text())
        } else {
            print(
                "Paddock's camera vs DeepRacer's \(count) frames on reInvent2019 (targets: rows <= 12, histogram <= 0.35):"
            )
            let names = ["all frames", "first half (fitted)", "second half (held out)"]
            let direction =
                reversed ? "against the waypoints, as the episode drove" : "with the waypoints, as the episode drove"
            for (title, set) in [
                ("From the frames' own poses", posed), ("Along the centre line (\(direction))", line),
            ] {
                print("  \(title):")
                for (index, name) in names.enumerated() {
                    print(
                        String(
                            format: "    %@: row-profile difference %.2f gray levels, histogram L1 %.3f", name,
                            set.rows[index], set.histograms[index]))
                }
            }
            print(String(format: "Camera: %.1f µs a frame", microseconds))
            if let png { print("Wrote \(png).") }
        }
    }

    /// Reads the camera poses of DeepRacer's frames (CSV with a header: frame, camera_x, camera_y,
    /// yaw, then anything) as the cars whose front camera stands there; one row per frame.
    static func readPoses(_ path: String, count: Int) throws -> [CarState] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError(
                "No camera poses at \(path): give --poses a CSV with a header and rows frame,camera_x,camera_y,yaw.")
        }
        var cars: [CarState] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated().dropFirst() {
            let values = line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count >= 4, let frame = values[0], Int(frame) == cars.count,
                let x = values[1], let y = values[2], let yaw = values[3], x.isFinite, y.isFinite, yaw.isFinite
            else {
                throw ValidationError(
                    "\(path), line \(number + 1): expected frame \(cars.count),camera_x,camera_y,yaw as numbers.")
            }
            cars.append(CameraStatistics.car(cameraAt: Vector2(x, y), yaw: yaw))
        }
        guard cars.count == count else {
            throw ValidationError("\(path) has poses for \(cars.count) frames; the frames file has \(count).")
        }
        return cars
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

    /// Four of DeepRacer's frames (top) over Paddock's frames from the same poses (bottom),
    /// three times their size.
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
        "grass", "grass-texture", "road", "road-texture", "border", "border-texture", "centre-line", "walls",
        "wall-gradient", "sky", "margin",
        "wall-height", "border-width", "centre-width", "dash", "gap",
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
            case "grass-texture": palette.floorTexture = value
            case "border-texture": palette.borderTexture = value
            case "road": palette.road = value
            case "road-texture": palette.roadTexture = value
            case "border": palette.border = value
            case "centre-line": palette.centreLine = value
            case "walls": palette.walls = values
            case "wall-gradient": palette.wallGradient = value
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
