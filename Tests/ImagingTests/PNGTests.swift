import Foundation
import Testing

@testable import Imaging

@Suite("PNG")
struct PNGTests {
    @Test("gray images with random pixels survive a round trip", arguments: [(1, 1), (7, 5), (160, 120), (33, 1)])
    func grayRoundTrip(width: Int, height: Int) throws {
        let image = GrayImage(
            width: width, height: height,
            pixels: randomBytes(count: width * height, seed: UInt64(width * 1000 + height)))
        let decoded = try PNG.decode(PNG.encode(image))
        #expect(decoded.width == width)
        #expect(decoded.height == height)
        #expect(decoded.channels == 1)
        #expect(decoded.pixels == image.pixels)
    }

    @Test("RGB canvases with random pixels survive a round trip", arguments: [(1, 1), (9, 4), (200, 150)])
    func rgbRoundTrip(width: Int, height: Int) throws {
        let canvas = Canvas(
            width: width, height: height, pixels: randomBytes(count: width * height * 3, seed: UInt64(width + height)))
        let decoded = try PNG.decode(PNG.encode(canvas))
        #expect(decoded.width == width)
        #expect(decoded.height == height)
        #expect(decoded.channels == 3)
        #expect(decoded.pixels == canvas.pixels)
    }

    @Test("every row filter decodes back to the same pixels", arguments: PNG.Filter.allCases)
    func eachFilter(filter: PNG.Filter) throws {
        // Smooth gradients plus noise exercise every predictor's arithmetic, including wrap-around.
        for channels in 1...4 {
            let width = 13
            let height = 9
            let noise = randomBytes(count: width * height * channels, seed: UInt64(channels))
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            for index in pixels.indices {
                pixels[index] = UInt8(truncatingIfNeeded: index * 7) &+ (noise[index] & 0x0F)
            }
            let file = PNG.encode(width: width, height: height, channels: channels, pixels: pixels, filter: filter)
            let decoded = try PNG.decode(file)
            #expect(decoded.channels == channels)
            #expect(decoded.pixels == pixels)
            // Every row carries the forced filter type (checked when Python is there to inflate it).
            if let inflated = try Self.inflatedImageData(file) {
                try #require(inflated.count == height * (width * channels + 1))
                for row in 0..<height { #expect(inflated[row * (width * channels + 1)] == filter.rawValue) }
            }
        }
    }

    @Test("the file starts with the signature and a correct IHDR chunk")
    func signatureAndHeader() {
        let file = PNG.encode(Canvas(width: 300, height: 2, fill: .red))
        #expect(Array(file[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(file[8..<12]) == [0, 0, 0, 13])  // IHDR length
        #expect(String(decoding: file[12..<16], as: UTF8.self) == "IHDR")
        #expect(Array(file[16..<20]) == [0, 0, 0x01, 0x2C])  // width 300
        #expect(Array(file[20..<24]) == [0, 0, 0, 2])  // height 2
        #expect(Array(file[24..<29]) == [8, 2, 0, 0, 0])  // 8-bit, RGB, deflate, filter 0, no interlace
        #expect(Array(file[29..<33]) == Self.bigEndian(Self.referenceCRC(file[12..<29])))
        // It ends with an empty IEND chunk and its fixed CRC.
        #expect(Array(file.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])

        let gray = PNG.encode(GrayImage(width: 5, height: 4, fill: 9))
        #expect(Array(gray[24..<26]) == [8, 0])  // 8-bit, grayscale
    }

    @Test("every chunk's CRC matches an independent CRC-32")
    func chunkChecksums() throws {
        let file = PNG.encode(Canvas(width: 64, height: 64, pixels: randomBytes(count: 64 * 64 * 3, seed: 3)))
        var offset = 8
        var types: [String] = []
        while offset < file.count {
            let length = file[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            types.append(String(decoding: file[(offset + 4)..<(offset + 8)], as: UTF8.self))
            let stored = Array(file[(offset + 8 + length)..<(offset + 12 + length)])
            #expect(stored == Self.bigEndian(Self.referenceCRC(file[(offset + 4)..<(offset + 8 + length)])))
            offset += 12 + length
        }
        #expect(offset == file.count)
        #expect(types.first == "IHDR" && types.last == "IEND" && types.contains("IDAT"))
    }

    @Test("flat pictures compress well")
    func compression() {
        let file = PNG.encode(Canvas(width: 1000, height: 1000, fill: .lightGray))
        #expect(file.count < 10_000)
    }

    @Test("the stored-block fallback is a valid zlib stream")
    func storedFallback() throws {
        let data = randomBytes(count: 150_000, seed: 11)  // more than two 65535-byte blocks
        let stream = PNG.storedZlibStream(data)
        #expect(stream.count == data.count + 2 + 3 * 5 + 4)
        // Decode a PNG made from it by hand.
        let width = 500
        let height = 100
        let filtered = PNG.filterRows(
            Array(data[0..<(width * height * 3)]), width: width, height: height, channels: 3, filter: PNG.Filter.none)
        var file = PNG.signature
        var header: [UInt8] = []
        PNG.appendBigEndian(UInt32(width), to: &header)
        PNG.appendBigEndian(UInt32(height), to: &header)
        header += [8, 2, 0, 0, 0]
        PNG.appendChunk("IHDR", header[...], to: &file)
        PNG.appendChunk("IDAT", PNG.storedZlibStream(filtered)[...], to: &file)
        PNG.appendChunk("IEND", [][...], to: &file)
        let decoded = try PNG.decode(file)
        #expect(decoded.pixels == Array(data[0..<(width * height * 3)]))
    }

    @Test("damaged files give clear errors")
    func errors() {
        let file = PNG.encode(GrayImage(width: 20, height: 20, pixels: randomBytes(count: 400, seed: 5)))

        #expect(throws: PNGError.notPNG) { try PNG.decode([1, 2, 3]) }
        #expect(throws: PNGError.notPNG) { try PNG.decode(Array("GIF89a....".utf8)) }

        var damaged = file
        damaged[45] ^= 0xFF  // inside the IDAT data (its chunk starts at byte 33)
        #expect(throws: PNGError.checksumMismatch(chunk: "IDAT", offset: 33)) { try PNG.decode(damaged) }

        #expect(throws: PNGError.truncated(offset: 33)) { try PNG.decode(Array(file.prefix(50))) }
        #expect(throws: PNGError.missingChunk("IEND")) { try PNG.decode(Array(file.dropLast(12))) }

        // An image size that does not match the data.
        var wrongSize = PNG.signature
        var header: [UInt8] = []
        PNG.appendBigEndian(21, to: &header)
        PNG.appendBigEndian(20, to: &header)
        header += [8, 0, 0, 0, 0]
        PNG.appendChunk("IHDR", header[...], to: &wrongSize)
        wrongSize += file[33...]
        #expect {
            try PNG.decode(wrongSize)
        } throws: { error in
            guard case .corruptImageData = error as? PNGError else { return false }
            return "\(error)".contains("damaged")
        }

        // 16-bit samples are reported as unsupported, with what to do.
        var sixteenBit = PNG.signature
        header[8] = 16
        PNG.appendChunk("IHDR", header[...], to: &sixteenBit)
        sixteenBit += file[33...]
        #expect {
            try PNG.decode(sixteenBit)
        } throws: { error in
            (error as? PNGError) == .unsupported("16-bit samples") && "\(error)".contains("8-bit grayscale or RGB")
        }
    }

