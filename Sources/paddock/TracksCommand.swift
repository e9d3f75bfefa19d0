import ArgumentParser
import Assets
import Foundation
import Imaging
import Simulator

/// `paddock tracks`: list, draw and rebuild tracks.
struct TracksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracks",
        abstract: "List Paddock's tracks, draw one, or rebuild them from their designs.",
        subcommands: [ListTracks.self, ShowTrack.self]
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
        print("\("id".padding(toLength: idWidth, withPad: " ", startingAt: 0))  length  width  difficulty    description")
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
    @Option(help: "Pixels per metre.") var scale = 120.0
    @Flag(help: "Leave out the waypoint numbers.") var noNumbers = false

    func validate() throws {
        guard scale >= 20, scale <= 1000 else { throw ValidationError("--scale must be between 20 and 1000 pixels per metre.") }
    }

    func run() throws {
        let loaded = try TrackCatalog.standard().track(named: track)
        let canvas = TrackPicture(track: loaded, pixelsPerMetre: scale).draw(showWaypointNumbers: !noNumbers)
        try AtomicFile.write(PNG.encode(canvas), to: URL(fileURLWithPath: png))
        print("Wrote \(png) (\(canvas.width)x\(canvas.height)): \(loaded.id), \(String(format: "%.2f", loaded.length)) m.")
    }
}
