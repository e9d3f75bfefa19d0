import App
import ArgumentParser
import Assets
import CarExport
import Foundation
import NeuralNetwork
import Synchronization
import Workshop

/// `paddock workshop host`: the instructor's server for a room of students.
struct WorkshopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workshop", abstract: "Run a workshop: host a room of students, pace them, race their models.",
        subcommands: [WorkshopHostCommand.self, WorkshopRaceCommand.self, WorkshopCheckCommand.self])
}

/// `paddock workshop race-submission`: the child process the host races one submission in
/// (`SubmissionProcess`). Hidden: the host runs it, people do not.
struct WorkshopRaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "race-submission",
        abstract: "Race one submitted car archive (the workshop host runs this in a child process).",
        shouldDisplay: false)

    @Option(help: "The submitted .tar.gz.") var archive: String
    @Option(help: "The race track's id.") var track: String
    @Option(help: "The host's track catalog folder.") var tracks: String
    @Option(parsing: .unconditional, help: "Laps to race.") var laps: Int
    @Option(help: "Where to write the result (JSON).") var out: String
    @Option(parsing: .unconditional, help: "Address-space limit, bytes.") var addressSpace: Int
    @Option(parsing: .unconditional, help: "CPU-time limit, seconds.") var cpuSeconds: Int

    func run() throws {
        try SubmissionProcess.Limits(addressSpaceBytes: addressSpace, cpuSeconds: cpuSeconds).applyToThisProcess()
        MatrixMath.setThreadCount(1)
        let catalog = try TrackCatalog(directory: URL(fileURLWithPath: tracks))
        let race = try SubmissionRace.run(
            archive: try Data(contentsOf: URL(fileURLWithPath: archive)), track: try catalog.track(named: track),
            laps: laps, scratch: URL(fileURLWithPath: out).deletingLastPathComponent())
        try AtomicFile.write(try JSONEncoder().encode(race), to: URL(fileURLWithPath: out))
    }
}

/// `paddock workshop check-submissions`: the child process the host checks submissions in
/// before accepting them (`SubmissionChecker`): each model's graph checks and one test frame.
/// Hidden: the host runs it, people do not.
struct WorkshopCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-submissions",
        abstract: "Check submitted models sent on standard input (the workshop host runs this in a child process).",
        shouldDisplay: false)

    @Option(parsing: .unconditional, help: "Address-space limit, bytes.") var addressSpace: Int

    func run() throws {
        try SubmissionProcess.Limits(addressSpaceBytes: addressSpace, cpuSeconds: SubmissionChecker.cpuSeconds)
            .applyToThisProcess()
        MatrixMath.setThreadCount(1)
        SubmissionChecker.serve { metadata, graph in
            do {
                try ImportedModel.check(graph: graph, metadata: metadata)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }
}

struct WorkshopHostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Start the workshop host on this machine's network: join code, pacing, submissions, leaderboard.",
        discussion: """
            State lives in $PADDOCK_HOME/workshop/workshop.sqlite, so stopping and starting the host \
            loses nothing (the join code stays the same). Students' models are evaluated here with \
            the simulator; their Python is never run. The leaderboard page is at http://ADDRESS:PORT/.
            """)

    @Option(parsing: .unconditional, help: "The port to listen on.") var port = 8080
    @Option(help: "The workshop's title (used when it is first created).") var name = "Paddock workshop"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535.") }
    }

    func run() throws {
        let course = try LessonLibrary.standard().lessons.map(\.steps.count)
        let server = try WorkshopHost.make(home: PaddockHome.standard().url, title: name, course: course)
        let info = try server.store.info()
        let addresses = WorkshopHost.lanAddresses()
        print("\(info.title): the host is running.")
        print("  Join code:   \(info.joinCode)")
        for address in addresses.isEmpty ? ["127.0.0.1"] : addresses {
            print("  Join at:     http://\(address):\(port)   (leaderboard page: http://\(address):\(port)/)")
        }
        print("  Instructor token (for pacing and the race; keep it to yourself): \(info.instructorToken)")
        print("Stop with Ctrl-C; starting again continues the same workshop.")
        fflush(nil)
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Task {
            do {
                try await WorkshopHost.serve(server, port: port)
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
