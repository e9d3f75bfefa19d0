import Foundation
import NIOCore

/// Caps the host's open connections: each connection's pipeline gets this handler, and one over
/// the cap is closed as soon as it opens (the app retries its poll a moment later). With idle
/// connections closed after `WorkshopHost.idleTimeout`, a flood of sockets cannot use up the
/// host's memory or file descriptors, and the room's connections keep working.
final class ConnectionLimit: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny

    /// Open connections, shared by every connection's handler.
    final class Count: @unchecked Sendable {
        let maximum: Int
        private let lock = NSLock()
        private var open = 0

        init(maximum: Int) { self.maximum = maximum }

        /// Counts a new connection; false (and not counted) when the cap is reached.
        func enter() -> Bool {
            lock.withLock {
                guard open < maximum else { return false }
                open += 1
                return true
            }
        }

        func leave() { lock.withLock { open -= 1 } }

        var current: Int { lock.withLock { open } }
    }

    let count: Count
    private var counted = false

    init(count: Count) { self.count = count }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = count.enter()
        if !counted { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if counted {
            counted = false
            count.leave()
        }
    }
}