    @Test("Python's zlib reads the file and finds the same pixels")
    func pythonCrossCheck() throws {
        guard let python = Self.python3 else { return }
        let canvas = Canvas(width: 23, height: 11, pixels: randomBytes(count: 23 * 11 * 3, seed: 99))
        let gray = GrayImage(width: 31, height: 7, pixels: randomBytes(count: 31 * 7, seed: 98))
        for (file, pixels) in [(PNG.encode(canvas), canvas.pixels), (PNG.encode(gray), gray.pixels)] {
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("imaging-test-\(UUID().uuidString).png")
            try Data(file).write(to: path)
            defer { try? FileManager.default.removeItem(at: path) }
            let output = try Self.run(python, ["-c", Self.pythonDecoder, path.path])
            #expect(
                output.trimmingCharacters(in: .whitespacesAndNewlines)
                    == pixels.map { String(format: "%02x", $0) }.joined())
        }
    }

    // MARK: - Helpers

    /// A bit-by-bit CRC-32 (ISO 3309, as PNG uses), independent of zlib.
    static func referenceCRC(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// The filtered rows inside a PNG made by ``PNG/encode``, inflated by Python when available
    /// (so the filter bytes can be inspected), else `nil`.
    static func inflatedImageData(_ file: [UInt8]) throws -> [UInt8]? {
        guard let python = python3 else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imaging-idat-\(UUID().uuidString).png")
        try Data(file).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let script = """
            import sys, zlib
            data = open(sys.argv[1], 'rb').read()
            pos, idat = 8, b''
            while pos < len(data):
                n = int.from_bytes(data[pos:pos+4], 'big')
                if data[pos+4:pos+8] == b'IDAT': idat += data[pos+8:pos+8+n]
                pos += 12 + n
            print(zlib.decompress(idat).hex())
            """
        let hex = try run(python, ["-c", script, path.path]).trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    /// A minimal PNG reader in Python: checks chunk CRCs, inflates, unfilters, prints pixels in hex.
    static let pythonDecoder = """
        import sys, zlib
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
        pos, idat, header = 8, b'', None
        while pos < len(data):
            n = int.from_bytes(data[pos:pos+4], 'big')
            kind, body = data[pos+4:pos+8], data[pos+8:pos+8+n]
            assert zlib.crc32(kind + body) == int.from_bytes(data[pos+8+n:pos+12+n], 'big'), kind
            if kind == b'IHDR': header = body
            if kind == b'IDAT': idat += body
            pos += 12 + n
        w, h = int.from_bytes(header[0:4], 'big'), int.from_bytes(header[4:8], 'big')
        channels = {0: 1, 2: 3}[header[9]]
        raw, stride, out, prev = zlib.decompress(idat), w * channels, bytearray(), bytearray(w * channels)
        for y in range(h):
            f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a = row[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                if f == 1: p = a
                elif f == 2: p = b
                elif f == 3: p = (a + b) // 2
                elif f == 4:
                    e = a + b - c
                    p = a if abs(e - a) <= abs(e - b) and abs(e - a) <= abs(e - c) else (b if abs(e - b) <= abs(e - c) else c)
                else: p = 0
                row[i] = (row[i] + p) & 255
            out += row
            prev = row
        print(out.hex())
        """

    static var python3: URL? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return URL(fileURLWithPath: candidate)
        }
        return nil
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
