import Foundation
import Hummingbird
import Synchronization

/// Hummingbird's basic request context plus the client's IP address, for the per-address limits
/// (joins, wrong join codes).
public struct WorkshopRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address ("unknown" where the channel has none, as in router tests).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Counts events per key over a sliding window: at most `limit` in any `perSeconds` seconds.
final class RateLimiter: Sendable {
    let limit: Int
    let window: TimeInterval
    private let events = Mutex<[String: [Date]]>([:])

    init(limit: Int, perSeconds: TimeInterval) {
        self.limit = limit
        self.window = perSeconds
    }

    /// Records an event for `key` and says whether it is within the limit.
    func allow(_ key: String, now: Date = Date()) -> Bool {
        events.withLock { events in
            if events.count > 10_000 {
                events = events.filter { $0.value.last.map { now.timeIntervalSince($0) < window } ?? false }
            }
            var recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < window }
            guard recent.count < limit else {
                events[key] = recent
                return false
            }
            recent.append(now)
            events[key] = recent
            return true
        }
    }
}
