import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralNetwork
import PaddockTestSupport
import Testing
import Training

@testable import Assets
@testable import CarExport
@testable import Workshop

/// A workshop host in memory, its routes driven without a socket.
struct Host {
    let server: WorkshopServer
    let directory: URL

    init(file: URL? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-ws-\(UUID().uuidString)")
        let store = try WorkshopStore(url: file, title: "Test workshop")
        let catalog = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
        server = WorkshopServer(
            store: store, evaluator: SubmissionEvaluator(store: store, catalog: catalog, scratch: directory),
            catalog: catalog)
    }

    var code: String { (try? server.store.info().joinCode) ?? "" }
    var instructor: String { (try? server.store.info().instructorToken) ?? "" }
}

func body(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
}

func decode(_ response: TestResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]) ?? [:]
}

/// Runs blocking work (URLSession waits, evaluations) on a GCD thread: the Swift concurrency
/// pool is small here and also runs the server's handlers.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

/// A small trained-shape model's car archive, base64.
func archiveBase64() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "paddock-ws-model-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let settings = TrainingSettings()
    var random = NetworkRandom(seed: 4)
    let learner = Learner.make(settings: settings, random: &random)
    let folder = try ModelFolder(name: "m", in: directory)
    try folder.writeDescription(ModelDescription(track: "beginner_loop", settings: settings), rewardSource: "")
    try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
    return try CarArchive.make(folder: folder).gzipData().base64EncodedString()
}

@Suite(.serialized) struct WorkshopServerTests {
    @Test func joiningNeedsTheCodeAndPacingFollowsTheInstructor() async throws {
        let host = try Host()
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/join", method: .post, body: body(["code": "NOPE00", "name": "Eve"])) {
                response in
                #expect(response.status == .forbidden)
                #expect((decode(response)["error"] as? String)?.contains("join code") == true)
            }
            var token = ""
            try await client.execute(
                uri: "/api/join", method: .post, body: body(["code": host.code.lowercased(), "name": "Ada"])
            ) { response in
                #expect(response.status == .ok)
                token = decode(response)["token"] as? String ?? ""
            }
            #expect(token.count == 64)
            // Only the instructor paces the room.
            try await client.execute(
                uri: "/api/pacing", method: .put, headers: bearer(token), body: body(["lesson": 9])
            ) { response in #expect(response.status == .forbidden) }
            try await client.execute(
                uri: "/api/pacing", method: .put, headers: bearer(host.instructor),
                body: body(["lesson": 8, "step": 2, "self_paced": true])
            ) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/api/pacing", method: .get, headers: bearer(token)) { response in
                let pacing = decode(response)
                #expect(
                    pacing["lesson"] as? Int == 8 && pacing["step"] as? Int == 2
                        && pacing["self_paced"] as? Bool == true)
            }
            // A made-up token is refused; a student's progress reaches the instructor's list.
            try await client.execute(
                uri: "/api/pacing", method: .get, headers: bearer(String(repeating: "0", count: 64))
            ) {
                response in #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/progress", method: .put, headers: bearer(token),
                body: body(["lesson": 8, "step": 3, "training": "training", "best_evaluation": 62.5])
            ) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/api/students", method: .get, headers: bearer(token)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/students", method: .get, headers: bearer(host.instructor)) { response in
                let students = decode(response)["students"] as? [[String: Any]] ?? []
                #expect(students.count == 1)
                #expect(students.first?["name"] as? String == "Ada")
                #expect(students.first?["step"] as? Int == 3)
                #expect(students.first?["best_evaluation"] as? Double == 62.5)
            }
        }
    }

    @Test func submissionsAreCheckedEvaluatedAndRanked() async throws {
        let host = try Host()
        let app = Application(router: host.server.router())
        let archive = try archiveBase64()
        try await app.test(.router) { client in
            var tokens: [String] = []
            for name in ["Ada", "Grace"] {
                try await client.execute(
                    uri: "/api/join", method: .post, body: body(["code": host.code, "name": name])
                ) {
                    tokens.append(decode($0)["token"] as? String ?? "")
                }
            }
            // Refused, and nothing stored: not base64, not gzip, a path out of the folder, no token.
            let escaping = try TarArchive(entries: [
                .init(path: "model_metadata.json", contents: Data("{}".utf8)),
                .init(path: "../agent/model.pb", contents: Data([1])),
            ]).gzipData().base64EncodedString()
            for (payload, expected) in [
                ("%%%", "base64"), (Data("hello".utf8).base64EncodedString(), "tar.gz"),
                (escaping, "outside the archive"),
            ] {
                try await client.execute(
                    uri: "/api/submissions", method: .post, headers: bearer(tokens[0]), body: body(["archive": payload])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect((decode(response)["error"] as? String)?.contains(expected) == true, "\(decode(response))")
                }
            }
            try await client.execute(uri: "/api/submissions", method: .post, body: body(["archive": archive])) {
                #expect($0.status == .unauthorized)
            }
            #expect(try host.server.store.submissions().isEmpty)

            for token in tokens {
                try await client.execute(
                    uri: "/api/submissions", method: .post, headers: bearer(token),
                    body: body([
                        "archive": archive, "reward_function": "def reward_function(params):\n    return 1.0\n",
                    ])
                ) { response in #expect(response.status == .accepted) }
            }
            try await blocking { host.server.evaluator.drain() }
            try await client.execute(uri: "/leaderboard.json", method: .get) { response in
                let board = decode(response)
                let rows = board["rows"] as? [[String: Any]] ?? []
                #expect(rows.count == 2)
                #expect(rows.map { $0["rank"] as? Int } == [1, 2])
                #expect(rows.allSatisfy { $0["status"] as? String == "done" && $0["laps"] as? Int == 3 })
            }
            try await client.execute(uri: "/api/submissions/mine", method: .get, headers: bearer(tokens[1])) {
                response in
                let mine = decode(response)["submissions"] as? [[String: Any]] ?? []
                #expect(mine.count == 1)
                #expect(mine.first?["status"] as? String == "done")
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body).contains("/leaderboard.json"))
            }
        }
    }

    @Test func aRestartedHostLosesNothing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-ws-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: file) }
        let first = try WorkshopStore(url: file, title: "Room 4")
        let (_, token) = try first.join(name: "Ada")
        _ = try first.updateInfo { $0.lesson = 5 }
        let code = try first.info().joinCode
        let again = try WorkshopStore(url: file, title: "ignored: the workshop exists")
        #expect(try again.info().joinCode == code)
        #expect(try again.info().title == "Room 4")
        #expect(try again.info().lesson == 5)
        #expect(try again.student(token: token)?.name == "Ada")
    }
}

