import CPython
import Foundation

/// Stops reward function calls that run too long, by raising `TimeoutError` inside them.
///
/// A background thread looks every few milliseconds at the call under way. When one passes its
/// deadline, the thread takes the GIL (the running Python code hands it over at its next switch
/// interval), checks the same call is still running, and asks CPython to raise `TimeoutError`
/// in the calling thread (`PyThreadState_SetAsyncExc`). This stops Python loops; it cannot stop
/// a single long C call (such as `time.sleep`) until that call returns.
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()

    private let lock = NSLock()
    /// The calls being watched, by number: the Python thread running each, and its deadline.
    /// Several threads may each have a call under way (they take turns holding the GIL).
    private var calls: [UInt64: (thread: UInt, deadline: ContinuousClock.Instant)] = [:]
    private var firedCalls: Set<UInt64> = []
    private var callCount: UInt64 = 0
    private var thread: Thread?

    /// Starts watching a call made now on the current Python thread; returns its number.
    /// Call with the GIL held.
    func begin(limit: Double) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        if thread == nil {
            let watcher = Thread { [weak self] in self?.watch() }
            watcher.name = "paddock reward watchdog"
            watcher.start()
            thread = watcher
        }
        callCount += 1
        calls[callCount] = (UInt(PyThread_get_thread_ident()), ContinuousClock.now + .milliseconds(Int64(limit * 1000)))
        return callCount
    }

    /// Stops watching call `number`; tells whether the watchdog stopped it. Call with the GIL held.
    func end(_ number: UInt64) -> Bool {
        lock.lock()
        let fired = firedCalls.remove(number) != nil
        let thread = calls.removeValue(forKey: number)?.thread
        lock.unlock()
        if fired, let thread {
            // Clear a stop that was asked for but not yet delivered.
            PyThreadState_SetAsyncExc(thread, nil)
        }
        return fired
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.005)
            let now = ContinuousClock.now
            lock.lock()
            let due = calls.filter { $0.value.deadline <= now && !firedCalls.contains($0.key) }
            lock.unlock()
            guard !due.isEmpty else { continue }
            let state = PyGILState_Ensure()
            lock.lock()
            for (number, call) in due where calls[number] != nil {
                // Still running (it may have finished while this thread waited for the GIL).
                firedCalls.insert(number)
                PyThreadState_SetAsyncExc(call.thread, paddock_ExcTimeoutError())
            }
            lock.unlock()
            PyGILState_Release(state)
        }
    }
}
