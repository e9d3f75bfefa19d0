import Analysis
import Assets
import Foundation
import Imaging
import PaddockTestSupport
import RewardScript
import Simulator
import Testing

/// The pictures, the track match and the reward what-if on DeepRacer's own console run.
@Suite struct AnalysisPicturesTests {
    static let consoleRun = RepositoryPaths.sharedData.appendingPathComponent(
        "gazebo/simtraces/reinvent_base-2022-console-discrete")
    static let tracks = RepositoryPaths.sharedData.appendingPathComponent("deepracer-tracks")
    static var haveData: Bool { FileManager.default.fileExists(atPath: consoleRun.path) }

    func deepRacerTracks() throws -> [Track] {
        try FileManager.default.contentsOfDirectory(atPath: Self.tracks.path).sorted().filter { $0.hasSuffix(".npy") }
            .map { try TrackCatalog.loadTrack(at: Self.tracks.appendingPathComponent($0), id: String($0.dropLast(4))) }
    }

    @Test(.enabled(if: haveData))
    func theTrackIsFoundByItsLengthAndTheRecordedPositions() throws {
        let analysis = try RunAnalysis(logs: try RunLogs(at: Self.consoleRun))
        let candidates = try deepRacerTracks()
        #expect(TrackMatch.best(for: analysis, among: candidates)?.id == "reinvent_base")
        // A track of another length or shape is not taken for it.
        #expect(TrackMatch.best(for: analysis, among: candidates.filter { $0.id != "reinvent_base" }) == nil)
    }

    @Test(.enabled(if: haveData))
    func everyPictureDrawsItsData() throws {
        let analysis = try RunAnalysis(logs: try RunLogs(at: Self.consoleRun))
        let track = try #require(try deepRacerTracks().first { $0.id == "reinvent_base" })
        let pictures = AnalysisPictures(analysis: analysis, track: track)
        let background = ChartTheme.standard.background
        for kind in AnalysisPictures.Kind.allCases {
            let canvas = pictures.picture(kind, width: 640, height: 400)
            // Something besides the background, the text and the axes: coloured pixels, at least
            // 0.3 % of them for a curve, 2 % for the track pictures and bands.
            var coloured = 0
            for y in 0..<canvas.height {
                for x in 0..<canvas.width {
                    let c = canvas[x, y]
                    let spread = Int(max(c.red, c.green, c.blue)) - Int(min(c.red, c.green, c.blue))
                    if spread > 40 && c != background { coloured += 1 }
                }
            }
            let share = [.reward, .progress, .laps].contains(kind) ? 0.003 : 0.02
            #expect(Double(coloured) > share * Double(canvas.width * canvas.height), "\(kind.rawValue): \(coloured)")
        }
        let sheet = pictures.sheet()
        #expect(sheet.width == 1280)
        #expect(sheet.height == 44 + 4 * 400)
    }

    @Test(.enabled(if: haveData))
    func sectionsCoverTheLapAndHoldTheActionsChosen() throws {
        let analysis = try RunAnalysis(logs: try RunLogs(at: Self.consoleRun))
        let track = try #require(try deepRacerTracks().first { $0.id == "reinvent_base" })
        let sections = SectionSummary.sections(of: analysis.evaluations, track: track)
        #expect(sections.count == 20)
        #expect(abs((sections.last?.toMetres ?? 0) - track.length) < 1e-9)
        // Evaluation steps minus each trial's prepare step.
        let driving = analysis.evaluations.reduce(0) { total, trace in
            total + trace.simtrace.status.filter { $0 != "prepare" && $0 != "pause" }.count
        }
        #expect(sections.reduce(0) { $0 + $1.steps } == driving)
        for section in sections {
            #expect((-30...30).contains(section.meanSteering))
            #expect((1...2).contains(section.meanSpeed))
            #expect(section.lowSteering <= section.meanSteering && section.meanSteering <= section.highSteering)
        }
    }

    @Test(.enabled(if: haveData))
    func theWhatIfRescoresEveryDrivingStep() throws {
        let analysis = try RunAnalysis(logs: try RunLogs(at: Self.consoleRun))
        let track = try #require(try deepRacerTracks().first { $0.id == "reinvent_base" })
        let one = try RewardFunction(source: "def reward_function(params):\n    return 1.0\n", fileName: "one.py")
        let report = try RewardWhatIf.run(analysis: analysis, track: track, reward: one, rewardFile: "one.py")
        let episodes = analysis.trainingEpisodes
        #expect(report.episodes.count == episodes.count)
        for (score, episode) in zip(report.episodes, episodes) {
            let trace = try #require(analysis.training.first { $0.iteration == episode.iteration })
            let driving = episode.rows.filter { trace.simtrace.status[$0] != "prepare" }.count
            #expect(score.newReward == Double(driving))
            #expect(score.oldReward == episode.totalReward)
        }
        #expect(Set(report.episodes.map(\.newRank)).count == episodes.count)

        // A reward paying the distance from the centre: larger for the episodes that drove off it.
        let centre = try RewardFunction(
            source: "def reward_function(params):\n    return params['distance_from_center']\n", fileName: "centre.py")
        let offset = try RewardWhatIf.run(analysis: analysis, track: track, reward: centre, rewardFile: "centre.py")
        let first = try #require(analysis.training.first)
        let rows = first.episodes[0].rows.filter { first.simtrace.status[$0] != "prepare" }
        let expected = rows.reduce(0.0) { total, i in
            total + track.project(Vector2(first.simtrace.x[i], first.simtrace.y[i])).distanceFromCentre
        }
        #expect(abs(offset.episodes[0].newReward - expected) < 1e-9)
    }
}
