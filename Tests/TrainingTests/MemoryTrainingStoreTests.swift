import Foundation
import Model
import PaddockTestSupport
import Synchronization
import Testing

@testable import Training

/// Training against a store in memory: no folder, a clock the test sets.
@Suite(.serialized) struct MemoryTrainingStoreTests {
    final class FakeClock: Sendable {
        private let seconds = Mutex(0.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        func read() -> Double { seconds.withLock { $0 } }
    }

    @Test func iterationsResumeAndKeepTheLastTwoCheckpoints() throws {
        let store = MemoryTrainingStore(name: "in_memory")
        let clock = FakeClock()
        let description = ModelDescription(track: "beginner_loop", settings: TrainingSessionTests.settings())
        func open() throws -> TrainingSession {
            try TrainingSession(
                store: store, description: description, track: try TrainingSessionTests.track(),
                rewardSource: TrainingSessionTests.rewardSource,
                now: {
                    // Each reading is 2.5 s after the one before: an iteration "takes" 2.5 s.
                    clock.advance(2.5)
                    return clock.read()
                })
        }
        let session = try open()
        _ = try #require(try session.runIteration())
        _ = try #require(try session.runIteration())
        #expect(store.exists)
        #expect(try store.readState()?.iterations == 2)
        #expect(try store.readState()?.trainingSeconds == 5)
        #expect(try store.readMetrics().metrics.count == 12)
        #expect(store.simtrace(iteration: 1)?.hasPrefix("episode,") == true)

        // A new session continues from the store, with the same weights.
        let resumed = try open()
        #expect(resumed.state.iterations == 2)
        #expect(resumed.trainer.learner.parameters.map(\.value) == session.trainer.learner.parameters.map(\.value))
        _ = try #require(try resumed.runIteration())
        #expect(store.checkpointNames.contains(.best))
        #expect(store.checkpointNames.isSuperset(of: [.iteration(2), .iteration(3)]))
        #expect(!store.checkpointNames.contains(.iteration(1)))
        let times = try store.readMetrics().metrics.map(\.metricTime)
        #expect(times.count == 18 && zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
