import Foundation
import Hummingbird
import HummingbirdTesting
import PaddockTestSupport
import Testing
import Training

@testable import CarExport
@testable import Workshop

#if canImport(Glibc)
    import Glibc
#endif

/// Submissions a hostile or clumsy student might send: each is refused or fails with a message,
/// the host stays up, and another student's good model is still raced.
@Suite(.serialized) struct HostileSubmissionTests {
    static let input = CarGraphNames.input(algorithm: .ppo, sensor: .frontFacingCamera)
    static let output = CarGraphNames.output(algorithm: .ppo)

    /// The good test archive with `graph` as its agent/model.pb.
    static func archive(_ graph: GraphBuilder) throws -> Data {
        var contents = try TarArchive.readGzip(try archiveData(), path: "test")
        let index = try #require(contents.entries.firstIndex { $0.path == "agent/model.pb" })
        contents.entries[index].contents = try graph.graph.serializedData()
        return try contents.gzipData()
    }

    /// A graph within every bound of the interpreter that makes four 256 MB tensors a frame: more
    /// than a race with a 1 GB address-space limit may hold, so the race's process dies.
    static func hungryArchive() throws -> Data {
        var g = GraphBuilder()
        _ = g.placeholder(input, shape: [-1, 120, 160, 1])
        let column = g.filledConstant("column", 1, shape: [8192, 1])
        let row = g.filledConstant("row", 1, shape: [1, 8192])
        var sum = g.addV2("sum0", column, row)
        for k in 1..<4 { sum = g.addV2("sum\(k)", sum, row) }
        _ = g.softmax(output, sum)
        return try archive(g)
    }

    /// A graph that runs correctly but slowly: 400 products of a 2048 x 2048 matrix a step
    /// (about 0.1 s a frame on one core), so a lap would take many minutes.
    static func slowArchive() throws -> Data {
        var g = GraphBuilder()
        var last = g.reshape(
            "flat", g.placeholder(input, shape: [-1, 120, 160, 1]), g.integerConstant("shape", [1, 19_200]))
        last = g.matMul("h0", last, g.filledConstant("first", 1e-5, shape: [19_200, 2048]))
        let square = g.filledConstant("square", 1e-4, shape: [2048, 2048])
        for k in 1...400 { last = g.matMul("h\(k)", last, square) }
        let actions = TrainingSettings().actionSpace.outputCount
        let logits = g.matMul("logits", last, g.filledConstant("last", 1e-3, shape: [2048, actions]))
        _ = g.softmax(output, logits)
        return try archive(g)
    }

