import Foundation
import Synchronization

/// The app's one way to do work that waits (the network, a model being raced, the learner's
/// Python over the whole road, compressing an archive) without holding up a frame. `start` runs
/// the work on a thread of its own; its typed result comes back to `then` on the model's thread,
/// when `deliver` runs (every tick). Nothing the model owns crosses threads: the work sees only
/// the `Sendable` values it captured, and `then` stays here until its result arrives.
///
/// Threads, not GCD's global queue: on Linux that runs one item per core at a time, and
/// URLSession's own callbacks need it, so two waiting calls there could stall each other.
final class BackgroundJobs {
    /// Where finished work leaves its result: the only thing the threads share.
    fileprivate final class Mailbox: Sendable {
        let results = Mutex<[(id: Int, value: any Sendable)]>([])
    }

    /// A way back to the model's thread for a value produced elsewhere (a server's callback).
    struct Reply<Value: Sendable>: Sendable {
        fileprivate let id: Int
        fileprivate let mailbox: Mailbox

        func send(_ value: Value) { mailbox.results.withLock { $0.append((id, value)) } }
    }

    private let mailbox = Mailbox()
    private var waiting: [Int: (AppModel, any Sendable) -> Void] = [:]
    private var nextID = 0

    /// Jobs started whose results have not been delivered yet.
    var pendingCount: Int { waiting.count }

    /// Runs `work` on a thread of its own; `then` gets its value or its error on the model's
    /// thread.
    func start<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value, then: @escaping (AppModel, Result<Value, any Error>) -> Void
    ) {
        let reply = expect(then)
        let thread = Thread { reply.send(Result { try work() }) }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Runs `work` on a thread of its own, with nothing to hand back (stopping a queue).
    func run(_ work: @escaping @Sendable () -> Void) {
        Thread.detachNewThread(work)
    }

    /// A reply whose first value goes to `then` on the model's thread.
    func expect<Value: Sendable>(_ then: @escaping (AppModel, Value) -> Void) -> Reply<Value> {
        nextID += 1
        waiting[nextID] = { model, value in
            guard let value = value as? Value else { preconditionFailure("a reply carries its own type") }
            then(model, value)
        }
        return Reply(id: nextID, mailbox: mailbox)
    }

    /// Hands every result that arrived since the last call to its `then`, in arrival order.
    func deliver(to model: AppModel) {
        let arrived = mailbox.results.withLock { results in
            defer { results = [] }
            return results
        }
        for (id, value) in arrived {
            guard let then = waiting.removeValue(forKey: id) else { continue }
            then(model, value)
        }
    }
}
