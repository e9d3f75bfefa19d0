import Foundation
import Hummingbird
import HummingbirdTesting
import PaddockTestSupport
import Synchronization
import Testing
import WorkshopTestSupport

@testable import Workshop

#if canImport(Glibc)
    import Glibc
#endif

/// Names, progress, queues and connections: what a clumsy or hostile room sends the host.
@Suite(.serialized) struct WorkshopLimitsTests {
    /// Joins `name`; returns the response's status and JSON.
    static func join(_ name: String, code: String, client: some TestClientProtocol) async throws -> (
        HTTPResponse.Status, [String: Any]
    ) {
        var result: (HTTPResponse.Status, [String: Any]) = (.ok, [:])
        try await client.execute(uri: "/api/join", method: .post, body: body(["code": code, "name": name])) {
            result = ($0.status, decode($0))
        }
        return result
    }

    @Test func namesAreCleanedLimitedInBytesAndMadeUnique() async throws {
        let host = try TestHost()
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            // Bidi overrides, zero-width joiners and control characters go; spaces fold.
            let (status, _) = try await Self.join(
                "\u{202E}Ada\u{200D}\u{0007}   Lovelace\n", code: host.code, client: client)
            #expect(status == .ok)
            // 14 CJK characters are 42 bytes: over the limit though short in characters.
            let (long, answer) = try await Self.join(String(repeating: "漢", count: 14), code: host.code, client: client)
            #expect(long == .badRequest)
            #expect((answer["error"] as? String)?.contains("40 bytes") == true)
            let (empty, _) = try await Self.join("\u{202E}\u{200B}", code: host.code, client: client)
            #expect(empty == .badRequest)
            _ = try await Self.join("ada lovelace", code: host.code, client: client)
            _ = try await Self.join("Ada Lovelace", code: host.code, client: client)
            #expect(
                try host.server.store.students().map(\.name) == [
                    "Ada Lovelace", "ada lovelace (2)", "Ada Lovelace (3)",
                ])
        }
    }

    @Test func progressAndPacingAreCheckedAgainstTheCourse() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-ws-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = try TestHost()
        let server = WorkshopServer(
            store: base.server.store, evaluator: base.server.evaluator, catalog: base.server.catalog, course: [3, 5])
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            let (_, joined) = try await Self.join("Ada", code: base.code, client: client)
            let token = joined["token"] as? String ?? ""
            for (lesson, step, expected) in [
                (2, 5, HTTPResponse.Status.ok), (2, 6, .badRequest), (3, 1, .badRequest), (0, 1, .badRequest),
            ] {
                try await client.execute(
                    uri: "/api/progress", method: .put, headers: bearer(token),
                    body: body(["lesson": lesson, "step": step])
                ) { response in #expect(response.status == expected, "lesson \(lesson) step \(step)") }
            }
            #expect(try server.store.students().first.map { [$0.lesson, $0.step] } == [2, 5])
            try await client.execute(
                uri: "/api/pacing", method: .put, headers: bearer(base.instructor),
                body: body(["lesson": 9, "step": 1])
            ) { response in
                #expect(response.status == .badRequest)
                #expect((decode(response)["error"] as? String)?.contains("2 lessons") == true)
            }
            #expect(try server.store.info().lesson == 1)
        }
    }

    @Test func wrongCodesAndJoinsAreRateLimitedPerAddress() async throws {
        let host = try TestHost()
        let app = Application(router: host.server.router())
        try await app.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<12 { statuses.append(try await Self.join("Eve", code: "WRONG1", client: client).0) }
            #expect(statuses.prefix(10).allSatisfy { $0 == .forbidden })
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            // Joins with the right code: a room of 60 gets in, the 61st waits.
            for k in 0..<60 { #expect(try await Self.join("S\(k)", code: host.code, client: client).0 == .ok) }
            #expect(try await Self.join("S60", code: host.code, client: client).0 == .tooManyRequests)
            #expect(try host.server.store.students().count == 60)
        }
    }

    @Test func aNewSubmissionSupersedesTheQueuedOneAndOldArchivesAreDropped() throws {
        let store = try WorkshopStore(url: nil, title: "Room")
        let (ada, _) = try store.join(name: "Ada")
        let (grace, _) = try store.join(name: "Grace")
        func submit(_ student: WorkshopStore.Student, _ bytes: Int) throws -> WorkshopStore.Submission {
            try store.add(
                .init(
                    id: nil, studentId: student.id ?? 0, receivedAt: Date(), archive: Data(count: bytes),
                    rewardFunction: "", status: "queued", message: "waiting for its turn", trials: "[]",
                    averageLap: nil, bestLap: nil, offTracks: 0))
        }
        let first = try submit(ada, 1000)
        let theirs = try submit(grace, 1000)
        var raced = try #require(try store.claimNextQueued())
        #expect(raced.id == first.id)
        raced.status = "done"
        try store.save(raced)
        _ = try submit(ada, 2000)
        let last = try submit(ada, 3000)
        let rows = try store.submissions()
        #expect(rows.map(\.status) == ["done", "queued", "failed", "queued"])
        #expect(rows[2].message == "Replaced by a newer model.")
        // Ada keeps only her newest archive; Grace's queued one is untouched.
        #expect(rows.map(\.archive.count) == [0, 1000, 0, 3000])
        #expect(rows.last?.id == last.id && rows[1].id == theirs.id)
    }

    @Test func errorMessagesStaySmall() {
        let long = String(repeating: "é", count: 100_000)
        let capped = WorkshopServer.capped(long)
        #expect(capped.utf8.count <= WorkshopServer.maximumMessageBytes)
        #expect(capped.hasSuffix("..."))
        #expect(WorkshopServer.capped("short") == "short")
    }

    /// A TCP connection to 127.0.0.1:`port` that says nothing; reads time out after `seconds`.
    static func connect(_ port: Int, timeout seconds: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    /// Whether the host closed the connection (a read returns 0 rather than timing out).
    static func closedByHost(_ socket: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(socket, &byte, 1, 0) == 0
    }

    /// A host on a free port, run until the test ends.
    static func withHost(
        idleTimeout: Duration, maximumConnections: Int = WorkshopHost.maximumConnections,
        requestSeconds: Int64 = WorkshopHost.maximumRequestSeconds, _ body: (Int) async throws -> Void
    ) async throws {
        let base = try TestHost()
        let ports = PortBox()
        let running = WorkshopHost.start(
            base.server, port: 0, idleTimeout: idleTimeout, maximumConnections: maximumConnections,
            requestSeconds: requestSeconds
        ) { ports.set($0) }
        let serving = Task { try await running.run() }
        defer {
            serving.cancel()
            Task { await running.stop() }
        }
        try await body(try await ports.wait())
    }

    @Test func anIdleConnectionIsClosed() async throws {
        try await Self.withHost(idleTimeout: .seconds(1)) { port in
            let socket = try Self.connect(port, timeout: 5)
            defer { close(socket) }
            // Say nothing: within a few seconds the host closes the connection.
            let start = ContinuousClock.now
            #expect(Self.closedByHost(socket), "the host kept the idle connection open")
            #expect(ContinuousClock.now - start < .seconds(4))
        }
    }

    /// Sends `text` on `socket`; false if the host has closed it.
    static func send(_ text: String, on socket: Int32) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
            == bytes.count
    }

    /// Whether the host has closed `socket` (an end of input or a reset, not a read timeout).
    static func hostHasClosed(_ socket: Int32) -> Bool {
        var byte: UInt8 = 0
        let count = recv(socket, &byte, 1, 0)
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Sends `text` a byte every `interval` until the host closes the connection (true) or
    /// `limit` passes (false).
    static func trickle(_ text: String, on socket: Int32, every interval: Duration, for limit: Duration) async throws
        -> Bool
    {
        let start = ContinuousClock.now
        for byte in text.map(String.init) {
            guard Self.send(byte, on: socket) else { return true }
            try await Task.sleep(for: interval)
            if ContinuousClock.now - start > limit { break }
        }
        return hostHasClosed(socket)
    }

    @Test func aHeadSentAByteAtATimeIsClosedAtTheIdleTimeout() async throws {
        try await Self.withHost(idleTimeout: .seconds(1)) { port in
            let socket = try Self.connect(port, timeout: 1)
            defer { close(socket) }
            // Slowloris: a byte of the head every 0.2 s never completes it.
            let head = "POST /api/join HTTP/1.1\r\nHost: x\r\nX-Slow: " + String(repeating: "a", count: 100)
            let start = ContinuousClock.now
            #expect(try await Self.trickle(head, on: socket, every: .milliseconds(200), for: .seconds(6)))
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test func aBodyTrickledInIsClosedAtTheRequestDeadlineAndAQuickOneAnswered() async throws {
        try await Self.withHost(idleTimeout: .seconds(30), requestSeconds: 2) { port in
            // A body of 1,000 bytes sent a byte every 0.2 s would take 200 s; each byte resets
            // the idle timeout, so only the request deadline stops it.
            let slow = try Self.connect(port, timeout: 1)
            defer { close(slow) }
            #expect(Self.send("POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n", on: slow))
            let start = ContinuousClock.now
            #expect(
                try await Self.trickle(
                    String(repeating: "a", count: 1000), on: slow, every: .milliseconds(200), for: .seconds(8)))
            #expect(ContinuousClock.now - start < .seconds(6))
            // A whole request within the deadline is answered.
            let quick = try Self.connect(port, timeout: 5)
            defer { close(quick) }
            #expect(Self.send("GET /leaderboard.json HTTP/1.1\r\nHost: x\r\n\r\n", on: quick))
            var reply = [UInt8](repeating: 0, count: 64)
            let count = recv(quick, &reply, reply.count, 0)
            #expect(String(decoding: reply.prefix(max(count, 0)), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func connectionsOverTheCapAreClosedAndTheOthersKept() async throws {
        try await Self.withHost(idleTimeout: .seconds(30), maximumConnections: 3) { port in
            let kept = try (0..<3).map { _ in try Self.connect(port, timeout: 1) }
            defer { [kept[0], kept[2]].forEach { close($0) } }
            try await Task.sleep(for: .milliseconds(200))
            let extra = try Self.connect(port, timeout: 5)
            defer { close(extra) }
            #expect(Self.closedByHost(extra), "a connection over the cap stayed open")
            // The first three are still open: their reads time out instead of ending.
            #expect(!Self.closedByHost(kept[0]))
            // One leaves; a new connection gets its place.
            close(kept[1])
            try await Task.sleep(for: .milliseconds(200))
            let next = try Self.connect(port, timeout: 1)
            defer { close(next) }
            #expect(!Self.closedByHost(next))
        }
    }
}

/// The port a started host listens on.
final class PortBox: Sendable {
    private let port = Mutex<Int?>(nil)

    func set(_ value: Int) { port.withLock { $0 = value } }

    func wait() async throws -> Int {
        for _ in 0..<200 {
            if let port = port.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw WorkshopError(500, "the host did not start")
    }
}
