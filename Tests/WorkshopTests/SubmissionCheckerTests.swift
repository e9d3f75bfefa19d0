import Foundation
import Testing
import WorkshopTestSupport

@testable import CarExport
@testable import Workshop

#if canImport(Glibc)
    import Glibc
#endif

/// The submission check's child processes: a model that passes, one that is too slow, and a
/// child that died while it waited for work.
@Suite struct SubmissionCheckerTests {
    static func parts(_ archive: Data) throws -> (metadata: Data, graph: Data) {
        let selection = try ModelSource(archive: archive, path: "test").select()
        return (selection.metadata, selection.graph)
    }

    static func checker(wallSeconds: Double = 20) throws -> SubmissionChecker {
        let executable = try #require(SubmissionProcess.defaultExecutable(), "no paddock program beside the tests")
        return SubmissionChecker(executable: executable, wallSeconds: wallSeconds)
    }

    @Test func aGoodModelPassesAndItsChildWaitsForTheNext() throws {
        let checker = try Self.checker()
        let good = try Self.parts(try archiveData())
        #expect(checker.check(metadata: good.metadata, graph: good.graph) == nil)
        let first = checker.idleProcessIDs
        #expect(first.count == 1)
        #expect(checker.check(metadata: good.metadata, graph: good.graph) == nil)
        #expect(checker.idleProcessIDs == first, "the child was not reused")
    }

    @Test func aModelSlowerThanTheLimitIsRefusedAndTheNextChecked() throws {
        // The slow graph takes about 0.1 s a frame; this check allows 0.02 s.
        let checker = try Self.checker(wallSeconds: 0.02)
        let slow = try Self.parts(try HostileSubmissionTests.slowArchive())
        let refusal = checker.check(metadata: slow.metadata, graph: slow.graph)
        #expect(refusal?.contains("too slow") == true, "\(refusal ?? "passed")")
        #expect(checker.idleProcessIDs.isEmpty, "the stalled child was kept")
        let patient = try Self.checker()
        let good = try Self.parts(try archiveData())
        #expect(patient.check(metadata: good.metadata, graph: good.graph) == nil)
    }

    @Test func aChildThatDiedWhileIdleIsReplaced() throws {
        let checker = try Self.checker()
        let good = try Self.parts(try archiveData())
        #expect(checker.check(metadata: good.metadata, graph: good.graph) == nil)
        let child = try #require(checker.idleProcessIDs.first)
        kill(child, SIGKILL)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(checker.check(metadata: good.metadata, graph: good.graph) == nil)
        #expect(checker.idleProcessIDs.first != child)
    }

    @Test func aModelThatFailsItsChecksIsRefusedWithTheReason() throws {
        let checker = try Self.checker()
        let good = try Self.parts(try archiveData())
        let refusal = checker.check(metadata: Data("{\"action_space_type\": \"sideways\"}".utf8), graph: good.graph)
        #expect(refusal?.contains("sideways") == true, "\(refusal ?? "passed")")
        #expect(checker.idleProcessIDs.count == 1, "a refusal is not a crash: the child stays")
    }
}
