internal import CZlib

/// Reads the files in a zip archive held in memory, such as NumPy's `.npz` (a zip of `.npy`
/// files), stored or deflated (APPNOTE.TXT methods 0 and 8), with zip64 sizes.
///
/// Only what `.npz` files use: no encryption, no multi-disk archives.
public struct ZipArchive: Sendable {
    /// One file in the archive, as its central directory lists it.
    public struct Entry: Sendable, Equatable {
        public let name: String
        /// 0 stored, 8 deflated.
        public let method: Int
        public let compressedSize: Int
        public let uncompressedSize: Int
        /// CRC-32 of the contents.
        let checksum: UInt32
        /// Byte offset of the entry's local header.
        let headerOffset: Int
    }

    public let entries: [Entry]
    let bytes: [UInt8]
    /// Where the bytes came from (a path), for error messages.
    public let source: String

    /// Reads the central directory of `bytes`.
    public init(bytes: [UInt8], source: String) throws(ZipError) {
        self.bytes = bytes
        self.source = source
        // The end-of-central-directory record: signature 0x06054b50, in the last 65,557 bytes.
        var end = -1
        var index = bytes.count - 22
        while index >= max(0, bytes.count - 65_557) {
            if Self.uint32(bytes, index) == 0x0605_4B50 {
                end = index
                break
            }
            index -= 1
        }
        guard end >= 0 else { throw .notZip(source: source) }
        var count = Int(Self.uint16(bytes, end + 10))
        var directorySize = Int(Self.uint32(bytes, end + 12))
        var directoryOffset = Int(Self.uint32(bytes, end + 16))
        // zip64: a locator (0x07064b50) just before points to the zip64 end record (0x06064b50).
        if end >= 20, Self.uint32(bytes, end - 20) == 0x0706_4B50 {
            let record = Int(Self.uint64(bytes, end - 12))
            guard record >= 0, record + 56 <= bytes.count, Self.uint32(bytes, record) == 0x0606_4B50 else {
                throw .damaged(source: source, reason: "the zip64 end record is missing")
            }
            count = Int(Self.uint64(bytes, record + 32))
            directorySize = Int(Self.uint64(bytes, record + 40))
            directoryOffset = Int(Self.uint64(bytes, record + 48))
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= bytes.count else {
            throw .damaged(source: source, reason: "the central directory lies outside the file")
        }
        var entries: [Entry] = []
        var at = directoryOffset
        for _ in 0..<count {
            guard at + 46 <= bytes.count, Self.uint32(bytes, at) == 0x0201_4B50 else {
                throw .damaged(source: source, reason: "a central directory entry is missing at byte \(at)")
            }
            let method = Int(Self.uint16(bytes, at + 10))
            let checksum = Self.uint32(bytes, at + 16)
            var compressed = Int(Self.uint32(bytes, at + 20))
            var uncompressed = Int(Self.uint32(bytes, at + 24))
            let nameLength = Int(Self.uint16(bytes, at + 28))
            let extraLength = Int(Self.uint16(bytes, at + 30))
            let commentLength = Int(Self.uint16(bytes, at + 32))
            var offset = Int(Self.uint32(bytes, at + 42))
            guard at + 46 + nameLength + extraLength <= bytes.count else {
                throw .damaged(source: source, reason: "a central directory entry is cut short")
            }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            // zip64 extra field (id 1): the 64-bit values, in this order, for the fields set to 0xFFFFFFFF.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = Self.uint16(bytes, extra)
                let size = Int(Self.uint16(bytes, extra + 2))
                if id == 1 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF, field + 8 <= extraEnd {
                        uncompressed = Int(Self.uint64(bytes, field))
                        field += 8
                    }
                    if compressed == 0xFFFF_FFFF, field + 8 <= extraEnd {
                        compressed = Int(Self.uint64(bytes, field))
                        field += 8
                    }
                    if offset == 0xFFFF_FFFF, field + 8 <= extraEnd { offset = Int(Self.uint64(bytes, field)) }
                }
                extra += 4 + size
            }
            entries.append(
                Entry(
                    name: name, method: method, compressedSize: compressed, uncompressedSize: uncompressed,
                    checksum: checksum, headerOffset: offset))
            at += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The contents of the file called `name`.
    public func contents(of name: String) throws(ZipError) -> [UInt8] {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw .missingEntry(source: source, name: name, available: entries.map(\.name))
        }
        return try contents(of: entry)
    }