@Suite(.serialized) struct WorkshopClientTests {
    /// The student's client against a live host on loopback: a wrong code, joining, following
    /// the pacing, reporting progress and submitting.
    @Test func aStudentJoinsFollowsAndSubmits() async throws {
        let host = try Host()
        // One lap keeps the evaluation the test waits for short.
        _ = try host.server.store.updateInfo { $0.raceLaps = 1 }
        let app = Application(
            router: host.server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let archive = try Data(base64Encoded: archiveBase64()) ?? Data()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let student = WorkshopClient(address: "127.0.0.1:\(port)")
            let code = host.code
            let instructor = host.instructor
            try await blocking {
                #expect(throws: WorkshopError.self) { _ = try student.join(code: "XXXXXX", name: "Ada") }
                _ = try student.join(code: code, name: "Ada")
                #expect(student.title == "Test workshop")
                let pacer = WorkshopClient(address: "127.0.0.1:\(port)")
                pacer.setToken(instructor)
                try pacer.setPacing(lesson: 6, step: 4)
                #expect(try student.pacing() == .init(lesson: 6, step: 4, selfPaced: false))
                try student.report(lesson: 6, step: 4, training: "idle", bestEvaluation: 100)
                #expect(
                    try student.submit(
                        archive: archive, rewardFunction: "def reward_function(params):\n    return 1.0\n") > 0)
            }
            #expect(try host.server.store.students().first?.step == 4)
            #expect(try host.server.store.submissions().count == 1)
            try await blocking { host.server.evaluator.stop() }
        }
        let unreachable = WorkshopClient(address: "127.0.0.1:1")
        #expect(throws: WorkshopError.self) { _ = try unreachable.join(code: "A", name: "B") }
    }
}