    /// Joins `names` and sends each archive as that student's submission; returns their tokens.
    static func submit(_ archives: [(name: String, archive: Data)], to host: Host, client: some TestClientProtocol)
        async throws -> [String]
    {
        var tokens: [String] = []
        for (name, archive) in archives {
            var token = ""
            try await client.execute(
                uri: "/api/join", method: .post, body: body(["code": host.code, "name": name])
            ) { response in token = decode(response)["token"] as? String ?? "" }
            try await client.execute(
                uri: "/api/submissions", method: .post, headers: submitting(token), body: ByteBuffer(bytes: archive)
            ) { response in #expect(response.status == .accepted, "\(name): \(decode(response))") }
            tokens.append(token)
        }
        return tokens
    }

    @Test func aGraphThatCrashesItsRaceFailsWithAMessageAndTheNextModelStillRaces() async throws {
        let host = try Host(limits: SubmissionProcess.Limits(addressSpaceBytes: 1 << 30))
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            _ = try await Self.submit(
                [("Mallory", try Self.hungryArchive()), ("Ada", try archiveData())], to: host, client: client)
            try await blocking { host.server.evaluator.drain() }
            let stored = try host.server.store.submissions()
            #expect(stored.map(\.status) == ["failed", "done"], "\(stored.map(\.message))")
            #expect(stored[0].message.contains("crashed the race"), "\(stored[0].message)")
            #expect(stored[0].message.contains("paddock import"))
            #expect(stored[1].message.contains("laps complete"))
            // The host answers as before.
            try await client.execute(uri: "/leaderboard.json", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// Two nodes that feed each other: it decoded and named only known ops, so it was accepted,
    /// and its first run overflowed the host's stack.
    @Test func aGraphWithACycleIsRefusedAndNothingIsStored() async throws {
        var g = GraphBuilder()
        _ = g.placeholder(Self.input, shape: [-1, 120, 160, 1])
        _ = g.identity("a", "b")
        _ = g.identity("b", "a")
        _ = g.softmax(Self.output, "a")
        let archive = try Self.archive(g)
        let host = try Host()
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            var token = ""
            try await client.execute(
                uri: "/api/join", method: .post, body: body(["code": host.code, "name": "Trudy"])
            ) { response in token = decode(response)["token"] as? String ?? "" }
            try await client.execute(
                uri: "/api/submissions", method: .post, headers: submitting(token), body: ByteBuffer(bytes: archive)
            ) { response in
                #expect(response.status == .badRequest)
                #expect((decode(response)["error"] as? String)?.contains("cycle") == true, "\(decode(response))")
            }
            #expect(try host.server.store.submissions().isEmpty)
        }
    }

    @Test func aSlowGraphIsStoppedAtTheWallTimeLimit() async throws {
        // Long enough for a good model's one lap (a debug build races it in about 5 s here, with
        // other tests running beside it up to 15 s).
        let host = try Host(limits: SubmissionProcess.Limits(wallSeconds: 30))
        _ = try host.server.store.updateInfo { $0.raceLaps = 1 }
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            _ = try await Self.submit(
                [("Slow", try Self.slowArchive()), ("Ada", try archiveData())], to: host, client: client)
            let start = ContinuousClock.now
            try await blocking { host.server.evaluator.drain() }
            let stored = try host.server.store.submissions()
            #expect(stored.map(\.status) == ["failed", "done"], "\(stored.map(\.message))")
            #expect(stored.first?.message.contains("longer than 30 s") == true, "\(stored.first?.message ?? "")")
            #expect(ContinuousClock.now - start < .seconds(60))
        }
    }

    @Test func theInstructorCancelsARaceInProgressAndAQueuedOne() async throws {
        let host = try Host(limits: SubmissionProcess.Limits(wallSeconds: 60))
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            let tokens = try await Self.submit(
                [("Slow", try Self.slowArchive()), ("Later", try archiveData())], to: host, client: client)
            let ids = try host.server.store.submissions().compactMap(\.id)
            func cancel(_ id: Int64) -> ByteBuffer { body(["submission_id": Int(id)]) }
            // A student cannot cancel; the instructor can cancel the queued one.
            try await client.execute(
                uri: "/api/submissions/cancel", method: .post, headers: bearer(tokens[1]),
                body: cancel(ids[1])
            ) { response in #expect(response.status == .forbidden) }
            try await client.execute(
                uri: "/api/submissions/cancel", method: .post, headers: bearer(host.instructor),
                body: cancel(ids[1])
            ) { response in #expect(response.status == .ok, "\(decode(response))") }
            // The slow one is cancelled while it races.
            let evaluator = host.server.evaluator
            let racing = Task.detached { try await blocking { evaluator.drain() } }
            while try host.server.store.submissions(status: "evaluating").isEmpty {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(500))
            try await client.execute(
                uri: "/api/submissions/cancel", method: .post, headers: bearer(host.instructor),
                body: cancel(ids[0])
            ) { response in #expect(response.status == .ok, "\(decode(response))") }
            try await racing.value
            let stored = try host.server.store.submissions()
            #expect(stored.map(\.status) == ["failed", "failed"])
            #expect(stored.allSatisfy { $0.message == "Cancelled by the instructor." }, "\(stored.map(\.message))")
            // Nothing left to cancel.
            try await client.execute(
                uri: "/api/submissions/cancel", method: .post, headers: bearer(host.instructor),
                body: cancel(ids[0])
            ) { response in #expect(response.status == .conflict) }
        }
    }

    @Test func aRaceChangedDuringAnEvaluationRacesItAgain() async throws {
        let host = try Host(limits: SubmissionProcess.Limits(wallSeconds: 2))
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            // This test races the submission itself, on its own clock.
            host.server.evaluator.stop()
            _ = try await Self.submit([("Slow", try Self.slowArchive())], to: host, client: client)
            let claimed = try #require(try host.server.store.claimNextQueued())
            let evaluator = host.server.evaluator
            let racing = Task.detached { try await blocking { evaluator.evaluate(claimed) } }
            try await Task.sleep(for: .milliseconds(300))
            // The instructor's change also puts the latest submissions back in the queue.
            _ = try host.server.store.updateInfo { $0.raceLaps = 1 }
            try await racing.value
            let stored = try #require(try host.server.store.submissions().first)
            #expect(stored.status == "queued", "\(stored.message)")
            #expect(stored.message == "waiting to race on the new track")
            #expect(stored.trials == "[]")
        }
    }

    @Test func aTarHeaderWithANegativeSizeIsRefused() async throws {
        // A plain tar whose first header claims size -1 (checksum fixed up): it trapped the reader.
        var tar = [UInt8](try TarArchive.readGzip(try archiveData(), path: "test").tarData())
        let size = Array("-1".utf8) + [UInt8](repeating: 0x20, count: 9) + [0]
        tar.replaceSubrange(124..<136, with: size)
        tar.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
        let sum = String(tar[0..<512].reduce(0) { $0 + Int($1) }, radix: 8)
        let field = Array(String(repeating: "0", count: 6 - sum.count).utf8) + Array(sum.utf8) + [0, 0x20]
        tar.replaceSubrange(148..<156, with: field)
        let request = ByteBuffer(bytes: tar)
        let host = try Host()
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            var token = ""
            try await client.execute(
                uri: "/api/join", method: .post, body: body(["code": host.code, "name": "Eve"])
            ) { response in token = decode(response)["token"] as? String ?? "" }
            try await client.execute(
                uri: "/api/submissions", method: .post, headers: submitting(token, type: "application/octet-stream"),
                body: request
            ) { response in
                #expect(response.status == .badRequest)
                #expect(
                    (decode(response)["error"] as? String)?.contains("negative size") == true, "\(decode(response))")
            }
            #expect(try host.server.store.submissions().isEmpty)
        }
    }

    @Test func anArchiveThatInflatesTooFarIsRefusedWithTheRightMessage() async throws {
        // 200 MB of zeros in about 200 KB: refused once the output passes 96 MB, not "not a gzip".
        let bomb = try Gzip.compress(Data(count: 200 << 20), level: 9)
        #expect(bomb.count < 1 << 20)
        let host = try Host()
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            var token = ""
            try await client.execute(
                uri: "/api/join", method: .post, body: body(["code": host.code, "name": "Eve"])
            ) { response in token = decode(response)["token"] as? String ?? "" }
            try await client.execute(
                uri: "/api/submissions", method: .post, headers: submitting(token), body: ByteBuffer(bytes: bomb)
            ) { response in
                #expect(response.status == .badRequest)
                let message = decode(response)["error"] as? String ?? ""
                #expect(message.contains("decompresses to over 96 MB"), "\(message)")
                #expect(message.utf8.count < 1_000)
            }
            #expect(try host.server.store.submissions().isEmpty)
        }
    }

