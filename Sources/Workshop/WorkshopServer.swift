import Assets
import CarExport
import Foundation
import Hummingbird

/// The instructor's host: a Hummingbird HTTP server over the workshop's store.
///
/// Students: `POST /api/join` {code, name} gives a token; with `Authorization: Bearer TOKEN`,
/// `GET /api/pacing`, `PUT /api/progress` {lesson, step, training, best_evaluation},
/// `POST /api/submissions` (the .tar.gz as the body, see `submission(_:)`), `GET /api/submissions/mine`.
/// The instructor (the instructor token): `PUT /api/pacing` {lesson, step, self_paced},
/// `GET /api/students`, `POST /api/race` {track, laps, start}. Anyone: `GET /` (the live
/// leaderboard page) and `GET /leaderboard.json`.
public struct WorkshopServer: Sendable {
    public let store: WorkshopStore
    public let evaluator: SubmissionEvaluator
    public let catalog: TrackCatalog
    /// Largest submission body accepted (a 5-layer model in base64 fits well inside).
    public static let maximumSubmissionBytes = 64 << 20
    /// Most a submitted archive may decompress to. Paddock's archives are stored blocks, about as
    /// big decompressed as sent.
    public static let maximumArchiveBytes = 96 << 20
    /// Archive checks that may run at once; more wait their turn.
    static let archiveChecks = DispatchSemaphore(value: 2)
    /// Largest reward function kept with a submission (it travels base64 in a header, and the
    /// server takes 80 KB of headers).
    public static let maximumRewardBytes = 48 << 10
    /// The header that carries the reward function with an archive sent as the body.
    public static let rewardFunctionHeader = "X-Reward-Function"
    /// Longest display name, in UTF-8 bytes (40 Latin letters, about 13 CJK characters).
    public static let maximumNameBytes = 40
    /// The course: how many steps each lesson has (lesson 1 first), to check progress and pacing
    /// against; nil takes any lesson and step from 1 to 1,000.
    public let course: [Int]?
    /// Joins per address: a room of 40 behind one router gets in, thousands of fake students do not.
    let joins = RateLimiter(limit: 60, perSeconds: 60)
    /// Wrong join codes per address: the code cannot be guessed at speed.
    let wrongCodes = RateLimiter(limit: 10, perSeconds: 60)

    /// Runs each submission's test frame before it is accepted (in a child process); nil when no
    /// `paddock` program was found, and then every submission is refused, saying so.
    public let checker: SubmissionChecker?

    /// `checker` defaults to one running the evaluator's `paddock` program with its memory limit.
    public init(
        store: WorkshopStore, evaluator: SubmissionEvaluator, catalog: TrackCatalog, course: [Int]? = nil,
        checker: SubmissionChecker? = nil
    ) {
        self.store = store
        self.evaluator = evaluator
        self.checker =
            checker
            ?? evaluator.process.map {
                SubmissionChecker(
                    executable: $0.executable, addressSpaceBytes: min($0.limits.addressSpaceBytes, 2 << 30))
            }
        self.catalog = catalog
        self.course = course
    }

