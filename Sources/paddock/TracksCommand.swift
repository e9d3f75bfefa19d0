import ArgumentParser
import Assets
import Foundation
import Imaging
import RewardScript
import Simulator

/// `paddock tracks`: list, draw and rebuild tracks.
struct TracksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracks",
        abstract: "List Paddock's tracks, draw one, or rebuild them from their designs.",
        subcommands: [ListTracks.self, ShowTrack.self, RacingLineCommand.self, BuildTracks.self]
    )
}

struct ListTracks: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tracks.")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let catalog = try TrackCatalog.standard()
        if json {
            let items = catalog.entries.map { entry -> JSONValue in
                .object([
                    ("id", .string(entry.id)), ("display_name", .string(entry.displayName)),
                    ("file", .string(catalog.directory.appendingPathComponent(entry.file).path)),
                    ("length", .double(entry.length)), ("width", .double(entry.width)),
                    ("difficulty", .string(entry.difficulty)), ("is_loop", .bool(entry.isLoop)),
                    ("description", .string(entry.description)),
                ])
            }
            print(JSONValue.array(items).text())
            return
        }
        let idWidth = max(catalog.entries.map(\.id.count).max() ?? 2, 2)
        print(
            "\("id".padding(toLength: idWidth, withPad: " ", startingAt: 0))  length  width  difficulty    description")
        for entry in catalog.entries {
            print(
                "\(entry.id.padding(toLength: idWidth, withPad: " ", startingAt: 0))  "
                    + String(format: "%5.2fm  %4.2fm  ", entry.length, entry.width)
                    + "\(entry.difficulty.padding(toLength: 12, withPad: " ", startingAt: 0))  \(entry.description)")
        }
        print("\nAny DeepRacer track file works too: pass its path, e.g. --track ~/tracks/reinvent_base.npy")
    }
}

struct ShowTrack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Draw a track from above to a PNG: borders, centre line, start line, direction, waypoint numbers."
    )

    @Argument(help: "A track id or the path of a DeepRacer .npy file.") var track: String
    @Option(help: "Where to write the PNG.") var png: String
    @Option(parsing: .unconditional, help: "Pixels per metre.") var scale = 120.0
    @Flag(help: "Leave out the waypoint numbers.") var noNumbers = false

    func validate() throws {
        guard scale >= 20, scale <= 1000 else {
            throw ValidationError("--scale must be between 20 and 1000 pixels per metre.")
        }
    }

    func run() throws {
        let loaded = try TrackCatalog.standard().track(named: track)
        let canvas = TrackPicture(track: loaded, pixelsPerMetre: scale).draw(showWaypointNumbers: !noNumbers)
        try AtomicFile.write(PNG.encode(canvas), to: URL(fileURLWithPath: png))
        print(
            "Wrote \(png) (\(canvas.width)x\(canvas.height)): \(loaded.id), \(String(format: "%.2f", loaded.length)) m."
        )
    }
}

struct RacingLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "racing-line",
        abstract: "Compute a racing line for a track and print a reward function that follows it.",
        discussion: """
            The line is the smoothest path that keeps the car 0.15 m inside the borders (its summed \
            squared curvature is minimised). The reward function has the line's points in it, as \
            DeepRacer racers paste racing lines into the console.
            """)

    @Argument(help: "A track id or the path of a DeepRacer .npy file.") var track: String
    @Option(help: "Also draw the track with the racing line to this PNG.") var png: String?

    func run() throws {
        let loaded = try TrackCatalog.standard().track(named: track)
        let line = loaded.racingLine()
        print(RacingLineReward.source(track: loaded.id, line: line), terminator: "")
        guard let png else { return }
        let picture = TrackPicture(track: loaded, pixelsPerMetre: 120)
        var canvas = picture.draw(
            showWaypointNumbers: false,
            caption: String(
                format: "%@: racing line %.2f m long (centre line %.2f m)", loaded.id, Self.length(line, loaded.isLoop),
                loaded.length))
        canvas.strokePolyline(
            (loaded.isLoop ? line + [line[0]] : line).map(picture.pixel), width: 3,
            color: RGBColor(red: 181, green: 23, blue: 158))
        try AtomicFile.write(PNG.encode(canvas), to: URL(fileURLWithPath: png))
        FileHandle.standardError.write(Data("Wrote \(png).\n".utf8))
    }

    static func length(_ line: [Vector2], _ closed: Bool) -> Double {
        var total = 0.0
        for i in 1..<line.count { total += (line[i] - line[i - 1]).length }
        if closed, let first = line.first, let last = line.last { total += (first - last).length }
        return total
    }
}

struct BuildTracks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Regenerate Paddock's track files from tracks/designs.json.",
        discussion: """
            Each design's control points become a smooth centre line with borders, checked for \
            tight corners and crossings, and saved as a DeepRacer .npy file; tracks/index.json lists \
            them. To design a new track, add an entry to designs.json and run this command.
            """
    )

    @Flag(help: "Only check that the files match the designs; change nothing.") var check = false

    func run() throws {
        let folder = try DataDirectory.locate().tracksDirectory
        let designsURL = folder.appendingPathComponent("designs.json")
        let data: Data
        do {
            data = try Data(contentsOf: designsURL)
        } catch {
            throw AssetsError.unreadable(path: designsURL.path, reason: error.localizedDescription)
        }
        let designs: [TrackDesign]
        do {
            designs = try JSONDecoder().decode([TrackDesign].self, from: data)
        } catch {
            throw ValidationError("\(designsURL.path): not a list of track designs (\(error)).")
        }
        let (manifest, tracks) = try TrackManifest.build(from: designs, source: designsURL.path)
        var outputs: [(URL, [UInt8])] = zip(designs, tracks).map { design, track in
            (folder.appendingPathComponent(design.fileName), track.numpyArray.encoded())
        }
        outputs.append((folder.appendingPathComponent("index.json"), Array(manifest.jsonText().utf8)))
        var stale: [String] = []
        for (url, bytes) in outputs {
            let current = (try? Data(contentsOf: url)).map { [UInt8]($0) }
            if current == bytes { continue }
            stale.append(url.lastPathComponent)
            if !check { try AtomicFile.write(bytes, to: url) }
        }
        if check {
            if stale.isEmpty {
                print("All \(tracks.count) tracks match their designs.")
            } else {
                throw ValidationError("Out of date: \(stale.joined(separator: ", ")). Run 'paddock tracks build'.")
            }
        } else {
            print(
                stale.isEmpty
                    ? "All \(tracks.count) tracks were already up to date." : "Wrote \(stale.joined(separator: ", ")).")
        }
    }
}
