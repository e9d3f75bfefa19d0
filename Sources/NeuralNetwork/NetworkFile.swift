/// Paddock's file format for network weights: versioned, self-describing, little-endian.
///
/// Layout: the magic bytes `PADDOCKW`, a UInt32 format version, a UInt32 length and that many
/// bytes of UTF-8 metadata (JSON written by the caller: architecture, hyperparameters), a UInt32
/// tensor count, then each tensor as a UInt32 name length, the UTF-8 name, a UInt32 rank, that
/// many UInt32 dimensions, and the float32 values.
public enum NetworkFile {
    public static let magic: [UInt8] = Array("PADDOCKW".utf8)
    public static let version: UInt32 = 1

    /// The bytes of a file holding `parameters` and `metadata`.
    public static func encode(parameters: [Parameter], metadata: String) -> [UInt8] {
        var bytes = magic
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append(version)
        let meta = Array(metadata.utf8)
        append(UInt32(meta.count))
        bytes += meta
        append(UInt32(parameters.count))
        for parameter in parameters {
            let name = Array(parameter.name.utf8)
            append(UInt32(name.count))
            bytes += name
            append(UInt32(parameter.shape.count))
            for dimension in parameter.shape { append(UInt32(dimension)) }
            for value in parameter.value { append(value.bitPattern) }
        }
        return bytes
    }

    /// What a file holds: its metadata and its tensors by name.
    public struct Contents: Sendable {
        public var metadata: String
        public var tensors: [(name: String, shape: [Int], values: [Float])]
    }

    /// Reads a file's bytes. `source` names it in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws(NetworkFileError) -> Contents {
        var offset = 0
        func take(_ count: Int) throws(NetworkFileError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - offset >= count else {
                throw NetworkFileError(source: source, problem: .truncated)
            }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }
        func uint32() throws(NetworkFileError) -> UInt32 {
            let slice = try take(4)
            return slice.reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard Array(try take(magic.count)) == magic else {
            throw NetworkFileError(source: source, problem: .notANetwork)
        }
        let found = try uint32()
        guard found == version else {
            throw NetworkFileError(
                source: source, problem: .unsupportedVersion(found: Int(found), supported: Int(version)))
        }
        let metadata = String(decoding: try take(Int(try uint32())), as: UTF8.self)
        let count = Int(try uint32())
        var tensors: [(String, [Int], [Float])] = []
        for _ in 0..<count {
            let name = String(decoding: try take(Int(try uint32())), as: UTF8.self)
            let rank = Int(try uint32())
            guard rank <= 8 else {
                throw NetworkFileError(source: source, problem: .damaged("tensor \(name) has rank \(rank)"))
            }
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try uint32())) }
            let values = shape.reduce(1, *)
            guard values <= (bytes.count - offset) / 4 else {
                throw NetworkFileError(source: source, problem: .truncated)
            }
            var floats = [Float](repeating: 0, count: values)
            for i in 0..<values { floats[i] = Float(bitPattern: try uint32()) }
            tensors.append((name, shape, floats))
        }
        return Contents(metadata: metadata, tensors: tensors)
    }

    /// Copies saved tensors into `parameters`, matching by name and shape.
    public static func load(_ contents: Contents, into parameters: [Parameter], source: String) throws(NetworkFileError)
    {
        for parameter in parameters {
            guard let saved = contents.tensors.first(where: { $0.name == parameter.name }) else {
                throw NetworkFileError(source: source, problem: .missingTensor(parameter.name))
            }
            guard saved.shape == parameter.shape else {
                throw NetworkFileError(
                    source: source,
                    problem: .shapeMismatch(name: parameter.name, saved: saved.shape, expected: parameter.shape))
            }
            parameter.value = saved.values
        }
    }
}

/// A weights file that could not be read.
public struct NetworkFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case notANetwork
        case truncated
        case unsupportedVersion(found: Int, supported: Int)
        case missingTensor(String)
        case shapeMismatch(name: String, saved: [Int], expected: [Int])
        case damaged(String)
    }

    public var source: String
    public var problem: Problem

    public var description: String {
        switch problem {
        case .notANetwork:
            "\(source): not a Paddock network file (it does not start with PADDOCKW)."
        case .truncated:
            "\(source): the file ends early; it may have been cut short while copying. Use the model's checkpoint again."
        case .unsupportedVersion(let found, let supported):
            "\(source): written in format version \(found), but this Paddock reads version \(supported). "
                + "Update Paddock, or re-export the model from the Paddock that made it."
        case .missingTensor(let name):
            "\(source): has no weights for \(name); it was saved from a different network architecture."
        case .shapeMismatch(let name, let saved, let expected):
            "\(source): \(name) has shape \(saved) but this network needs \(expected); it was saved from a different "
                + "architecture or action space."
        case .damaged(let what):
            "\(source): the file is damaged (\(what))."
        }
    }
}
