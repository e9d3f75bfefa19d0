import Foundation
import PaddockTestSupport
import Testing

/// End-to-end checks of the `paddock` commands.
@Suite struct CommandLineTests {
    @Test func tracksListJSON() throws {
        let output = try PaddockRunner.run(["tracks", "list", "--json"])
        #expect(output.status == 0, "\(output.standardError)")
        let tracks = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [[String: Any]]
        let ids = Set(tracks?.compactMap { $0["id"] as? String } ?? [])
        #expect(
            ids.isSuperset(of: ["beginner_loop", "s_bend_loop", "technical_circuit", "wide_loop", "short_straight"]))
        for track in tracks ?? [] {
            let length = track["length"] as? Double ?? 0
            let width = track["width"] as? Double ?? 0
            let isLoop = track["is_loop"] as? Bool ?? false
            #expect(!isLoop || (15...40).contains(length), "\(track)")
            #expect((0.76...1.07).contains(width), "\(track)")
        }
    }

    @Test func tracksMatchTheirDesigns() throws {
        let output = try PaddockRunner.run(["tracks", "build", "--check"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("match their designs"))
    }

    @Test func paramsPrintsEveryKey() throws {
        let output = try PaddockRunner.run([
            "params", "--track", "beginner_loop", "--x", "2.0", "--y", "0.95", "--heading", "0", "--speed", "1.5",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        let params = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        #expect(params?.count == 26)
        #expect(params?["speed"] as? Double == 1.5)
        #expect(params?["x"] as? Double == 2.0)
        #expect((params?["waypoints"] as? [[Double]])?.count == 122)
    }

    @Test func paramsOnADeepRacerTrackFile() throws {
        let shared = RepositoryPaths.sharedData.appendingPathComponent("deepracer-tracks/reinvent_base.npy")
        try #require(FileManager.default.fileExists(atPath: shared.path))
        let output = try PaddockRunner.run([
            "params", "--track", shared.path, "--x", "3.2", "--y", "0.68", "--heading", "0",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        let params = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        // DeepRacer's own log starts this track at (3.1999, 0.6831) with progress 0.7915.
        let progress = params?["progress"] as? Double ?? -1
        #expect(abs(progress - 0.79) < 0.01)
        // The log's closest_waypoint, 1, is the nearer of these two.
        #expect(params?["closest_waypoints"] as? [Int] == [0, 1])
    }

    /// DeepRacer tracks have negative coordinates, and headings and steering go negative: a
    /// negative number is an option's value, not an unknown option.
    @Test func negativeNumbersAreOptionValues() throws {
        let shared = RepositoryPaths.sharedData.appendingPathComponent("deepracer-tracks/reInvent2019_track.npy")
        try #require(FileManager.default.fileExists(atPath: shared.path))
        let output = try PaddockRunner.run([
            "params", "--track", shared.path, "--x", "-0.5", "--y", "2.8", "--heading", "-30", "--steering", "-10",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        let params = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        #expect(params?["x"] as? Double == -0.5)
        #expect(params?["steering_angle"] as? Double == -10)
        #expect(abs((params?["heading"] as? Double ?? 0) + 30) < 1e-9)
    }

    @Test func cameraWritesThe160By120Frame() throws {
        let png = PaddockRunner.temporaryFile("camera.png")
        defer { try? FileManager.default.removeItem(at: png) }
        let output = try PaddockRunner.run([
            "camera", "--track", "beginner_loop", "--x", "2.0", "--y", "0.95", "--heading", "0", "--png", png.path,
        ])
        #expect(output.status == 0, "\(output.standardError)")
        let bytes = [UInt8](try Data(contentsOf: png))
        // PNG signature, then IHDR: width and height big-endian, bit depth 8, colour type 0 (gray).
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes[16..<24]) == [0, 0, 0, 160, 0, 0, 0, 120])
        #expect(bytes[24] == 8 && bytes[25] == 0)
    }

    @Test func stereoAndRandomisedFrames() throws {
        let plain = PaddockRunner.temporaryFile("plain.png")
        let stereo = PaddockRunner.temporaryFile("stereo.png")
        let randomised = PaddockRunner.temporaryFile("randomised.png")
        defer { for url in [plain, stereo, randomised] { try? FileManager.default.removeItem(at: url) } }
        let pose = ["--track", "beginner_loop", "--x", "2.0", "--y", "0.95", "--heading", "0", "--png"]
        #expect(try PaddockRunner.run(["camera"] + pose + [plain.path]).status == 0)
        #expect(try PaddockRunner.run(["camera"] + pose + [stereo.path, "--stereo"]).status == 0)
        #expect(try PaddockRunner.run(["camera"] + pose + [randomised.path, "--randomize-seed", "4"]).status == 0)
        let stereoBytes = [UInt8](try Data(contentsOf: stereo))
        #expect(Array(stereoBytes[16..<24]) == [0, 0, 1, 64, 0, 0, 0, 120])  // 320 x 120
        #expect(try Data(contentsOf: plain) != Data(contentsOf: randomised))
    }

    @Test func tracksShowDrawsAPicture() throws {
        let png = PaddockRunner.temporaryFile("track.png")
        defer { try? FileManager.default.removeItem(at: png) }
        let output = try PaddockRunner.run(["tracks", "show", "s_bend_loop", "--png", png.path, "--scale", "60"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect((try? Data(contentsOf: png).count) ?? 0 > 10_000)
    }

    @Test func badTrackFileGetsAClearMessage() throws {
        let bad = PaddockRunner.temporaryFile("bad.npy")
        try Data("not numpy".utf8).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }
        let output = try PaddockRunner.run(["tracks", "show", bad.path, "--png", "/tmp/never.png"])
        #expect(output.status != 0)
        #expect(output.standardError.contains("not a NumPy .npy file"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.png"))
    }

    @Test func unknownTrackNamesTheKnownOnes() throws {
        let output = try PaddockRunner.run(["params", "--track", "monza", "--x", "0", "--y", "0", "--heading", "0"])
        #expect(output.status != 0)
        #expect(output.standardError.contains("No track called 'monza'"))
        #expect(output.standardError.contains("beginner_loop"))
    }

    @Test func badNumbersAreRefused() throws {
        let output = try PaddockRunner.run([
            "params", "--track", "beginner_loop", "--x", "nan", "--y", "0", "--heading", "0",
        ])
        #expect(output.status != 0)
        #expect(output.standardError.contains("--x must be a finite number"))
    }

    @Test func demoDrivesALap() throws {
        let output = try PaddockRunner.run(["demo", "--track", "beginner_loop", "--playback", "0"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("Lap complete in"))
    }

    @Test func benchSimReportsAFigure() throws {
        let output = try PaddockRunner.run(["bench", "sim", "--steps", "300", "--runs", "1", "--json"])
        #expect(output.status == 0, "\(output.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        #expect((report?["steps_per_second"] as? Double ?? 0) > 0)
    }

    @Test(arguments: [
        [], ["tracks"], ["tracks", "list"], ["tracks", "show"], ["tracks", "build"], ["params"], ["camera"], ["bench"],
        ["bench", "sim"], ["bench", "tracks"], ["bench", "app"], ["demo"], ["app"], ["lessons"], ["lessons", "check"],
    ])
    func everyCommandHasHelp(_ command: [String]) throws {
        let output = try PaddockRunner.run(command + ["--help"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("USAGE:"))
    }
}