    /// The routes, for `Application` or for tests.
    public func router() -> Router<WorkshopRequestContext> {
        let router = Router(context: WorkshopRequestContext.self)
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: LeaderboardPage.html)))
        }
        router.get("/leaderboard.json") { _, _ in try self.json(self.leaderboard()) }
        router.post("/api/join") { request, context in
            try await self.handle {
                let tooMany = WorkshopError(
                    429, "Too many tries to join from this computer; wait a minute and check the code on the screen.")
                let body = try await Self.object(request, limit: 4096)
                let info = try self.store.info()
                guard let code = body["code"] as? String, code.uppercased() == info.joinCode else {
                    throw self.wrongCodes.allow(context.clientAddress) ? WorkshopError.wrongCode : tooMany
                }
                guard self.joins.allow(context.clientAddress) else { throw tooMany }
                let name = Self.displayName(body["name"] as? String ?? "")
                guard !name.isEmpty, name.utf8.count <= Self.maximumNameBytes else {
                    throw WorkshopError.badRequest(
                        "Give a display name of 1 to \(Self.maximumNameBytes) bytes (letters, digits, spaces).")
                }
                let (student, token) = try await Self.offLoop { try self.store.join(name: name) }
                return [
                    "token": token, "student_id": student.id ?? 0, "title": info.title, "lesson": info.lesson,
                    "step": info.step,
                ]
            }
        }
        router.get("/api/pacing") { request, context in
            try await self.handle {
                _ = try self.student(request)
                let info = try self.store.info()
                return ["lesson": info.lesson, "step": info.step, "self_paced": info.selfPaced, "title": info.title]
            }
        }
        router.put("/api/progress") { request, context in
            try await self.handle {
                var student = try self.student(request)
                let body = try await Self.object(request, limit: 4096)
                let lesson = body["lesson"] as? Int ?? student.lesson
                let step = body["step"] as? Int ?? student.step
                try self.checkPlace(lesson: lesson, step: step)
                student.lesson = lesson
                student.step = step
                if let training = body["training"] as? String { student.training = String(training.prefix(40)) }
                if let best = body["best_evaluation"] as? Double { student.bestEvaluation = best }
                student.lastSeen = Date()
                try await Self.offLoop { [student] in try self.store.save(student) }
                return ["ok": true]
            }
        }
        router.post("/api/submissions") { request, context in
            try await self.handle(status: .accepted) {
                let student = try self.student(request)
                let (archive, reward) = try await Self.submission(request)
                // Checked before anything is stored (the car's rules, a graph Paddock can run), off
                // the server's event loop so other requests are not held up.
                let submission = try await Self.offLoop {
                    try self.checkAndStore(archive: archive, reward: reward, student: student)
                }
                self.evaluator.wake()
                return ["submission_id": submission.id ?? 0, "status": "queued"]
            }
        }
        router.post("/api/submissions/cancel") { request, context in
            try await self.handle {
                try self.instructor(request)
                let body = try await Self.object(request, limit: 4096)
                guard let id = body["submission_id"] as? Int else {
                    throw WorkshopError.badRequest("Send {\"submission_id\": N}, the submission to cancel.")
                }
                let cancelled = try await Self.offLoop { try self.evaluator.cancel(submission: Int64(id)) }
                guard cancelled else {
                    throw WorkshopError(409, "Submission \(id) is not queued or racing, so there is nothing to cancel.")
                }
                return ["submission_id": id, "cancelled": true]
            }
        }
        router.get("/api/submissions/mine") { request, context in
            try await self.handle {
                let student = try self.student(request)
                let mine = try self.store.latestSubmissions().filter { $0.studentId == student.id }
                return [
                    "submissions": mine.map {
                        ["id": $0.id ?? 0, "status": $0.status, "message": $0.message] as [String: Any]
                    }
                ]
            }
        }
        router.put("/api/pacing") { request, context in
            try await self.handle {
                try self.instructor(request)
                let body = try await Self.object(request, limit: 4096)
                let lesson = body["lesson"] as? Int
                let step = body["step"] as? Int
                let selfPaced = body["self_paced"] as? Bool
                let current = try self.store.info()
                try self.checkPlace(lesson: lesson ?? current.lesson, step: step ?? current.step)
                let info = try await Self.offLoop {
                    try self.store.updateInfo { info in
                        if let lesson { info.lesson = lesson }
                        if let step { info.step = step }
                        if let selfPaced { info.selfPaced = selfPaced }
                    }
                }
                return ["lesson": info.lesson, "step": info.step, "self_paced": info.selfPaced]
            }
        }
        router.get("/api/students") { request, context in
            try await self.handle {
                try self.instructor(request)
                let latest = try self.store.latestSubmissions()
                return [
                    "students": try self.store.students().map { student in
                        let submission = latest.first { $0.studentId == student.id }
                        return [
                            "id": student.id ?? 0, "name": student.name, "lesson": student.lesson, "step": student.step,
                            "training": student.training, "best_evaluation": student.bestEvaluation ?? NSNull(),
                            "submission": submission?.status ?? NSNull(),
                        ] as [String: Any]
                    }
                ]
            }
        }
        router.post("/api/race") { request, context in
            try await self.handle {
                try self.instructor(request)
                let body = try await Self.object(request, limit: 4096)
                let info = try self.setRace(
                    track: body["track"] as? String, laps: body["laps"] as? Int, start: body["start"] as? Bool)
                return ["track": info.raceTrack, "laps": info.raceLaps, "started": info.raceStarted]
            }
        }
        return router
    }

    /// The archive and reward function of a `POST /api/submissions`, in either form:
    ///
    /// - the archive as the body, `Content-Type: application/gzip` (or `application/x-gzip`,
    ///   `application/octet-stream`), and the reward function's UTF-8 text base64-encoded in the
    ///   `X-Reward-Function` header (optional). What `WorkshopClient` sends: nothing to encode or
    ///   parse, a third less to send.
    /// - `Content-Type: application/json`, `{"archive": base64 .tar.gz, "reward_function": text}`:
    ///   the first form, still taken from older apps (Foundation's JSON writer takes about 0.1 s for
    ///   a 1 MB archive's base64 on Linux, so new clients do not send it).
    static func submission(_ request: Request) async throws -> (archive: Data, reward: String) {
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch type {
        case "application/json":
            let body = try await object(request, limit: maximumSubmissionBytes)
            guard let encoded = body["archive"] as? String, let archive = Data(base64Encoded: encoded) else {
                throw WorkshopError.badRequest("Send the car archive (.tar.gz) base64-encoded as \"archive\".")
            }
            return (archive, try checkedReward(body["reward_function"] as? String ?? ""))
        case "application/gzip", "application/x-gzip", "application/octet-stream", nil, "":
            var reward = ""
            let name = rewardFunctionHeader.lowercased()
            if let header = request.headers.first(where: { $0.name.canonicalName == name })?.value, !header.isEmpty {
                guard header.utf8.count <= (maximumRewardBytes + 2) / 3 * 4,
                    let data = Data(base64Encoded: header), let text = String(data: data, encoding: .utf8)
                else {
                    throw WorkshopError.badRequest(
                        "The X-Reward-Function header must hold the reward function's UTF-8 text, base64-encoded, at most \(maximumRewardBytes / 1024) KB."
                    )
                }
                reward = try checkedReward(text)
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: maximumSubmissionBytes)
            } catch {
                throw WorkshopError(413, "The archive is over \(maximumSubmissionBytes >> 20) MB.")
            }
            guard body.readableBytes > 0 else {
                throw WorkshopError.badRequest("Send the car archive (.tar.gz) as the request body.")
            }
            return (Data(body.readableBytesView), reward)
        case let other?:
            throw WorkshopError(
                415, "Send the car archive as the body with Content-Type: application/gzip, not \(other).")
        }
    }

    static func checkedReward(_ text: String) throws -> String {
        guard text.utf8.count <= maximumRewardBytes else {
            throw WorkshopError.badRequest(
                "The reward function is over \(maximumRewardBytes / 1024) KB; send the function alone.")
        }
        return text
    }

    func checkAndStore(archive: Data, reward: String, student: WorkshopStore.Student) throws -> WorkshopStore.Submission
    {
        try check(archive: archive)
        return try store.add(
            .init(
                id: nil, studentId: student.id ?? 0, receivedAt: Date(), archive: archive, rewardFunction: reward,
                status: "queued", message: "waiting for its turn", trials: "[]", averageLap: nil, bestLap: nil,
                offTracks: 0))
    }

    /// Checks a submitted archive: it unpacks within the size cap, follows the car's rules, and
    /// its graph passes `ImportedModel.check` (a test frame) in a child process. Throws the
    /// refusal for the student.
    func check(archive: Data) throws {
        // A few checks at once: each may hold up to maximumArchiveBytes while it decompresses.
        Self.archiveChecks.wait()
        defer { Self.archiveChecks.signal() }
        let contents: TarArchive
        do {
            contents = try TarArchive.readGzip(archive, path: "the submission", maximumBytes: Self.maximumArchiveBytes)
        } catch {
            throw WorkshopError.badRequest("\(error)")
        }
        let problems = CarArchive.problems(contents, fileName: "submission.tar.gz")
        guard problems.isEmpty else {
            throw WorkshopError.badRequest("The archive: " + problems.joined(separator: "; "))
        }
        let selection: ModelSource.Selection
        do {
            selection = try ModelSource(archive: contents, path: "the submission").select()
        } catch {
            throw WorkshopError.badRequest("\(error)")
        }
        // The graph's checks and a test frame, in a child process: whatever the graph does, this
        // host stays up.
        guard let checker else {
            throw WorkshopError(
                500, "The host cannot check models: no `paddock` program was found (set PADDOCK_EXECUTABLE).")
        }
        if let refusal = checker.check(metadata: selection.metadata, graph: selection.graph) {
            throw WorkshopError.badRequest(refusal)
        }
    }

    /// Runs blocking work on a thread of its own and awaits it. The room's writes (join,
    /// progress, submissions, pacing) go through it: a write waits for SQLite's one writer (behind
    /// a 1 MB archive, a WAL checkpoint), and the handlers share a cooperative pool of one thread
    /// per core. Reads need not: in WAL mode they never wait for the writer. Not GCD's global
    /// queue: on Linux it runs one item per core at a time, so anything else blocking there (an
    /// app's network call, a long job) would hold the room's answers up.
    static func offLoop<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    public func leaderboard() throws -> Leaderboard {
        Leaderboard(info: try store.info(), students: try store.students(), submissions: try store.latestSubmissions())
    }

    // MARK: Helpers

    /// A display name as shown: control and format characters (bidi overrides, zero-width
    /// joiners) removed, runs of spaces made one, trimmed.
    static func displayName(_ raw: String) -> String {
        let kept = raw.unicodeScalars.filter { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: false
            default: true
            }
        }
        return String(String.UnicodeScalarView(kept)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Throws unless lesson and step name a step of the course (1-based).
    func checkPlace(lesson: Int, step: Int) throws {
        if let course {
            guard (1...course.count).contains(lesson), (1...course[lesson - 1]).contains(step) else {
                throw WorkshopError.badRequest(
                    "There is no lesson \(lesson), step \(step): the course has \(course.count) lessons.")
            }
        } else {
            guard (1...1000).contains(lesson), (1...1000).contains(step) else {
                throw WorkshopError.badRequest("Lessons and steps are numbered from 1.")
            }
        }
    }

    func student(_ request: Request) throws -> WorkshopStore.Student {
        guard let token = Self.bearer(request), let student = try store.student(token: token) else {
            throw WorkshopError.notAuthorised
        }
        return student
    }

    func instructor(_ request: Request) throws {
        guard let token = Self.bearer(request), token == (try store.info()).instructorToken else {
            throw WorkshopError.instructorOnly
        }
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst("Bearer ".count))
    }

    static func object(_ request: Request, limit: Int) async throws -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw WorkshopError(413, "The request is over \(limit / 1024) KB.")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
        else {
            throw WorkshopError.badRequest("The request body must be a JSON object.")
        }
        return object
    }

    func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Runs a handler and answers with its JSON, or with the refusal's status and message.
    func handle(status: HTTPResponse.Status = .ok, _ body: () async throws -> [String: Any]) async throws -> Response {
        do {
            let object = try await body()
            return Self.response(status, object)
        } catch let error as WorkshopError {
            return Self.response(HTTPResponse.Status(code: error.status), ["error": Self.capped(error.message)])
        }
    }

    /// A message cut to at most `maximumMessageBytes` UTF-8 bytes (an error about a huge shape or
    /// name must not make a huge answer).
    static func capped(_ message: String) -> String {
        guard message.utf8.count > maximumMessageBytes else { return message }
        var cut = ""
        for character in message {
            guard cut.utf8.count + character.utf8.count <= maximumMessageBytes - 3 else { break }
            cut.append(character)
        }
        return cut + "..."
    }

    /// Longest error message sent back.
    static let maximumMessageBytes = 2_000

    static func response(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
