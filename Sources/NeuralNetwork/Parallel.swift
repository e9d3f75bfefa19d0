#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Two pieces of work on two cores, for learners whose parts touch disjoint state (PPO's policy
/// and value networks, for one). POSIX threads, so the pure targets need no Foundation. The
/// caller promises the two closures share nothing mutable: the compiler cannot check it here.
public enum Parallel {
    /// Runs `first` on a new thread and `second` on this one, and returns when both are done.
    /// With `enabled` false (or if no thread can be started) it runs them one after the other,
    /// `first` first; either way each does the same arithmetic, so results do not depend on it.
    public static func both(enabled: Bool = true, _ first: () -> Void, _ second: () -> Void) {
        guard enabled else {
            first()
            second()
            return
        }
        withoutActuallyEscaping(first) { first in
            let context = Unmanaged.passRetained(Work(first)).toOpaque()
            guard let thread = Self.start(context) else {
                Unmanaged<Work>.fromOpaque(context).release()
                first()
                second()
                return
            }
            second()
            Self.join(thread)
        }
    }

    /// A closure handed to a POSIX thread.
    private final class Work {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    #if canImport(Glibc)
        private typealias ThreadID = pthread_t
    #else
        private typealias ThreadID = pthread_t?
    #endif

    /// Starts a thread (16 MB of stack, as the trainer's) running the `Work` at `context`.
    private static func start(_ context: UnsafeMutableRawPointer) -> ThreadID? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 16 << 20)
        #if canImport(Glibc)
            var thread = pthread_t()
        #else
            var thread: pthread_t?
        #endif
        let result = pthread_create(
            &thread, &attributes,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Work>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, context)
        return result == 0 ? thread : nil
    }

    private static func join(_ thread: ThreadID) {
        #if canImport(Glibc)
            pthread_join(thread, nil)
        #else
            if let thread { pthread_join(thread, nil) }
        #endif
    }
}
