import Foundation
import GRDB

/// The workshop's state in SQLite (GRDB), so a restarted host loses nothing: the workshop
/// itself (title, join code, pacing, race), its students, and their submissions.
public final class WorkshopStore: Sendable {
    /// The workshop and its pacing (one row).
    public struct Info: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
        public static let databaseTableName = "workshop"
        public var id: Int64 = 1
        public var title: String
        public var joinCode: String
        public var instructorToken: String
        public var lesson: Int
        public var step: Int
        public var selfPaced: Bool
        public var raceTrack: String
        public var raceLaps: Int
        public var raceStarted: Bool
    }

    /// A student who joined, with the random 256-bit token that lets them act as themselves.
    public struct Student: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
        public static let databaseTableName = "student"
        public var id: Int64?
        public var name: String
        public var token: String
        public var joinedAt: Date
        public var lesson: Int
        public var step: Int
        public var training: String
        public var bestEvaluation: Double?
        public var lastSeen: Date

        public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    }

    /// A submitted model and, once evaluated, its race result.
    public struct Submission: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
        public static let databaseTableName = "submission"
        public var id: Int64?
        public var studentId: Int64
        public var receivedAt: Date
        public var archive: Data
        public var rewardFunction: String
        /// queued, evaluating, done or failed.
        public var status: String
        public var message: String
        /// JSON list of the trials' results.
        public var trials: String
        public var averageLap: Double?
        public var bestLap: Double?
        public var offTracks: Int
        /// The evaluated laps step by step (`RacePath`'s stored form), for the projector's replay.
        public var path = Data()
        /// Times the evaluator has taken it: a host stopped mid-race (killed, or crashed) leaves
        /// it "evaluating", and at the second such start it is not raced again.
        public var attempts = 0

        public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    }

    let database: any DatabaseWriter

    /// Opens (or creates) the store at `url`, or in memory when nil.
    ///
    /// A file is opened in WAL mode with `synchronous = NORMAL`: readers (pacing polls, token
    /// checks) never wait for a writer, and a commit appends to the log without waiting for the
    /// disk (measured here: a progress update 0.8 ms -> 0.01 ms, a 1 MB archive 2.8 -> 1.2 ms; a
    /// room of 40 writes all the time). A crashed or stopped host still loses nothing; only a
    /// power cut can lose the last commits, never the database.
    public init(url: URL?, title: String) throws {
        if let url {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            database = try DatabasePool(path: url.path, configuration: configuration)
        } else {
            database = try DatabaseQueue()
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "workshop") { table in
                table.column("id", .integer).primaryKey()
                table.column("title", .text).notNull()
                table.column("joinCode", .text).notNull()
                table.column("instructorToken", .text).notNull()
                table.column("lesson", .integer).notNull()
                table.column("step", .integer).notNull()
                table.column("selfPaced", .boolean).notNull()
                table.column("raceTrack", .text).notNull()
                table.column("raceLaps", .integer).notNull()
                table.column("raceStarted", .boolean).notNull()
            }
            try db.create(table: "student") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull()
                table.column("token", .text).notNull().unique()
                table.column("joinedAt", .datetime).notNull()
                table.column("lesson", .integer).notNull()
                table.column("step", .integer).notNull()
                table.column("training", .text).notNull()
                table.column("bestEvaluation", .double)
                table.column("lastSeen", .datetime).notNull()
            }
            try db.create(table: "submission") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("studentId", .integer).notNull().references("student", onDelete: .cascade)
                table.column("receivedAt", .datetime).notNull()
                table.column("archive", .blob).notNull()
                table.column("rewardFunction", .text).notNull()
                table.column("status", .text).notNull()
                table.column("message", .text).notNull()
                table.column("trials", .text).notNull()
                table.column("averageLap", .double)
                table.column("bestLap", .double)
                table.column("offTracks", .integer).notNull()
            }
        }
        migrator.registerMigration("v2: race paths") { db in
            try db.alter(table: "submission") { table in
                table.add(column: "path", .blob).notNull().defaults(to: Data())
            }
        }
        migrator.registerMigration("v3: evaluation attempts") { db in
            try db.alter(table: "submission") { table in
                table.add(column: "attempts", .integer).notNull().defaults(to: 0)
            }
        }
        try migrator.migrate(database)
        try database.write { db in
            if try Info.fetchOne(db) == nil {
                try Info(
                    title: title, joinCode: Self.makeJoinCode(), instructorToken: Self.makeToken(), lesson: 1, step: 1,
                    selfPaced: false, raceTrack: "beginner_loop", raceLaps: 3, raceStarted: false
                ).insert(db)
            }
        }
    }

    /// Six characters without the ones people misread (0/O, 1/I/L).
    static func makeJoinCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<6).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next()) }.joined()
    }

    public func info() throws -> Info {
        try database.read { db in
            guard let info = try Info.fetchOne(db) else { throw WorkshopError(500, "the workshop's state is missing") }
            return info
        }
    }

    public func updateInfo(_ change: (inout Info) -> Void) throws -> Info {
        try database.write { db in
            guard var info = try Info.fetchOne(db) else { throw WorkshopError(500, "the workshop's state is missing") }
            change(&info)
            try info.update(db)
            return info
        }
    }

    /// Adds a student; returns them with the token to give them. A name already taken (in any
    /// letter case) gets " (2)", " (3)", ... so the leaderboard tells people apart.
    public func join(name: String, now: Date = Date()) throws -> (Student, token: String) {
        let token = Self.makeToken()
        let info = try info()
        let student = try database.write { db in
            let taken = Set(try String.fetchAll(db, sql: "SELECT lower(name) FROM student"))
            var unique = name
            var number = 2
            while taken.contains(unique.lowercased()) {
                unique = "\(name) (\(number))"
                number += 1
            }
            var student = Student(
                name: unique, token: token, joinedAt: now, lesson: info.lesson, step: info.step,
                training: "idle", bestEvaluation: nil, lastSeen: now)
            try student.insert(db)
            return student
        }
        return (student, token)
    }

    /// The student a token belongs to.
    public func student(token: String) throws -> Student? {
        try database.read { db in
            try Student.filter(Column("token") == token).fetchOne(db)
        }
    }

    public func save(_ student: Student) throws {
        try database.write { db in try student.update(db) }
    }

    public func students() throws -> [Student] {
        try database.read { db in try Student.order(Column("id")).fetchAll(db) }
    }

    /// Stores a new submission. The student's submissions still waiting in the queue are
    /// superseded (failed, "replaced by a newer model"), and the archives of their raced ones are
    /// dropped (their results and paths stay): a student keeps at most two archives here, the new
    /// one and one being raced. Refused when all the archives stored would pass
    /// `maximumStoredArchiveBytes`.
    public func add(_ submission: Submission) throws -> Submission {
        var submission = submission
        try database.write { db in
            let stored = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(length(archive)), 0) FROM submission") ?? 0
            guard stored + submission.archive.count <= Self.maximumStoredArchiveBytes else {
                throw WorkshopError(
                    507,
                    "The host has no room for more models (\(Self.maximumStoredArchiveBytes >> 20) MB stored); ask the instructor."
                )
            }
            try db.execute(
                sql: """
                    UPDATE submission SET status = 'failed', message = 'Replaced by a newer model.', archive = x''
                    WHERE studentId = ? AND status = 'queued'
                    """, arguments: [submission.studentId])
            try db.execute(
                sql: """
                    UPDATE submission SET archive = x''
                    WHERE studentId = ? AND status IN ('done', 'failed')
                    """, arguments: [submission.studentId])
            try submission.insert(db)
        }
        return submission
    }

    /// Most archive bytes the host keeps, all students together.
    public static let maximumStoredArchiveBytes = 2 << 30

    public func save(_ submission: Submission) throws {
        try database.write { db in try submission.update(db) }
    }

    public func submissions(status: String? = nil) throws -> [Submission] {
        try database.read { db in
            var request = Submission.order(Column("id"))
            if let status { request = request.filter(Column("status") == status) }
            return try request.fetchAll(db)
        }
    }

    /// Takes the oldest queued submission for evaluation (marks it "evaluating" in the same
    /// transaction, so two workers never take the same one).
    public func claimNextQueued() throws -> Submission? {
        try database.write { db in
            guard var next = try Submission.filter(Column("status") == "queued").order(Column("id")).fetchOne(db) else {
                return nil
            }
            next.status = "evaluating"
            next.message = "racing now"
            next.attempts += 1
            try next.update(db)
            return next
        }
    }

    /// Evaluations a stopped host left unfinished ("evaluating"): back to the queue, unless this
    /// was their second try (they may be what stopped it), then failed with a message. Call once
    /// at start-up, before the evaluator runs.
    public func recoverInterruptedEvaluations() throws {
        try database.write { db in
            for var submission in try Submission.filter(Column("status") == "evaluating").fetchAll(db) {
                if submission.attempts >= Self.maximumAttempts {
                    submission.status = "failed"
                    submission.message =
                        "The host stopped twice while racing this model, so it is not raced again. Send a new model."
                } else {
                    submission.status = "queued"
                    submission.message = "waiting for its turn (the host restarted during its race)"
                }
                try submission.update(db)
            }
        }
    }

    /// Tries an evaluation gets before it is given up (`recoverInterruptedEvaluations`).
    public static let maximumAttempts = 2

    /// Marks a queued submission failed, "cancelled"; false if it was not queued.
    public func cancelQueued(id: Int64) throws -> Bool {
        try database.write { db in
            guard var submission = try Submission.fetchOne(db, key: id), submission.status == "queued" else {
                return false
            }
            submission.status = "failed"
            submission.message = "Cancelled by the instructor."
            try submission.update(db)
            return true
        }
    }

    /// The race of each student's latest evaluated submission, with their name, for the replay.
    public func replay() throws -> RaceReplay {
        let rows = try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT student.id AS studentId, student.name AS name, submission.path AS path
                    FROM submission JOIN student ON student.id = submission.studentId
                    WHERE submission.id IN (SELECT MAX(id) FROM submission GROUP BY studentId)
                      AND submission.status = 'done'
                    ORDER BY student.id
                    """)
        }
        return RaceReplay(
            cars: rows.map { row in
                RaceReplay.Car(studentId: row["studentId"], name: row["name"], path: RacePath(data: row["path"]))
            })
    }

    /// Puts every student's latest submission back in the queue (to race on a new track).
    public func requeueLatestSubmissions() throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE submission SET status = 'queued', message = 'waiting to race on the new track', attempts = 0
                    WHERE id IN (SELECT MAX(id) FROM submission GROUP BY studentId)
                    """)
        }
    }

    /// Each student's latest submission's summary (no archive bytes).
    public func latestSubmissions() throws -> [Submission] {
        try database.read { db in
            try Submission.fetchAll(
                db,
                sql: """
                    SELECT id, studentId, receivedAt, x'' AS archive, rewardFunction, status, message, trials,
                           averageLap, bestLap, offTracks, x'' AS path, attempts
                    FROM submission WHERE id IN (SELECT MAX(id) FROM submission GROUP BY studentId) ORDER BY id
                    """)
        }
    }
}
