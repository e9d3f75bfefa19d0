import Analysis
import Foundation
import Testing

@Suite struct SimtraceTests {
    static let header =
        "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration"

    func trace(_ rows: [String], header: String = header) throws -> Simtrace {
        try Simtrace(csv: Array((([header] + rows).joined(separator: "\n") + "\n").utf8), path: "t.csv")
    }

    @Test func readsColumnsByNameAndSplitsEpisodes() throws {
        let s = try trace([
            "0,1.0,3.2,0.68,0.18,20.0,1.0,10,0.0,False,True,0.79,1,17.7,27.788,prepare,0.0",
            "0,2.0,3.3,0.69,0.19,-10.0,2.0,5,1.5,False,True,1.5,2,17.7,27.864,in_progress,0.0",
            "1,1.0,4.0,1.0,90.0,0.0,1.0,[0.0 1.0],0.0,False,False,100.0,3,17.7,30.0,lap_complete,0.0",
        ])
        #expect(s.count == 3)
        #expect(s.episodes == [0..<2, 2..<3])
        #expect(s.x == [3.2, 3.3, 4.0])
        #expect(s.steer == [20, -10, 0])
        #expect(s.action == [10, 5, -1])
        #expect(s.reward == [0, 1.5, 0])
        #expect(s.allWheelsOnTrack == [true, true, false])
        #expect(s.status == ["prepare", "in_progress", "lap_complete"])
        #expect(s.trackLength == 17.7)
        #expect(s.time == [27.788, 27.864, 30.0])
    }

    @Test func readsOlderFilesWithoutOptionalColumnsAndInAnyOrder() throws {
        let s = try trace(["5,3,1,2,0.5,1", "5,4,1,2,0.25,2"], header: "progress,reward,X,Y,steps,episode")
        #expect(s.episode == [1, 2])
        #expect(s.progress == [5, 5])
        #expect(s.step == [0.5, 0.25])
        #expect(s.time.filter { !$0.isNaN }.isEmpty)
        #expect(s.status == ["", ""])
        #expect(s.isContinuous)
    }

    @Test func aNewEpisodeStartsWhereTheStepFallsBack() throws {
        // Paddock's evaluation files number trials 0, 1, ...; a file joined from two runs may repeat
        // an episode number with the steps starting again.
        let s = try trace(["0,1,0,0,1,0", "0,2,0,0,1,0", "0,1,0,0,1,0"], header: "episode,steps,X,Y,reward,progress")
        #expect(s.episodes == [0..<2, 2..<3])
    }

    @Test(arguments: [
        ("0,1.0,3.2,0.68", "t.csv, line 1: the header has no reward, progress column"),
        ("0,1,x,0,1,2\n", "t.csv, line 2: column X holds 'x', not a number"),
        ("0,1,0,0,1\n", "t.csv, line 2: it has 5 fields where the header has 6"),
        ("0.5,1,0,0,1,2\n", "t.csv, line 2: the episode number 0.5 is not whole"),
    ])
    func badFilesSayWhereAndWhat(body: String, message: String) throws {
        let header = body.hasPrefix("0,1.0,3.2") ? "episode,steps,X,Y" : "episode,steps,X,Y,reward,progress"
        do {
            _ = try Simtrace(csv: Array((header + "\n" + body).utf8), path: "t.csv")
            Issue.record("read without complaint")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func blankAndNanPositionsReadAsUnknown() throws {
        let s = try trace(["0,1,,nan,1,2"], header: "episode,steps,X,Y,reward,progress")
        #expect(s.x[0].isNaN && s.y[0].isNaN)
    }

    /// The fast decimal reader agrees with the standard library's on every kind of field
    /// simtraces hold.
    @Test func numbersReadExactly() throws {
        var fields = [
            "0", "-0.0", "1.0", "3.1999032745384617", "0.30000000000000004", "1e-05", "2.5e+16", "-123.456",
            "17.709159380834848", "100.0", "0.7915139235659773", "99999999999999999999", "0.1",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let value = Double.random(in: -1000...1000, using: &generator)
            fields.append("\(value)")
            fields.append(String(format: "%.4f", value))
        }
        let rows = fields.map { "0,1,\($0),0,0,0" }
        let s = try trace(rows, header: "episode,steps,X,Y,reward,progress")
        for (field, value) in zip(fields, s.x) {
            #expect(value == Double(field), "\(field) read as \(value)")
        }
    }
}