    @Test func anEvaluationInterruptedTwiceIsNotRetried() throws {
        let store = try WorkshopStore(url: nil, title: "Room")
        let (student, _) = try store.join(name: "Ada")
        let submission = try store.add(
            .init(
                id: nil, studentId: student.id ?? 0, receivedAt: Date(), archive: Data([1]), rewardFunction: "",
                status: "queued", message: "waiting for its turn", trials: "[]", averageLap: nil, bestLap: nil,
                offTracks: 0))
        // The host dies during the race (it stays "evaluating"); the first restart queues it again.
        _ = try store.claimNextQueued()
        try store.recoverInterruptedEvaluations()
        #expect(try store.submissions().first?.status == "queued")
        // It dies again: the second restart gives up on it.
        #expect(try store.claimNextQueued()?.id == submission.id)
        try store.recoverInterruptedEvaluations()
        let stored = try #require(try store.submissions().first)
        #expect(stored.status == "failed")
        #expect(stored.message.contains("not raced again"))
        #expect(try store.claimNextQueued() == nil)
    }
}

/// A host that was killed while racing, then started again.
@Suite struct HostRestartTests {
    @Test func aRestartedHostGivesUpOnTheModelThatStoppedItAndRacesTheHonestOnes() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-ws-home-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let good = try archiveData()
        do {
            let first = try WorkshopHost.make(home: home, title: "Room 9")
            first.evaluator.stop()
            let store = first.store
            for name in ["Mallory", "Trudy", "Ada"] {
                let (student, _) = try store.join(name: name)
                _ = try store.add(
                    .init(
                        id: nil, studentId: student.id ?? 0, receivedAt: Date(), archive: good, rewardFunction: "",
                        status: "queued", message: "waiting for its turn", trials: "[]", averageLap: nil,
                        bestLap: nil, offTracks: 0))
            }
            // Mallory's race has stopped the host twice; Trudy's once (the host was killed during
            // it); Ada's waits.
            var mallory = try #require(try store.claimNextQueued())
            mallory.attempts = 2
            try store.save(mallory)
            _ = try #require(try store.claimNextQueued())
        }
        let again = try WorkshopHost.make(home: home, title: "Room 9")
        // A room of sockets fits: the open-file limit is raised as far as the system lets it.
        var files = rlimit()
        _ = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files)
        #expect(files.rlim_cur >= min(files.rlim_max, 65_536))
        try await blocking { again.evaluator.drain() }
        let rows = try again.store.submissions()
        #expect(rows.map(\.status) == ["failed", "done", "done"], "\(rows.map(\.message))")
        #expect(rows[0].message.contains("not raced again"))
        #expect(try again.store.info().title == "Room 9")
        again.evaluator.stop()
    }
}
