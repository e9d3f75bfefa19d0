import Assets
import Foundation
import Hummingbird
import NeuralNetwork
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a workshop host: the store under `$PADDOCK_HOME/workshop`, the evaluator, the server.
public enum WorkshopHost {
    /// Where the host keeps its state.
    public static func directory(home: URL) -> URL { home.appendingPathComponent("workshop") }

    /// Opens the store (creating the workshop the first time) and makes the server. `course`
    /// (steps per lesson) is what progress and pacing are checked against.
    public static func make(home: URL, title: String, course: [Int]? = nil) throws -> WorkshopServer {
        let folder = directory(home: home)
        raiseFileLimit()
        // One core for evaluating models, the other for answering the room.
        MatrixMath.setThreadCount(1)
        let store = try WorkshopStore(url: folder.appendingPathComponent("workshop.sqlite"), title: title)
        let catalog = try TrackCatalog.standard()
        let evaluator = SubmissionEvaluator(
            store: store, catalog: catalog, scratch: folder.appendingPathComponent("evaluations"))
        // Submissions half-evaluated by a stopped host get their turn again (once).
        try store.recoverInterruptedEvaluations()
        evaluator.wake()
        let server = WorkshopServer(store: store, evaluator: evaluator, catalog: catalog, course: course)
        // The checks' child processes start now, not while the room's first submissions wait.
        server.checker?.prepare()
        return server
    }

    /// Raises this process's open-file limit to its hard limit (at most 65,536): each student's
    /// connection is a file, and the usual soft limit of 1,024 is a room of idle sockets away.
    static func raiseFileLimit() {
        #if canImport(Glibc)
            var limit = rlimit()
            guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
            let wanted = min(limit.rlim_max, 65_536)
            guard limit.rlim_cur < wanted else { return }
            limit.rlim_cur = wanted
            _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #endif
    }

    /// Serves until the process is stopped (Ctrl-C, SIGTERM).
    public static func serve(_ server: WorkshopServer, port: Int) async throws {
        try await application(server, port: port, onRunning: { _ in }).runService()
    }

    /// A host to run in an app: `run` serves until `stop` is called; `onRunning` gets the port
    /// it listens on (the one chosen when `port` is 0).
    public static func start(
        _ server: WorkshopServer, port: Int, idleTimeout: Duration = Self.idleTimeout,
        maximumConnections: Int = Self.maximumConnections, requestSeconds: Int64 = Self.maximumRequestSeconds,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> Running {
        let app = application(
            server, port: port, idleTimeout: idleTimeout, maximumConnections: maximumConnections,
            requestSeconds: requestSeconds, onRunning: onRunning)
        return Running(group: ServiceGroup(configuration: .init(services: [app], logger: app.logger)))
    }

    /// A host started by `start`.
    public struct Running: Sendable {
        let group: ServiceGroup

        public func run() async throws { try await group.run() }

        /// Stops listening once the requests being answered are done.
        public func stop() async { await group.triggerGracefulShutdown() }
    }

    /// Most connections open at once: a room of 40 uses a few dozen.
    public static let maximumConnections = 2_000

    /// How long a connection may sit idle before the host closes it, so a room of idle (or
    /// abandoned) sockets cannot use up the host's file descriptors.
    public static let idleTimeout: Duration = .seconds(30)

    /// Longest a request may take to arrive once its head has, seconds: the largest submission
    /// (64 MB) over a 1 MB/s classroom network takes about a minute, a 1 MB one a second.
    public static let maximumRequestSeconds: Int64 = 180

    static func application(
        _ server: WorkshopServer, port: Int, idleTimeout: Duration = Self.idleTimeout,
        maximumConnections: Int = Self.maximumConnections, requestSeconds: Int64 = Self.maximumRequestSeconds,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let idle = idleTimeout.components
        let connections = ConnectionLimit.Count(maximum: maximumConnections)
        return Application(
            router: server.router(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        ConnectionLimit(count: connections), RequestDeadline(maximum: .seconds(requestSeconds)),
                    ],
                    idleTimeout: .milliseconds(idle.seconds * 1000 + idle.attoseconds / 1_000_000_000_000_000))),
            configuration: .init(address: .hostname("0.0.0.0", port: port), serverName: "Paddock workshop"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) })
    }

    /// This machine's IPv4 addresses on the LAN (not loopback), for the join address.
    public static func lanAddresses() -> [String] {
        var addresses: [String] = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == UInt16(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST
            )
                == 0
            {
                let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !text.hasPrefix("127.") { addresses.append(text) }
            }
        }
        return addresses
    }
}
