import Foundation
import Testing

@Suite struct AppCommandTests {
    /// With no display, `paddock` says so and lists what works without one.
    @Test func noArgumentsWithoutADisplayExplainsAndListsHeadlessCommands() throws {
        let home = PaddockRunner.temporaryFile("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try PaddockRunner.run(
            [], environment: ["DISPLAY": "", "WAYLAND_DISPLAY": "", "PADDOCK_HOME": home.path])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("needs a display"))
        #expect(output.standardOutput.contains("paddock app --screenshot"))
        #expect(output.standardOutput.contains("xvfb-run"))
    }

    @Test func screenshotWritesAPictureOfAStepWithoutTouchingProgress() throws {
        let home = PaddockRunner.temporaryFile("home")
        let png = PaddockRunner.temporaryFile("step.png")
        defer {
            try? FileManager.default.removeItem(at: home)
            try? FileManager.default.removeItem(at: png)
        }
        let output = try PaddockRunner.run(
            ["app", "--screenshot", png.path, "--lesson", "3", "--step", "2", "--size", "1024x640"],
            environment: ["PADDOCK_HOME": home.path, "SDL_VIDEODRIVER": "offscreen"])
        #expect(output.status == 0, "\(output.standardError)")
        let bytes = try [UInt8](Data(contentsOf: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // Width and height from the IHDR chunk.
        #expect(bytes[16..<20].reduce(0) { $0 << 8 | Int($1) } == 1024)
        #expect(bytes[20..<24].reduce(0) { $0 << 8 | Int($1) } == 640)
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("progress.json").path))
    }

    @Test func screenshotRejectsAStepThatDoesNotExist() throws {
        let output = try PaddockRunner.run(["app", "--screenshot", "/tmp/x.png", "--lesson", "99"])
        #expect(output.status != 0)
        #expect(output.standardError.contains("there are lessons 1 to"))
    }

    @Test func lessonsCheckAndList() throws {
        let check = try PaddockRunner.run(["lessons", "check"])
        #expect(check.status == 0, "\(check.standardError)")
        #expect(check.standardOutput.contains("all good"))
        let home = PaddockRunner.temporaryFile("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let list = try PaddockRunner.run(["lessons", "list", "--json"], environment: ["PADDOCK_HOME": home.path])
        #expect(list.status == 0, "\(list.standardError)")
        let lessons = try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
        #expect((lessons?.count ?? 0) >= 12)
        #expect(lessons?.first?["id"] as? String == "what_is_rl")
    }

    @Test func lessonsCheckNamesTheFileAndLineOfAMistake() throws {
        let data = PaddockRunner.temporaryFile("data")
        defer { try? FileManager.default.removeItem(at: data) }
        let lessons = data.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        for folder in ["tracks", "assets"] {
            try FileManager.default.createSymbolicLink(
                at: data.appendingPathComponent(folder),
                withDestinationURL: PaddockRunner.repositoryRoot.appendingPathComponent(folder))
        }
        try #"{"version": 1, "lessons": [{"id": "one", "file": "one.md"}]}"#.write(
            to: lessons.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        try
            "# One\n\n## First\n\n```scene\ntrack: the_moon\n```\n\nText.\n\n## Second\n\n```task\ncheck: complete-lap\nhint: h\n```\n\nMore.\n"
            .write(to: lessons.appendingPathComponent("one.md"), atomically: true, encoding: .utf8)
        let output = try PaddockRunner.run(["lessons", "check"], environment: ["PADDOCK_DATA_DIR": data.path])
        #expect(output.status != 0)
        #expect(output.standardError.contains("lessons/one.md:6: no track called 'the_moon'"))
    }
}
