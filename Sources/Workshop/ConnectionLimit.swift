import Foundation
import NIOCore
import Synchronization

/// Caps the host's open connections: each connection's pipeline gets this handler, and one over
/// the cap is closed as soon as it opens (the app retries its poll a moment later). With idle
/// connections closed after `WorkshopHost.idleTimeout`, a flood of sockets cannot use up the
/// host's memory or file descriptors, and the room's connections keep working.
///
/// Each handler belongs to its connection's event loop (NIO calls it there only), which is why it
/// may keep `counted` unguarded; `Count` is shared between loops behind a mutex.
final class ConnectionLimit: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    /// Open connections, shared by every connection's handler.
    final class Count: Sendable {
        let maximum: Int
        private let open = Mutex(0)

        init(maximum: Int) { self.maximum = maximum }

        /// Counts a new connection; false (and not counted) when the cap is reached.
        func enter() -> Bool {
            open.withLock { open in
                guard open < maximum else { return false }
                open += 1
                return true
            }
        }

        func leave() { open.withLock { $0 -= 1 } }

        var current: Int { open.withLock { $0 } }
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