    /// The contents of `entry`.
    public func contents(of entry: Entry) throws(ZipError) -> [UInt8] {
        let header = entry.headerOffset
        guard header >= 0, header + 30 <= bytes.count, Self.uint32(bytes, header) == 0x0403_4B50 else {
            throw .damaged(source: source, reason: "the local header of \(entry.name) is missing")
        }
        let start = header + 30 + Int(Self.uint16(bytes, header + 26)) + Int(Self.uint16(bytes, header + 28))
        guard entry.compressedSize >= 0, start + entry.compressedSize <= bytes.count else {
            throw .damaged(source: source, reason: "\(entry.name) runs past the end of the file")
        }
        let data = bytes[start..<(start + entry.compressedSize)]
        let contents: [UInt8]
        switch entry.method {
        case 0:
            contents = Array(data)
        case 8:
            contents = try inflate(Array(data), count: entry.uncompressedSize, name: entry.name)
        default:
            throw .unsupportedMethod(source: source, name: entry.name, method: entry.method)
        }
        let checksum = contents.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        guard checksum == entry.checksum else {
            throw .damaged(source: source, reason: "\(entry.name) fails its CRC-32 check")
        }
        return contents
    }

    /// Inflates raw deflate data (no zlib header) that must hold exactly `count` bytes.
    func inflate(_ compressed: [UInt8], count: Int, name: String) throws(ZipError) -> [UInt8] {
        var stream = z_stream()
        // Negative window bits: raw deflate, as zip stores it.
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .damaged(source: source, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        // One spare byte tells "too much data" apart from "exactly right".
        var output = [UInt8](repeating: 0, count: count + 1)
        var input = compressed
        let status: Int32 = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        let produced = output.count - Int(stream.avail_out)
        guard status == Z_STREAM_END, produced == count else {
            throw .damaged(
                source: source,
                reason: "\(name) does not inflate to its \(count) bytes (zlib status \(status), \(produced) bytes)")
        }
        output.removeLast()
        return output
    }

    static func uint16(_ b: [UInt8], _ i: Int) -> UInt16 {
        guard i >= 0, i + 2 <= b.count else { return 0 }
        return UInt16(b[i]) | UInt16(b[i + 1]) << 8
    }

    static func uint32(_ b: [UInt8], _ i: Int) -> UInt32 {
        guard i >= 0, i + 4 <= b.count else { return 0 }
        return UInt32(uint16(b, i)) | UInt32(uint16(b, i + 2)) << 16
    }

    static func uint64(_ b: [UInt8], _ i: Int) -> UInt64 {
        guard i >= 0, i + 8 <= b.count else { return 0 }
        return UInt64(uint32(b, i)) | UInt64(uint32(b, i + 4)) << 32
    }
}

/// Why bytes could not be read as a zip archive, with what to do about it.
public enum ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No end-of-central-directory record: not a zip (or .npz) file.
    case notZip(source: String)
    /// The archive's structure is broken.
    case damaged(source: String, reason: String)
    /// The archive has no file called `name`.
    case missingEntry(source: String, name: String, available: [String])
    /// The file is compressed with a method other than stored (0) or deflate (8).
    case unsupportedMethod(source: String, name: String, method: Int)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .notZip(let source):
            return "\(source) is not a zip (.npz) archive: it has no central directory. Check the path."
        case .damaged(let source, let reason):
            return "\(source) is damaged: \(reason). Copy or download it again."
        case .missingEntry(let source, let name, let available):
            return "\(source) has no \(name) (it holds: \(available.joined(separator: ", ")))."
        case .unsupportedMethod(let source, let name, let method):
            return "\(name) in \(source) uses compression method \(method); save it with numpy.savez or "
                + "savez_compressed (stored or deflated)."
        }
    }
}
