import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import NeuralNetwork
import PaddockTestSupport
import Testing
import WorkshopTestSupport

@testable import Assets
@testable import CarExport
@testable import Workshop

func body(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
}

func decode(_ response: TestResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]) ?? [:]
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

/// The headers of a submission sent as `WorkshopClient` sends it: the archive as the body, the
/// reward function base64 in `X-Reward-Function`.
func submitting(_ token: String?, reward: String? = nil, type: String = "application/gzip") -> HTTPFields {
    var fields: HTTPFields = [.contentType: type]
    if let token { fields[.authorization] = "Bearer \(token)" }
    if let reward, let name = HTTPFields.Element.Name(WorkshopServer.rewardFunctionHeader) { fields[name] = reward }
    return fields
}

@Suite(.serialized) struct WorkshopServerTests {
    @Test func joiningNeedsTheCodeAndPacingFollowsTheInstructor() async throws {
        let host = try TestHost()
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
        let host = try TestHost()
        let app = Application(router: host.server.router())
        let archive = try archiveData()
        let reward = "def reward_function(params):\n    # π: any UTF-8 text\n    return 1.0\n"
        // Archives the car or Paddock would refuse, made from the good one.
        let good = try TarArchive.readGzip(archive, path: "good")
        func changed(_ change: (inout [TarArchive.Entry]) -> Void) throws -> Data {
            var entries = good.entries
            change(&entries)
            return try TarArchive(entries: entries).gzipData()
        }
        let escaping = try changed { $0.append(.init(path: "../agent/other.json", contents: Data("{}".utf8))) }
        let noMetadata = try changed { $0.removeAll { $0.path == "model_metadata.json" } }
        let badGraph = try changed { entries in
            for index in entries.indices where entries[index].path == "agent/model.pb" {
                entries[index].contents = Data([0xFF, 0xFF, 0xFF, 0xFF])
            }
        }
        try await app.test(.router) { client in
            var tokens: [String] = []
            for name in ["Ada", "Grace"] {
                try await client.execute(
                    uri: "/api/join", method: .post, body: body(["code": host.code, "name": name])
                ) {
                    tokens.append(decode($0)["token"] as? String ?? "")
                }
            }
            // Refused with a reason, and nothing stored: not gzip, cut short, a path out of the
            // folder, the car loader's rules, a graph Paddock cannot run, an empty body, a reward
            // header that is not base64 text, a reward function too long, an unknown body type.
            let tooLongReward = Data(String(repeating: "#", count: WorkshopServer.maximumRewardBytes + 1).utf8)
            let refusals: [(Data, HTTPFields, HTTPResponse.Status, String)] = [
                (Data("hello".utf8), submitting(tokens[0]), .badRequest, "tar.gz"),
                (archive.prefix(archive.count / 2), submitting(tokens[0]), .badRequest, "cut short"),
                (escaping, submitting(tokens[0]), .badRequest, "outside the archive"),
                (noMetadata, submitting(tokens[0]), .badRequest, "no model_metadata.json"),
                (badGraph, submitting(tokens[0]), .badRequest, "not a graph Paddock can run"),
                (Data(), submitting(tokens[0]), .badRequest, "as the request body"),
                (archive, submitting(tokens[0], reward: "%%%"), .badRequest, "X-Reward-Function"),
                (
                    archive, submitting(tokens[0], reward: tooLongReward.base64EncodedString()), .badRequest,
                    "X-Reward-Function"
                ),
                (archive, submitting(tokens[0], type: "text/plain"), .unsupportedMediaType, "application/gzip"),
                (
                    Data(count: WorkshopServer.maximumSubmissionBytes + 1), submitting(tokens[0]), .contentTooLarge,
                    "over 64 MB"
                ),
            ]
            for (payload, headers, status, expected) in refusals {
                try await client.execute(
                    uri: "/api/submissions", method: .post, headers: headers, body: ByteBuffer(bytes: payload)
                ) { response in
                    #expect(response.status == status, "\(expected): \(decode(response))")
                    #expect((decode(response)["error"] as? String)?.contains(expected) == true, "\(decode(response))")
                }
            }
            // No token, or one that is not this workshop's.
            for headers in [submitting(nil), submitting(String(repeating: "0", count: 64))] {
                try await client.execute(
                    uri: "/api/submissions", method: .post, headers: headers, body: ByteBuffer(bytes: archive)
                ) {
                    #expect($0.status == .unauthorized)
                    #expect((decode($0)["error"] as? String)?.contains("Join the workshop") == true)
                }
            }
            // The first form (JSON, the archive base64) is still refused the same way.
            try await client.execute(
                uri: "/api/submissions", method: .post, headers: bearer(tokens[0]), body: body(["archive": "%%%"])
            ) { response in
                #expect(response.status == .badRequest)
                #expect((decode(response)["error"] as? String)?.contains("base64") == true, "\(decode(response))")
            }
            #expect(try host.server.store.submissions().isEmpty)

            // Ada sends the first form, Grace the archive as the body.
            try await client.execute(
                uri: "/api/submissions", method: .post, headers: bearer(tokens[0]),
                body: body(["archive": archive.base64EncodedString(), "reward_function": reward])
            ) { response in #expect(response.status == .accepted) }
            try await client.execute(
                uri: "/api/submissions", method: .post,
                headers: submitting(tokens[1], reward: Data(reward.utf8).base64EncodedString()),
                body: ByteBuffer(bytes: archive)
            ) { response in
                #expect(response.status == .accepted)
                #expect(decode(response)["status"] as? String == "queued")
            }
            let stored = try host.server.store.submissions()
            #expect(stored.map(\.rewardFunction) == [reward, reward])
            #expect(stored.map(\.archive) == [archive, archive])
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
        defer {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(at: URL(fileURLWithPath: file.path + suffix))
            }
        }
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
        let host = try TestHost()
        // One lap keeps the evaluation the test waits for short.
        _ = try host.server.store.updateInfo { $0.raceLaps = 1 }
        let app = Application(
            router: host.server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let archive = try archiveData()
        let reward = "def reward_function(params):\n    # π: any UTF-8 text\n    return 1.0\n"
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
                // A reward function too long for the header is refused before anything is sent.
                let long = String(repeating: "#", count: WorkshopServer.maximumRewardBytes + 1)
                #expect(throws: WorkshopError.self) { _ = try student.submit(archive: archive, rewardFunction: long) }
                // The largest one allowed still fits the host's headers.
                let largest = "# π\n" + String(repeating: "#", count: WorkshopServer.maximumRewardBytes - 5)
                #expect(largest.utf8.count == WorkshopServer.maximumRewardBytes)
                #expect(try student.submit(archive: archive, rewardFunction: largest) > 0)
                #expect(try student.submit(archive: archive, rewardFunction: reward) > 0)
            }
            #expect(try host.server.store.students().first?.step == 4)
            let stored = try host.server.store.submissions()
            #expect(stored.map(\.rewardFunction.utf8.count) == [WorkshopServer.maximumRewardBytes, reward.utf8.count])
            #expect(stored.last?.rewardFunction == reward)
            #expect(stored.last?.archive == archive)
            try await blocking { host.server.evaluator.stop() }
        }
        let unreachable = WorkshopClient(address: "127.0.0.1:1")
        #expect(throws: WorkshopError.self) { _ = try unreachable.join(code: "A", name: "B") }
    }
}
