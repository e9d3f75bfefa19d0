import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import PaddockTestSupport
import Testing
import WorkshopTestSupport

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

    /// A graph within every bound of the interpreter that makes three 256 MB tensors a frame:
    /// more than a process with a 768 MB address-space limit may hold, so it dies.
    static func hungryArchive() throws -> Data {
        var g = GraphBuilder()
        _ = g.placeholder(input, shape: [-1, 120, 160, 1])
        let column = g.filledConstant("column", 1, shape: [8192, 1])
        let row = g.filledConstant("row", 1, shape: [1, 8192])
        var sum = g.addV2("sum0", column, row)
        for k in 1..<3 { sum = g.addV2("sum\(k)", sum, row) }
        let reduced = g.matMul("reduced", row, sum)
        let actions = TrainingSettings().actionSpace.outputCount
        _ = g.softmax(output, g.matMul("logits", reduced, g.filledConstant("last", 1e-6, shape: [8192, actions])))
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
    static func submit(_ archives: [(name: String, archive: Data)], to host: TestHost, client: some TestClientProtocol)
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

    /// The test frame runs in a child process before the submission is accepted: a graph that
    /// needs more memory than the check allows kills that child, not the host.
    @Test func aGraphThatCrashesItsCheckIsRefusedAndTheNextModelStillRaces() async throws {
        let host = try TestHost(limits: SubmissionProcess.Limits(addressSpaceBytes: 768 << 20))
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            var token = ""
            try await client.execute(
                uri: "/api/join", method: .post, body: body(["code": host.code, "name": "Mallory"])
            ) { response in token = decode(response)["token"] as? String ?? "" }
            try await client.execute(
                uri: "/api/submissions", method: .post, headers: submitting(token),
                body: ByteBuffer(bytes: try Self.hungryArchive())
            ) { response in
                #expect(response.status == .badRequest)
                let message = decode(response)["error"] as? String ?? ""
                #expect(message.contains("crashed Paddock's check"), "\(message)")
                #expect(message.contains("paddock import"))
            }
            #expect(try host.server.store.submissions().isEmpty)
            _ = try await Self.submit([("Ada", try archiveData())], to: host, client: client)
            try await blocking { host.server.evaluator.drain() }
            #expect(try host.server.store.submissions().map(\.status) == ["done"])
        }
    }

    /// A graph that passed its check (on a host whose check allows more memory than its races)
    /// and then crashes its race: that submission fails with a message, the next one races.
    @Test func aGraphThatCrashesItsRaceFailsWithAMessageAndTheNextModelStillRaces() async throws {
        let host = try TestHost(limits: SubmissionProcess.Limits(addressSpaceBytes: 768 << 20), checkMemory: 4 << 30)
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            _ = try await Self.submit(
                [("Mallory", try Self.hungryArchive()), ("Ada", try archiveData())], to: host, client: client)
            try await blocking { host.server.evaluator.drain() }
            let stored = try host.server.store.submissions()
            try #require(stored.map(\.status) == ["failed", "done"], "\(stored.map(\.message))")
            #expect(stored[0].message.contains("crashed the race"), "\(stored[0].message)")
            #expect(stored[0].message.contains("paddock import"))
            #expect(stored[1].message.contains("laps complete"))
            // The host answers as before.
            try await client.execute(uri: "/leaderboard.json", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// The good test archive with `graph` as its agent/model.pb and, if given, `metadata` as its
    /// model_metadata.json.
    static func archive(_ graph: Tensorflow_GraphDef, metadata: String? = nil) throws -> Data {
        var contents = try TarArchive.readGzip(try archiveData(), path: "test")
        for (index, entry) in contents.entries.enumerated() {
            if entry.path == "agent/model.pb" { contents.entries[index].contents = try graph.serializedData() }
            if entry.path == "model_metadata.json", let metadata {
                contents.entries[index].contents = Data(metadata.utf8)
            }
        }
        return try contents.gzipData()
    }

    /// A graph node by node: `node(name, op, inputs, attributes)`.
    struct Nodes {
        var graph = Tensorflow_GraphDef()

        init() { node(HostileSubmissionTests.input, "Placeholder") }

        mutating func node(
            _ name: String, _ op: String, _ inputs: [String] = [], _ attrs: [String: Tensorflow_AttrValue] = [:]
        ) {
            var node = Tensorflow_NodeDef()
            node.name = name
            node.op = op
            node.input = inputs
            node.attr = attrs
            graph.node.append(node)
        }

        /// A constant of `type` and `shape` holding `floats` or `ints` (fewer than the shape holds
        /// means "repeat the last", as TensorFlow's splat form; none at all is malformed).
        mutating func constant(
            _ name: String, shape: [Int], floats: [Float] = [], ints: [Int32] = [], bytes: Int = 0
        ) {
            var tensor = Tensorflow_TensorProto()
            tensor.dtype = ints.isEmpty ? .dtFloat : .dtInt32
            tensor.tensorShape = GraphBuilder.shape(shape)
            tensor.floatVal = floats
            tensor.intVal = ints
            var value = Tensorflow_AttrValue()
            value.tensor = tensor
            node(name, "Const", [], ["value": value])
        }

        static func list(_ values: [Int64]) -> Tensorflow_AttrValue {
            var attr = Tensorflow_AttrValue()
            attr.list.i = values
            return attr
        }

        static func text(_ value: String) -> Tensorflow_AttrValue {
            var attr = Tensorflow_AttrValue()
            attr.s = Data(value.utf8)
            return attr
        }
    }

    /// The eleven graphs that each took a host down when it ran them itself, with what the
    /// refusal says. None of them is stored; the host goes on and races the next good model.
    static func crashingGraphs() -> [(name: String, archive: () throws -> Data, says: String)] {
        let input = Self.input
        let output = Self.output
        let actions = TrainingSettings().actionSpace.outputCount
        func ending(_ build: @escaping (inout Nodes) -> String) -> () throws -> Data {
            {
                var nodes = Nodes()
                let last = build(&nodes)
                nodes.node(output, "Softmax", [last])
                return try archive(nodes.graph)
            }
        }
        return [
            (
                "a cycle",
                ending { g in
                    g.node("a", "Identity", ["b"])
                    g.node("b", "Identity", ["a"])
                    return "a"
                }, "cycle"
            ),
            (
                "a 200,000-node chain",
                ending { g in
                    for k in 0..<200_000 { g.node("n\(k)", "Identity", [k == 0 ? input : "n\(k - 1)"]) }
                    return "n199999"
                }, "nodes"
            ),
            (
                "NaN in a Reshape's shape",
                ending { g in
                    g.constant("nan shape", shape: [2], floats: [.nan, 10])
                    g.node("reshaped", "Reshape", [input, "nan shape"])
                    return "reshaped"
                }, "whole numbers"
            ),
            (
                "a Const shape that overflows",
                ending { g in
                    g.constant("overflow", shape: [Int(Int64.max / 2), 4], floats: [1])
                    return "overflow"
                }, "impossible shape"
            ),
            (
                "a Const claiming 40 GB",
                ending { g in
                    g.constant("forty gigabytes", shape: [100_000, 100_000], floats: [1])
                    return "forty gigabytes"
                }, "too big"
            ),
            (
                "more outputs than the metadata has actions",
                ending { g in
                    g.constant("wide", shape: [1, actions + 2], floats: [1])
                    return "wide"
                }, "action space has \(actions) actions"
            ),
            (
                "a continuous model with one output",
                {
                    var g = Nodes()
                    g.constant("one", shape: [1, 1], floats: [0.5])
                    g.node(CarGraphNames.output(algorithm: .ppo), "Identity", ["one"])
                    return try archive(
                        g.graph,
                        metadata: """
                            {"action_space_type": "continuous", "action_space": {"steering_angle": {"low": -30, "high": 30}, \
                            "speed": {"low": 0.5, "high": 2}}, "sensor": ["FRONT_FACING_CAMERA"], \
                            "neural_network": "DEEP_CONVOLUTIONAL_NETWORK_SHALLOW", "training_algorithm": "clipped_ppo", \
                            "action_space_version": 1, "version": "5"}
                            """)
                }, "needs 2"
            ),
            (
                "a Conv2D kernel larger than its input",
                ending { g in
                    g.constant("kernel", shape: [200, 200, 1, 1], floats: [1])
                    g.node(
                        "too big", "Conv2D", [input, "kernel"],
                        ["strides": Nodes.list([1, 1, 1, 1]), "padding": Nodes.text("VALID")])
                    g.constant("flat", shape: [2], ints: [1, -1])
                    g.node("flattened", "Reshape", ["too big", "flat"])
                    return "flattened"
                }, "does not fit"
            ),
            (
                "a Conv2D stride of 0",
                ending { g in
                    g.constant("kernel", shape: [2, 2, 1, 1], floats: [1])
                    g.node(
                        "stride 0", "Conv2D", [input, "kernel"],
                        ["strides": Nodes.list([1, 0, 0, 1]), "padding": Nodes.text("VALID")])
                    return "stride 0"
                }, "does not fit"
            ),
            (
                "an out-of-range StridedSlice",
                ending { g in
                    g.constant("begin", shape: [1], ints: [7])
                    g.constant("end", shape: [1], ints: [8])
                    g.constant("strides", shape: [1], ints: [1])
                    var shrink = Tensorflow_AttrValue()
                    shrink.i = 1
                    g.node("outside", "StridedSlice", [input, "begin", "end", "strides"], ["shrink_axis_mask": shrink])
                    return "outside"
                }, "StridedSlice"
            ),
            (
                "an int32 Const with fewer values than its shape",
                ending { g in
                    var tensor = Tensorflow_TensorProto()
                    tensor.dtype = .dtInt32
                    tensor.tensorShape = GraphBuilder.shape([3])
                    tensor.intVal = [1, 2]
                    var value = Tensorflow_AttrValue()
                    value.tensor = tensor
                    g.node("short", "Const", [], ["value": value])
                    g.node("reshaped", "Reshape", [input, "short"])
                    return "reshaped"
                }, "holds 2 values"
            ),
        ]
    }

    /// Each crashing graph: a 400 that says what is wrong, nothing stored, the host up; then an
    /// honest student's model is accepted and raced.
    @Test func everyGraphThatCrashedTheHostIsRefusedWithItsReason() async throws {
        let host = try TestHost()
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            var token = ""
            try await client.execute(
                uri: "/api/join", method: .post, body: body(["code": host.code, "name": "Trudy"])
            ) { response in token = decode(response)["token"] as? String ?? "" }
            for (name, archive, says) in Self.crashingGraphs() {
                try await client.execute(
                    uri: "/api/submissions", method: .post, headers: submitting(token),
                    body: ByteBuffer(bytes: try archive())
                ) { response in
                    #expect(response.status == .badRequest, "\(name)")
                    let message = decode(response)["error"] as? String ?? ""
                    #expect(message.contains(says), "\(name): \(message)")
                }
                #expect(try host.server.store.submissions().isEmpty, "\(name) was stored")
            }
            _ = try await Self.submit([("Ada", try archiveData())], to: host, client: client)
            try await blocking { host.server.evaluator.drain() }
            #expect(try host.server.store.submissions().map(\.status) == ["done"])
        }
    }

    @Test func aSlowGraphIsStoppedAtTheWallTimeLimit() async throws {
        // Long enough for a good model's one lap (a debug build races it in about 5 s here, with
        // other tests running beside it up to 15 s).
        let host = try TestHost(limits: SubmissionProcess.Limits(wallSeconds: 30))
        _ = try host.server.store.updateInfo { $0.raceLaps = 1 }
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            _ = try await Self.submit(
                [("Slow", try Self.slowArchive()), ("Ada", try archiveData())], to: host, client: client)
            let start = ContinuousClock.now
            try await blocking { host.server.evaluator.drain() }
            let stored = try host.server.store.submissions()
            try #require(stored.map(\.status) == ["failed", "done"], "\(stored.map(\.message))")
            #expect(stored.first?.message.contains("longer than 30 s") == true, "\(stored.first?.message ?? "")")
            #expect(ContinuousClock.now - start < .seconds(60))
        }
    }

    @Test func theInstructorCancelsARaceInProgressAndAQueuedOne() async throws {
        let host = try TestHost(limits: SubmissionProcess.Limits(wallSeconds: 60))
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
        let host = try TestHost(limits: SubmissionProcess.Limits(wallSeconds: 2))
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
        let host = try TestHost()
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
        let host = try TestHost()
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
