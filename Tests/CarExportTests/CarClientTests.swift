import Foundation
import PaddockTestSupport
import Testing

@testable import CarExport

#if canImport(Glibc)
    import Glibc
#endif

/// The stand-in car (scripts/checks/stand_in_car.py): the device console's protocol over HTTPS
/// with a self-signed certificate, on 127.0.0.1.
final class StandInCar {
    let process = Process()
    let directory: URL
    let port: Int

    init(password: String, options: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-car-\(UUID().uuidString)")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments =
            [
                RepositoryPaths.root.appendingPathComponent("scripts/checks/stand_in_car.py").path, directory.path,
                password,
            ]
            + options
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The server prints its port; a file (not a pipe) keeps its output from ever blocking it.
        let portFile = directory.appendingPathComponent("port.json")
        FileManager.default.createFile(atPath: portFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: portFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<200 where found == nil {
            Thread.sleep(forTimeInterval: 0.05)
            if let data = FileManager.default.contents(atPath: portFile.path), data.contains(UInt8(ascii: "\n")),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int]
            {
                found = object["port"]
            }
        }
        port = try #require(found, "the stand-in car did not start")
    }

    var host: String { "127.0.0.1:\(port)" }

    /// The requests the car saw, one JSON object each.
    var requests: [[String: Any]] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("requests.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    deinit {
        // Signal and reap directly: Foundation's waitUntilExit needs a run loop the test
        // threads do not run.
        let pid = process.processIdentifier
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite(.serialized) struct CarClientTests {
    static func archive() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-\(UUID().uuidString.prefix(8))/my_car.tar.gz")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let archive = TarArchive(entries: [
            .init(path: "model_metadata.json", contents: Data("{}".utf8)),
            .init(path: "agent/model.pb", contents: Data([1, 2, 3])),
        ])
        try archive.gzipData().write(to: url)
        return url
    }

    @Test func uploadsConfirmsLoadsAndSetsTheThrottle() throws {
        let car = try StandInCar(password: "s3cret pass")
        let client = try CarClient(host: car.host)
        client.pollInterval = 0.05
        try client.login(password: "s3cret pass")
        let archive = try Self.archive()
        let name = try client.upload(archive: archive)
        #expect(name == "my_car")
        #expect(try client.installedModels().contains("my_car"))
        try client.load(model: name)
        try client.setThrottle(30)
        let requests = car.requests
        #expect(requests.contains { $0["uploaded"] as? String == "my_car" && ($0["bytes"] as? Int ?? 0) > 0 })
        #expect(requests.contains { $0["drive_mode"] as? String == "auto" })
        #expect(requests.contains { $0["load"] as? String == "my_car" && $0["mode"] as? String == "auto" })
        #expect(requests.contains { $0["throttle"] as? Int == 30 })
    }

    @Test func aWrongPasswordIsSaidPlainly() throws {
        let car = try StandInCar(password: "right")
        let client = try CarClient(host: car.host)
        #expect(throws: CarClientError.wrongPassword(host: car.host)) { try client.login(password: "wrong") }
        // Nothing under /api works without the login.
        #expect(throws: CarClientError.self) { try client.installedModels() }
    }

    @Test func anUnreachableCarIsSaidPlainly() throws {
        let client = try CarClient(host: "127.0.0.1:1")
        do {
            try client.login(password: "x")
            Issue.record("expected an error")
        } catch {
            guard case .unreachable = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(error.description.contains("same Wi-Fi network"))
        }
    }

    @Test func aFailedLoadAndAMissingInstallAreReported() throws {
        let failing = try StandInCar(password: "p", options: ["--fail-load"])
        let client = try CarClient(host: failing.host)
        client.pollInterval = 0.05
        try client.login(password: "p")
        let name = try client.upload(archive: Self.archive())
        #expect {
            try client.load(model: name)
        } throws: { error in
            guard case .loadFailed(let model, _) = error as? CarClientError else { return false }
            return model == "my_car"
        }

        let dropping = try StandInCar(password: "p", options: ["--drop-uploads"])
        let second = try CarClient(host: dropping.host)
        try second.login(password: "p")
        #expect(throws: CarClientError.notInstalled(model: "my_car")) { try second.upload(archive: Self.archive()) }
    }

    @Test func findsTheTokenAndTheModelNames() {
        #expect(CarClient.csrfToken(in: #"<head><meta name="csrf-token" content="abc123"></head>"#) == "abc123")
        #expect(CarClient.csrfToken(in: "<html></html>") == nil)
        let names = CarClient.modelNames(
            in:
                #"{"models": [{"model_folder_name": "a", "model_sensors": ["FRONT_FACING_CAMERA"]}, {"model_folder_name": "b"}]}"#
        )
        #expect(names.contains("a") && names.contains("b"))
    }
}
