import Foundation
import PaddockTestSupport
import Testing

@testable import Assets
@testable import Simulator

@Suite struct AssetsTests {
    static let root = RepositoryPaths.root

    @Test func locatesTheDataFolderFromTheEnvironment() throws {
        let found = try DataDirectory.locate(environment: ["PADDOCK_DATA_DIR": Self.root.path])
        #expect(found.root.standardizedFileURL.path == Self.root.standardizedFileURL.path)
    }

    @Test func catalogLoadsEveryTrackItLists() throws {
        let catalog = try TrackCatalog(directory: Self.root.appendingPathComponent("tracks"))
        #expect(catalog.entries.count >= 5)
        for entry in catalog.entries {
            let track = try catalog.track(named: entry.id)
            #expect(abs(track.length - entry.length) < 0.01, "\(entry.id)")
            #expect(track.isLoop == entry.isLoop)
        }
    }

    @Test func unknownTrackSaysWhatExists() throws {
        let catalog = try TrackCatalog(directory: Self.root.appendingPathComponent("tracks"))
        #expect(throws: AssetsError.self) { try catalog.track(named: "nowhere") }
        do {
            _ = try catalog.track(named: "nowhere")
        } catch let error as AssetsError {
            #expect(error.description.contains("beginner_loop"))
        }
    }

    @Test func damagedManifestIsReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{\"tracks\": [{\"id\": 3}]}".utf8).write(to: folder.appendingPathComponent("index.json"))
        do {
            _ = try TrackCatalog(directory: folder)
            Issue.record("a damaged manifest loaded")
        } catch {
            #expect(error.description.contains("the track list is damaged"))
        }
    }

    @Test func atomicWriteReplacesWholeFilesAndLeavesNoTemporaries() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nested/out.txt")
        try AtomicFile.write("first", to: file)
        try AtomicFile.write("second", to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(leftovers == ["out.txt"])
    }

    @Test func unwritablePlaceIsReported() {
        #expect(throws: AssetsError.self) {
            try AtomicFile.write("x", to: URL(fileURLWithPath: "/proc/paddock/out.txt"))
        }
    }
}
