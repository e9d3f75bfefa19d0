import Foundation

/// A tar archive (POSIX ustar) in memory: the files the car archive holds, in order.
public struct TarArchive: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The path inside the archive, without a leading "./".
        public var path: String
        public var contents: Data
        public var isDirectory: Bool

        public init(path: String, contents: Data, isDirectory: Bool = false) {
            self.path = path
            self.contents = contents
            self.isDirectory = isDirectory
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The archive's bytes: a 512-byte ustar header before each file, contents padded to 512,
    /// two empty blocks at the end.
    public func tarData(modificationTime: Int = 0) -> Data {
        var data = Data()
        for entry in entries {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int, length: Int) {
                for (index, byte) in text.utf8.prefix(length).enumerated() { header[offset + index] = byte }
            }
            func octal(_ value: Int, at offset: Int, length: Int) {
                put(
                    String(String(value, radix: 8).suffix(length - 1)).leftPadded(to: length - 1), at: offset,
                    length: length - 1)
            }
            put(entry.isDirectory ? entry.path + "/" : entry.path, at: 0, length: 100)
            octal(entry.isDirectory ? 0o755 : 0o644, at: 100, length: 8)
            octal(0, at: 108, length: 8)
            octal(0, at: 116, length: 8)
            octal(entry.isDirectory ? 0 : entry.contents.count, at: 124, length: 12)
            octal(modificationTime, at: 136, length: 12)
            header[156] = entry.isDirectory ? UInt8(ascii: "5") : UInt8(ascii: "0")
            put("ustar", at: 257, length: 6)
            put("00", at: 263, length: 2)
            put("root", at: 265, length: 32)
            put("root", at: 297, length: 32)
            // The checksum counts its own field as eight spaces.
            for index in 148..<156 { header[index] = UInt8(ascii: " ") }
            let sum = header.reduce(0) { $0 + Int($1) }
            put(String(String(sum, radix: 8)).leftPadded(to: 6), at: 148, length: 6)
            header[154] = 0
            header[155] = UInt8(ascii: " ")
            data.append(contentsOf: header)
            if !entry.isDirectory {
                data.append(entry.contents)
                let padding = (512 - entry.contents.count % 512) % 512
                data.append(contentsOf: [UInt8](repeating: 0, count: padding))
            }
        }
        data.append(contentsOf: [UInt8](repeating: 0, count: 1024))
        return data
    }

    /// Reads a tar archive (ustar, with GNU long names and pax headers skipped).
    public static func read(_ data: Data, path: String) throws(CarExportError) -> TarArchive {
        let bytes = [UInt8](data)
        var entries: [Entry] = []
        var offset = 0
        var longName: String?
        while offset + 512 <= bytes.count {
            let header = Array(bytes[offset..<(offset + 512)])
            if header.allSatisfy({ $0 == 0 }) { break }
            func text(_ start: Int, _ length: Int) -> String {
                let field = header[start..<(start + length)].prefix { $0 != 0 }
                return String(decoding: field, as: UTF8.self)
            }
            let storedSum = Int(text(148, 8).trimmingCharacters(in: .whitespaces), radix: 8)
            var check = header
            for index in 148..<156 { check[index] = UInt8(ascii: " ") }
            guard let storedSum, storedSum == check.reduce(0, { $0 + Int($1) }) else {
                throw .badArchive(path: path, reason: "a tar header at byte \(offset) is damaged (checksum)")
            }
            guard
                let size = Int(
                    text(124, 12).trimmingCharacters(in: .whitespaces).isEmpty
                        ? "0" : text(124, 12).trimmingCharacters(in: .whitespaces), radix: 8)
            else {
                throw .badArchive(path: path, reason: "a tar header at byte \(offset) has no size")
            }
            let type = header[156]
            let prefix = text(345, 155)
            var name = prefix.isEmpty ? text(0, 100) : prefix + "/" + text(0, 100)
            if let pending = longName {
                name = pending
                longName = nil
            }
            let start = offset + 512
            guard size >= 0 else {
                throw .badArchive(path: path, reason: "a tar header at byte \(offset) has a negative size (\(size))")
            }
            guard size <= bytes.count - start else {
                throw .badArchive(path: path, reason: "the archive is cut short inside \(name)")
            }
            let contents = Data(bytes[start..<(start + size)])
            offset = start + (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = String(decoding: contents.prefix { $0 != 0 }, as: UTF8.self)
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                continue
            case UInt8(ascii: "5"):
                entries.append(Entry(path: Self.clean(name), contents: Data(), isDirectory: true))
            case UInt8(ascii: "0"), 0:
                entries.append(Entry(path: Self.clean(name), contents: contents))
            default:
                continue
            }
        }
        return TarArchive(entries: entries.filter { !$0.path.isEmpty })
    }

    static func clean(_ path: String) -> String {
        var result = path
        while result.hasPrefix("./") { result.removeFirst(2) }
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// The archive gzip-compressed (`.tar.gz`), files dated `modificationTime` (seconds since 1970).
    public func gzipData(modificationTime: Int = 0) throws(CarExportError) -> Data {
        try Gzip.compress(tarData(modificationTime: modificationTime))
    }

    /// Reads a `.tar.gz` (or plain `.tar`) that decompresses to at most `maximumBytes`.
    public static func readGzip(_ data: Data, path: String, maximumBytes: Int = 1 << 30) throws(CarExportError)
        -> TarArchive
    {
        let isGzip = data.count > 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
        guard isGzip || data.count >= 1024 else {
            throw .badArchive(path: path, reason: "not a .tar.gz archive (it does not start as gzip or tar does)")
        }
        return try read(isGzip ? Gzip.decompress(data, path: path, maximumBytes: maximumBytes) : data, path: path)
    }

    /// The file at `path`, if the archive has it.
    public func file(_ path: String) -> Data? {
        entries.first { !$0.isDirectory && $0.path == path }?.contents
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
