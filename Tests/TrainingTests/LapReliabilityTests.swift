import Foundation
import Model
import Simulator
import Testing

/// The one criterion behind a model's best checkpoint and `bench first-lap`.
@Suite struct LapReliabilityTests {
    static func episode(completion: Double, seconds: Double = 20) -> EpisodeSummary {
        EpisodeSummary(
            reward: 1, completion: completion, steps: Int(seconds * 15),
            status: completion >= 100 ? .lapComplete : .offTrack,
            startTime: 100, endTime: 100 + seconds)
    }

    static func evaluation(_ completions: [Double], seconds: Double = 20) -> [EpisodeSummary] {
        completions.map { episode(completion: $0, seconds: seconds) }
    }

    @Test func aCleanEvaluationNeedsEveryTrialAndAtLeastThree() {
        let clean = LapReliability(evaluation: Self.evaluation([100, 100, 100, 100, 100]), previous: nil)
        #expect(clean.isClean && clean.cleanStreak == 1 && !clean.isStable)
        #expect(clean.meanLapTime == 20)
        let oneOff = LapReliability(evaluation: Self.evaluation([100, 100, 100, 100, 40]), previous: clean)
        #expect(!oneOff.isClean && oneOff.cleanStreak == 0)
        #expect(oneOff.completed == 4 && abs(oneOff.meanCompletion - 88) < 1e-9)
        // Two laps are not enough to call a model clean, however good they are.
        #expect(!LapReliability(evaluation: Self.evaluation([100, 100]), previous: nil).isClean)
    }

    @Test func threeCleanIterationsInARowMakeAStableModelAndAMissStartsAgain() {
        var previous: LapReliability?
        var streaks: [Int] = []
        for completions in [
            [100.0, 100, 100], [100, 100, 100], [100, 100, 30], [100, 100, 100], [100, 100, 100],
            [100, 100, 100],
        ] {
            let next = LapReliability(evaluation: Self.evaluation(completions), previous: previous)
            streaks.append(next.cleanStreak)
            previous = next
        }
        #expect(streaks == [1, 2, 0, 1, 2, 3])
        #expect(previous?.isStable == true)
    }

    @Test func theBestIsTheMostReliableThenTheFastest() {
        var state = TrainingState()
        func iterate(_ completions: [Double], seconds: Double = 20) -> Bool {
            state.iterations += 1
            return state.record(
                LapReliability(evaluation: Self.evaluation(completions, seconds: seconds), previous: state.latest))
        }
        #expect(iterate([100, 100, 100]))  // 1: the first is the best so far
        #expect(!iterate([100, 100, 20]))  // 2: a lap missed
        #expect(iterate([100, 100, 100], seconds: 15))  // 3: clean again (streak 1, as 1's) and faster
        #expect(iterate([100, 100, 100], seconds: 25))  // 4: streak 2 beats streak 1, though slower
        #expect(iterate([100, 100, 100], seconds: 30))  // 5: streak 3, stable
        #expect(!iterate([100, 100, 100], seconds: 31))  // 6: as stable, slower
        #expect(iterate([100, 100, 100], seconds: 22))  // 7: as stable, faster
        #expect(state.bestIteration == 7 && state.bestCompletion == 100)
        #expect(state.best?.meanLapTime == 22)
    }

    @Test func stateFilesFromBeforeTheCriterionStillRead() throws {
        let old =
            #"{"iterations":4,"episodes":80,"bestIteration":2,"bestCompletion":63.5,"trainingSeconds":12.5,"metricTime":900}"#
        let state = try JSONDecoder().decode(TrainingState.self, from: Data(old.utf8))
        #expect(state.iterations == 4 && state.bestIteration == 2 && state.bestCompletion == 63.5)
        #expect(state.best == nil && state.latest == nil)
        // The next clean iteration ranks above a checkpoint chosen by the old rule.
        var next = state
        next.iterations = 5
        let isBest = next.record(LapReliability(evaluation: Self.evaluation([100, 100, 100]), previous: nil))
        #expect(isBest)
        let round = try JSONDecoder().decode(TrainingState.self, from: JSONEncoder().encode(next))
        #expect(round == next)
    }
}
