import Foundation
import Testing

@testable import Simulator

@Suite struct SimtraceRowTests {
    /// Python's `str()` of each value, printed by CPython 3.11.
    @Test(arguments: [
        (0.1, "0.1"), (1.0, "1.0"), (0.30000000000000004, "0.30000000000000004"), (1e-05, "1e-05"),
        (1.5e-05, "1.5e-05"), (0.0001, "0.0001"), (0.00012345, "0.00012345"), (123.456, "123.456"), (1e16, "1e+16"),
        (1.2345678901234568e+17, "1.2345678901234568e+17"), (-2.5e-07, "-2.5e-07"),
        (17.709159380834848, "17.709159380834848"), (27.788, "27.788"), (100.0, "100.0"), (-0.0, "-0.0"),
        (0.7915139235659773, "0.7915139235659773"), (1e15, "1000000000000000.0"), (123456789.125, "123456789.125"),
        (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
    ])
    func floatsPrintAsPythonDoes(value: Double, python: String) {
        #expect(SimtraceRow.python(value) == python)
    }

    @Test func headerMatchesDeepRacersSample() throws {
        let url = SharedData.logsDirectory.appendingPathComponent("training-simtrace/0-iteration.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.split(separator: "\n").first.map(String.init) == SimtraceRow.header)
    }

    /// Our rows have the same shape as the sample's, field by field.
    @Test func rowsHaveTheSampleFieldForms() throws {
        let url = SharedData.logsDirectory.appendingPathComponent("training-simtrace/0-iteration.csv")
        let sample = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let sampleFields = sample[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)

        var simulation = Simulation(
            track: try Track(npyBytes: SharedData.trackBytes("reinvent_base"), id: "reinvent_base", source: "x"))
        simulation.reset()
        let prepare = simulation.step(Action(steeringAngle: 20, speed: 1))
        let ours = SimtraceRow(episode: 0, result: prepare, reward: 0, actionIndex: 10).line
        let fields = ours.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == 17)
        #expect(fields.count == sampleFields.count)
        let float = #/^-?\d+\.\d+(e[-+]\d+)?$|^-?\d+(\.\d+)?e[-+]\d+$/#
        for (i, (mine, theirs)) in zip(fields, sampleFields).enumerated() {
            let bothFloats = (try? float.wholeMatch(in: mine)) != nil && (try? float.wholeMatch(in: theirs)) != nil
            let bothInts = Int(mine) != nil && Int(theirs) != nil
            let sameWord = mine == theirs
            #expect(bothFloats || bothInts || sameWord, "column \(i): '\(mine)' vs sample '\(theirs)'")
        }
        #expect(fields[1] == "1.0")
        #expect(fields[9] == "False")
        #expect(fields[10] == "True")
        #expect(fields[15] == "prepare")
        // The start of reinvent_base as DeepRacer logs it: the reference point just ahead of waypoint 0.
        #expect(abs(Double(fields[11])! - 0.79) < 0.01)
        #expect(fields[12] == "1")
    }

    @Test func continuousActionsAreWrittenInBrackets() throws {
        var simulation = Simulation(track: TestTracks.circle())
        simulation.reset()
        let result = simulation.step(Action(steeringAngle: -12.5, speed: 1.25))
        let line = SimtraceRow(episode: 3, result: result, reward: 0, actionIndex: nil).line
        #expect(line.contains(",[-12.5 1.25],"))
        #expect(line.hasPrefix("3,1.0,"))
    }
}

@Suite struct SimtraceLogTests {
    /// A whole episode logged as DeepRacer logs it: a prepare row, then a row per step, the last one done.
    @Test func anEpisodeLogsLikeTheSample() throws {
        var simulation = Simulation(track: TestTracks.circle())
        simulation.reset()
        var log = SimtraceLog()
        let driver = ScriptedDriver()
        var result: StepResult
        repeat {
            result = simulation.step(driver.action(for: simulation.car, on: simulation.track))
            log.append(
                SimtraceRow(episode: 0, result: result, reward: result.callsRewardFunction ? 1 : 0, actionIndex: 4))
        } while !result.isDone
        let lines = log.text.split(separator: "\n")
        #expect(lines.first.map(String.init) == SimtraceRow.header)
        #expect(lines.count == log.rows.count + 1)
        #expect(lines[1].contains(",prepare,"))
        #expect(lines[1].hasPrefix("0,1.0,"))
        #expect(lines.last?.contains(",True,True,100.0,") == true)
        #expect(lines.last?.contains(",lap_complete,") == true)
        #expect(log.text.hasSuffix("\n"))
        #expect(SimtraceLog.fileName(iteration: 3) == "3-iteration.csv")
        // Timestamps rise by one step each row.
        let times = lines.dropFirst().map { Double($0.split(separator: ",")[14])! }
        #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - 1.0 / 15) < 1e-9 })
    }
}
