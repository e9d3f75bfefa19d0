import Foundation
import PaddockTestSupport
import Testing
import WorkshopTestSupport

@testable import Assets
@testable import Workshop

@Suite struct RacePathTests {
    let path = RacePath(samples: [
        .init(time: 0.0, x: 0, y: 0, heading: 0, lap: 1),
        .init(time: 1.0, x: 0.25, y: 0, heading: 3.0, lap: 1),
        .init(time: 2.0, x: 0.5, y: 0, heading: -3.0, lap: 1),
        // Put back on the track after going off: a jump of 2 m.
        .init(time: 3.0, x: 2.5, y: 0, heading: 0, lap: 1),
        .init(time: 4.0, x: 0, y: 0, heading: 0, lap: 2),
    ])

    @Test func theStoredFormReadsBack() {
        let again = RacePath(data: path.data)
        #expect(again == path)
        #expect(path.data.count == 5 * 5 * 4)
        // Bytes that do not make a whole sample are ignored rather than misread.
        #expect(RacePath(data: path.data + Data([1, 2, 3])) == path)
        #expect(RacePath(data: Data()).samples.isEmpty)
    }

    @Test func betweenStepsTheCarIsInterpolated() throws {
        let halfway = try #require(path.pose(at: 0.5))
        #expect(abs(halfway.x - 0.125) < 1e-9 && halfway.lap == 1)
        #expect(abs(halfway.heading - 1.5) < 1e-9)
        // Across ±π the heading turns the short way (3.0 to -3.0 passes through π).
        let turning = try #require(path.pose(at: 1.5))
        #expect(abs(abs(turning.heading) - (3.0 + (2 * .pi - 6.0) / 2)) < 1e-9)
        // A put-back jumps; the car does not slide across the grass.
        #expect(path.pose(at: 2.5)?.x == 0.5)
        // A new lap starts at the line without a slide from the finish.
        #expect(path.pose(at: 3.5)?.x == 2.5)
        // Before the start and after the finish it stays put.
        #expect(path.pose(at: -1)?.x == 0 && path.pose(at: 9)?.lap == 2)
        #expect(path.duration == 4)
    }

    @Test func theReplayPlaysEveryCarOnOneClock() {
        let short = RacePath(samples: [
            .init(time: 0, x: 5, y: 5, heading: 0, lap: 1), .init(time: 2, x: 6, y: 5, heading: 0, lap: 1),
        ])
        let replay = RaceReplay(cars: [
            .init(studentId: 1, name: "Ada", path: path), .init(studentId: 2, name: "Grace", path: short),
        ])
        #expect(replay.duration == 4)
        let markers = replay.markers(at: 3)
        #expect(markers.map(\.name) == ["Ada", "Grace"])
        #expect(markers.map(\.finished) == [false, true])
        #expect(markers[1].x == 6)
        #expect(RaceReplay(cars: []).markers(at: 1).isEmpty)
    }
}

@Suite(.serialized) struct RaceEvaluationTests {
    /// The host records each evaluated car's laps step by step, and races them again on a new track.
    @Test func theEvaluatorRecordsEveryLapForTheReplay() async throws {
        let host = try TestHost()
        let store = host.server.store
        let (student, _) = try store.join(name: "Ada")
        let archive = try #require(Data(base64Encoded: try archiveBase64()))
        _ = try host.server.setRace(laps: 2)
        _ = try host.server.checkAndStore(archive: archive, reward: "", student: student)
        try await blocking { host.server.evaluator.drain() }
        let replay = try store.replay()
        let car = try #require(replay.cars.first)
        #expect(replay.cars.count == 1 && car.name == "Ada")
        #expect(Set(car.path.samples.map(\.lap)) == [1, 2])
        let submission = try #require(try store.submissions().first)
        let trials = try JSONDecoder().decode([TrialTimes].self, from: Data(submission.trials.utf8))
        #expect(trials.count == 2)
        // Laps run back to back: the replay lasts as long as the two trials together.
        #expect(abs(car.path.duration - trials.map(\.elapsedTime).reduce(0, +)) < 0.2)
        // Samples are in time order, so the replay can search them.
        #expect(zip(car.path.samples, car.path.samples.dropFirst()).allSatisfy { $0.time <= $1.time })

        // Bad race settings are refused with what to use instead.
        #expect(throws: WorkshopError.self) { try host.server.setRace(track: "nowhere") }
        #expect(throws: WorkshopError.self) { try host.server.setRace(laps: 11) }

        // A new track: the model races again there, and the replay follows.
        let other = try #require(host.server.catalog.entries.map(\.id).first { $0 != "beginner_loop" })
        _ = try host.server.setRace(track: other, laps: 1)
        #expect(try store.submissions().first?.status != "done")
        #expect(try store.replay().cars.isEmpty)
        try await blocking { host.server.evaluator.drain() }
        let again = try #require(try store.replay().cars.first)
        #expect(Set(again.path.samples.map(\.lap)) == [1])
        let start = try host.server.catalog.track(named: other).waypoints[0]
        let first = try #require(again.path.samples.first)
        #expect(hypot(first.x - start.x, first.y - start.y) < 0.5)
    }

    struct TrialTimes: Decodable {
        var elapsedTime: Double
    }
}
