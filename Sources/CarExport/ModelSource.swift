import Foundation

/// The files of a DeepRacer model as it comes: a car archive (`model_metadata.json` and
/// `agent/model.pb`), a DeepRacer-for-Cloud model folder or archive (`model/` with a
/// `model_N.pb` for each checkpoint and `.coach_checkpoint` naming the current one), or a console
/// download that keeps them deeper (`model-artifacts/...`).
public struct ModelSource: Sendable {
    /// Paths relative to the archive's or folder's root, and their contents: the graphs, the
    /// metadata and the checkpoint pointers only. A folder's graphs are read when chosen.
    public var files: [String: Contents]

    /// A file's contents, in memory or still on disk.
    public enum Contents: Sendable {
        case data(Data)
        case file(URL)

        func read() throws(CarExportError) -> Data {
            switch self {
            case .data(let data): return data
            case .file(let url):
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw .badArchive(path: url.path, reason: "the file cannot be read")
                }
                return data
            }
        }
    }
    /// Where the model came from, for messages.
    public var path: String

    /// The model files an archive holds.
    public init(archive data: Data, path: String) throws(CarExportError) {
        self.init(archive: try TarArchive.readGzip(data, path: path), path: path)
    }

    /// The model files of an archive already read.
    public init(archive: TarArchive, path: String) {
        var files: [String: Contents] = [:]
        for entry in archive.entries where !entry.isDirectory && Self.isModelFile(entry.path) {
            files[Self.normalised(entry.path)] = .data(entry.contents)
        }
        self.files = files
        self.path = path
    }

    /// The model files under a folder (checkpoint data files are not read).
    public init(folder: URL) throws(CarExportError) {
        let root = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw .badArchive(path: folder.path, reason: "the folder cannot be read")
        }
        var files: [String: Contents] = [:]
        while let relative = walker.nextObject() as? String {
            guard Self.isModelFile(relative) else { continue }
            let url = URL(fileURLWithPath: root).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            files[Self.normalised(relative)] = .file(url)
        }
        self.files = files
        self.path = folder.path
    }

    public init(files: [String: Data], path: String) {
        self.files = files.mapValues { .data($0) }
        self.path = path
    }

    static func isModelFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".pb") || name == "model_metadata.json" || name == ".coach_checkpoint"
    }

    static func normalised(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasPrefix("/") { path.removeFirst() }
        return path
    }

    /// The graph and metadata to import.
    public struct Selection: Sendable {
        public var graphPath: String
        public var graph: Data
        public var metadataPath: String
        public var metadata: Data
        /// The checkpoint number, for DeepRacer-for-Cloud folders.
        public var checkpoint: Int?
    }

    /// The checkpoint number of `model_N.pb`, if the file is named so.
    static func checkpointNumber(_ path: String) -> Int? {
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix("model_"), name.hasSuffix(".pb") else { return nil }
        return Int(name.dropFirst("model_".count).dropLast(".pb".count))
    }

    /// Picks the graph: `model_N.pb` for checkpoint `checkpoint`, or the one `.coach_checkpoint`
    /// names, or the only `.pb`; and the `model_metadata.json` beside it (or one folder up, as
    /// beside `agent/`).
    public func select(checkpoint: Int? = nil) throws(CarExportError) -> Selection {
        let graphs = files.keys.filter { $0.hasSuffix(".pb") }.sorted()
        guard !graphs.isEmpty else {
            throw .badArchive(
                path: path, reason: "it holds no model.pb: expected agent/model.pb (a car archive) or model/model_N.pb")
        }
        let numbered = graphs.compactMap { graph in Self.checkpointNumber(graph).map { (graph, $0) } }
        let available = numbered.map { String($0.1) }.joined(separator: ", ")
        var chosen: String
        var number: Int?
        if let checkpoint {
            guard let match = numbered.first(where: { $0.1 == checkpoint }) else {
                throw .badArchive(
                    path: path,
                    reason: numbered.isEmpty
                        ? "it has no model_N.pb checkpoints to choose from; leave out --checkpoint"
                        : "it has no checkpoint \(checkpoint); it has \(available)")
            }
            (chosen, number) = match
        } else if let pointer = files.keys.sorted().first(where: { $0.hasSuffix(".coach_checkpoint") }),
            let text = try files[pointer]?.read()
        {
            // One line such as "13_Step-25173.ckpt": the checkpoint is model_13.pb.
            let line = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let current = Int(line.split(separator: "_").first ?? ""),
                let match = numbered.first(where: { $0.1 == current })
            else {
                throw .badArchive(
                    path: path,
                    reason:
                        "\(pointer) names the checkpoint '\(line)', but there is no model_N.pb for it (there are: \(available.isEmpty ? "none" : available)); choose one with --checkpoint N"
                )
            }
            (chosen, number) = match
        } else if graphs.count == 1 {
            chosen = graphs[0]
            number = Self.checkpointNumber(chosen)
        } else if numbered.count == graphs.count {
            throw .badArchive(
                path: path,
                reason:
                    "it holds checkpoints \(available) and no .coach_checkpoint saying which; choose one with --checkpoint N"
            )
        } else {
            throw .badArchive(
                path: path,
                reason:
                    "it holds \(graphs.count) .pb files (\(graphs.joined(separator: ", "))); a car archive holds exactly one (agent/model.pb)"
            )
        }
        let folder = (chosen as NSString).deletingLastPathComponent
        let candidates = [folder, (folder as NSString).deletingLastPathComponent].map {
            $0.isEmpty ? "model_metadata.json" : "\($0)/model_metadata.json"
        }
        let all = files.keys.filter { ($0 as NSString).lastPathComponent == "model_metadata.json" }
        guard let metadataPath = candidates.first(where: { files[$0] != nil }) ?? (all.count == 1 ? all.first : nil),
            let metadata = try files[metadataPath]?.read(), let graph = try files[chosen]?.read()
        else {
            throw .badArchive(
                path: path,
                reason: all.isEmpty
                    ? "there is no model_metadata.json (it belongs at the archive's root, beside agent/)"
                    : "there is no model_metadata.json beside \(chosen), and several elsewhere (\(all.sorted().joined(separator: ", ")))"
            )
        }
        return Selection(
            graphPath: chosen, graph: graph, metadataPath: metadataPath, metadata: metadata, checkpoint: number)
    }
}
