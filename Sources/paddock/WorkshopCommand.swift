import App
import ArgumentParser
import Foundation
import Workshop

/// `paddock workshop host`: the instructor's server for a room of students.
struct WorkshopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workshop", abstract: "Run a workshop: host a room of students, pace them, race their models.",
        subcommands: [WorkshopHostCommand.self])
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

    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: "The workshop's title (used when it is first created).") var name = "Paddock workshop"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535.") }
    }

    func run() throws {
        let server = try WorkshopHost.make(home: PaddockHome.standard().url, title: name)
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
        let failure = FailureBox()
        Task {
            do {
                try await WorkshopHost.serve(server, port: port)
            } catch {
                failure.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw error }
    }
}

private final class FailureBox: @unchecked Sendable {
    var error: Error?
}
