import Analysis
import Foundation
import Testing

/// Finding a run's simtraces in each layout DeepRacer runs come in, built in scratch folders.
@Suite struct RunLogsTests {
    static let rows =
        "episode,steps,X,Y,reward,progress,tstamp,episode_status\n"
        + "0,1,0,0,0,1,10.0,prepare\n0,2,0,0,1.5,50,10.5,in_progress\n0,3,0,0,2.5,100,11.25,lap_complete\n"
        + "1,1,0,0,0,1,20.0,prepare\n1,2,0,0,0.5,30,20.5,off_track\n"

    func folder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runlogs-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func aConsoleDownload() throws {
        let root = try folder([
            "sim-trace/training/training-simtrace/0-iteration.csv": Self.rows,
            "sim-trace/training/training-simtrace/1-iteration.csv": Self.rows,
            "sim-trace/training/training-simtrace/10-iteration.csv": Self.rows,
            "sim-trace/evaluation/20240101120000/evaluation-simtrace/0-iteration.csv": Self.rows,
            "logs/training/robomaker.log": "2024 INFO ... WORLD_NAME: \"reInvent2019_track\" ...\n",
            "model/model_metadata.json": "{}",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = try RunLogs(at: root)
        #expect(logs.layout == .consoleDownload)
        #expect(logs.training.map(\.iteration) == [0, 1, 10])
        #expect(logs.evaluations.map(\.name) == ["20240101120000"])
        #expect(logs.namedTrack == "reInvent2019_track")
        #expect(logs.metadataFile?.lastPathComponent == "model_metadata.json")

        let analysis = try RunAnalysis(logs: logs)
        #expect(analysis.iterations.map(\.iteration) == [0, 1, 10])
        let first = try #require(analysis.iterations.first)
        #expect(first.episodes == 2)
        #expect(first.steps == 5)
        #expect(first.meanReward == (4 + 0.5) / 2)
        #expect(first.meanProgress == 65)
        #expect(first.completionRate == 0.5)
        #expect(first.bestLapTime == 1.25)
        #expect(first.offTrackCount == 1)
        #expect(analysis.evaluationSummaries.first?.name == "20240101120000")
    }

    @Test func aDeepRacerForCloudFolder() throws {
        let root = try folder([
            "training-simtrace/0-iteration.csv": Self.rows,
            "evaluation-20220709200242/evaluation-simtrace/0-iteration.csv": Self.rows,
            "model/.coach_checkpoint": "3_Step-1.ckpt",
            "ip/hyperparameters.json": "{}",
            "run.env": "DR_WORLD_NAME=reinvent_base\nDR_RACE_TYPE=TIME_TRIAL\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = try RunLogs(at: root)
        #expect(logs.layout == .deepRacerForCloud)
        #expect(logs.evaluations.map(\.name) == ["evaluation-20220709200242"])
        #expect(logs.namedTrack == "reinvent_base")
    }

    @Test func aPaddockModelNamesItsTrack() throws {
        let root = try folder([
            "training-simtrace/0-iteration.csv": Self.rows, "paddock/settings.json": #"{"track": "s_bend_loop"}"#,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = try RunLogs(at: root)
        #expect(logs.layout == .paddockModel)
        #expect(logs.namedTrack == "s_bend_loop")
    }

    @Test func aSingleFileIsSplitByTheRunsEpisodesPerIteration() throws {
        let many = (0..<7).map { e in "\(e),1,0,0,1,\(e * 10)\n\(e),2,0,0,2,\(e * 10 + 5)\n" }.joined()
        let root = try folder([
            "run.csv": "episode,steps,X,Y,reward,progress\n" + many,
            "hyperparameters.json": #"{"num_episodes_between_training": 3}"#,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = try RunLogs(at: root.appendingPathComponent("run.csv"))
        #expect(logs.layout == .simtraceFile)
        let analysis = try RunAnalysis(logs: logs)
        #expect(analysis.episodesPerIteration == 3)
        #expect(analysis.iterations.map(\.episodes) == [3, 3, 1])
        #expect(analysis.iterations.map(\.meanProgress) == [15, 45, 65])
        #expect(try RunAnalysis(logs: logs, episodesPerIteration: 7).iterations.count == 1)
    }

    @Test func foldersThatCannotBeAnalysedSayWhy() throws {
        let mixed = try folder(["a/0-iteration.csv": Self.rows, "b/0-iteration.csv": Self.rows])
        let loose = try folder(["run-a.csv": Self.rows, "run-b.csv": Self.rows])
        let empty = try folder(["notes.txt": "hello"])
        defer {
            for url in [mixed, loose, empty] { try? FileManager.default.removeItem(at: url) }
        }
        func failure(_ url: URL) -> String {
            do {
                _ = try RunLogs(at: url)
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(failure(mixed).contains("two simtraces for iteration 0"), "\(failure(mixed))")
        #expect(failure(loose).contains("paddock analyze \(loose.path)/run-a.csv"), "\(failure(loose))")
        #expect(failure(empty).contains("holds no simtrace"), "\(failure(empty))")
    }
}
