import Assets
import CarExport
import Foundation
import Model
import NeuralNetwork
import PaddockTestSupport
import Workshop

/// A workshop host in memory, its routes driven without a socket.
public struct TestHost: Sendable {
    public let server: WorkshopServer
    public let directory: URL

    /// `checkMemory`: the submission check's address-space limit (by default the race's, at most
    /// 2 GB, as the host has it).
    public init(
        file: URL? = nil, limits: SubmissionProcess.Limits = SubmissionProcess.Limits(), checkMemory: Int? = nil
    )
        throws
    {
        // As WorkshopHost.make: products on the calling thread only. The evaluator's thread runs
        // at the lowest priority, and OpenBLAS's helper threads (at normal priority) would spin
        // waiting for it.
        MatrixMath.setThreadCount(1)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-ws-\(UUID().uuidString)")
        let store = try WorkshopStore(url: file, title: "Test workshop")
        let catalog = try TrackCatalog(directory: RepositoryPaths.root.appendingPathComponent("tracks"))
        let executable = SubmissionProcess.defaultExecutable()
        server = WorkshopServer(
            store: store,
            evaluator: SubmissionEvaluator(
                store: store, catalog: catalog, scratch: directory,
                process: executable.map { SubmissionProcess(executable: $0, limits: limits) }),
            catalog: catalog,
            checker: checkMemory.flatMap { bytes in
                executable.map { SubmissionChecker(executable: $0, addressSpaceBytes: bytes) }
            })
    }

    public var code: String { (try? server.store.info().joinCode) ?? "" }
    public var instructor: String { (try? server.store.info().instructorToken) ?? "" }
}

/// Runs blocking work (URLSession waits, evaluations, training) on a thread of its own: the
/// Swift concurrency pool is small here and also runs the server's handlers, and GCD's global
/// queue runs one item per core at a time.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// The same archive base64 (as the first, JSON form of a submission sends it).
public func archiveBase64() throws -> String { try archiveData().base64EncodedString() }

/// A small trained-shape model's car archive (.tar.gz).
public func archiveData() throws -> Data {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "paddock-ws-model-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let settings = TrainingSettings()
    var random = NetworkRandom(seed: 4)
    let learner = Learner.make(settings: settings, random: &random)
    let folder = try ModelFolder(name: "m", in: directory)
    try folder.writeDescription(ModelDescription(track: "beginner_loop", settings: settings), rewardSource: "")
    try folder.writeCheckpoint(learner.parameters, metadata: "", to: folder.bestCheckpointFile)
    return try CarArchive.make(folder: folder).gzipData()
}
