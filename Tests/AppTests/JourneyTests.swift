import Foundation
import PaddockTestSupport
import Testing

@testable import App

/// The first seven lessons, worked through by the scripted learner with the app's own keys,
/// buttons and editor: every step can be done, and Next moves on (lesson 8 trains, which
/// `paddock bench journey` covers on a release build).
@MainActor @Suite(.serialized) struct JourneyTests {
    @Test func lessonsOneToSevenHaveNoDeadEnd() throws {
        let directory = RepositoryPaths.root.appendingPathComponent("lessons")
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.appendingPathComponent("manifest.json"))) as? [String: Any]
        let entries = try #require(manifest?["lessons"] as? [[String: String]]).prefix(7)
        let texts = try entries.map {
            try String(contentsOf: directory.appendingPathComponent($0["file"] ?? ""), encoding: .utf8)
        }
        let fixture = try AppFixture(lessons: texts, ids: entries.map { $0["id"] ?? "" })
        defer { fixture.remove() }
        let model = try fixture.model()
        var learner = ScriptedLearner(model: model)
        learner.patience = 180
        var steps = 0
        while model.lessonIndex < 6
            || !model.progress.isCompleted(lesson: model.lesson.id, step: model.lesson.steps.count - 1)
        {
            let record = learner.doStep()
            #expect(record.done, "lesson \(record.lesson + 1), step \(record.step + 1) (\(record.title)) was not done")
            guard record.done else { break }
            steps += 1
            if steps > 60 { break }
        }
        #expect(steps == texts.map { $0.components(separatedBy: "\n## ").count - 1 }.reduce(0, +))
    }
}
