import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request is still arriving `maximum` after its head came: a client
/// that trickles a body a byte at a time (resetting the idle timeout with each byte) cannot
/// hold a connection for ever. A request's head must itself come within the idle timeout
/// (`WorkshopHost.idleTimeout`), since nothing of a half-sent head resets it.
final class RequestDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let maximum: TimeAmount
    private var deadline: Scheduled<Void>?

    init(maximum: TimeAmount) { self.maximum = maximum }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loop = context.eventLoop.assumeIsolated()
            deadline = loop.scheduleTask(in: maximum) { context.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
