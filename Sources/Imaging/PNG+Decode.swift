internal import CZlib

extension PNG {
    /// Reads an 8-bit, non-interlaced PNG: grayscale, gray with alpha, RGB or RGBA (colour types
    /// 0, 4, 2, 6), with any of the five row filters. Reads back everything `encode` writes.
    ///
    /// Every chunk's CRC is checked; chunks other than IHDR, IDAT and IEND are skipped.
    ///
    /// - Returns: The size, the number of channels per pixel (1 gray, 2 gray + alpha, 3 RGB,
    ///   4 RGBA) and `width * height * channels` bytes, row-major, top row first.
    public static func decode(_ bytes: [UInt8]) throws(PNGError) -> (
        width: Int, height: Int, channels: Int, pixels: [UInt8]
    ) {
        guard bytes.count >= signature.count, Array(bytes[0..<signature.count]) == signature else {
            throw .notPNG
        }
        var offset = signature.count
        var header: (width: Int, height: Int, channels: Int)?
        var compressed: [UInt8] = []
        var sawEnd = false

        func readUInt32(at position: Int) -> Int {
            Int(bytes[position]) << 24 | Int(bytes[position + 1]) << 16 | Int(bytes[position + 2]) << 8
                | Int(bytes[position + 3])
        }

        while !sawEnd {
            guard offset + 12 <= bytes.count else {
                throw offset == bytes.count ? .missingChunk("IEND") : .truncated(offset: offset)
            }
            let length = readUInt32(at: offset)
            guard length <= Int(Int32.max), offset + 12 + length <= bytes.count else {
                throw .truncated(offset: offset)
            }
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            let type = String(decoding: typeBytes, as: UTF8.self)
            let data = bytes[(offset + 8)..<(offset + 8 + length)]
            let storedCRC = UInt32(readUInt32(at: offset + 8 + length))
            guard crc(bytes[(offset + 4)..<(offset + 8 + length)]) == storedCRC else {
                throw .checksumMismatch(chunk: type, offset: offset)
            }
            switch type {
            case "IHDR":
                guard header == nil, offset == signature.count else {
                    throw .invalidHeader("IHDR appears twice or late")
                }
                header = try readHeader(data)
            case "IDAT":
                guard header != nil else { throw .missingChunk("IHDR") }
                compressed += data
            case "IEND":
                sawEnd = true
            case "PLTE":
                throw .unsupported("a colour palette")
            default:
                // Ancillary chunks (text, gamma, ...) do not change the pixels we return.
                break
            }
            offset += 12 + length
        }
        guard let header else { throw .missingChunk("IHDR") }
        guard !compressed.isEmpty else { throw .missingChunk("IDAT") }

        let rowLength = header.width * header.channels
        let (total, overflow) = header.height.multipliedReportingOverflow(by: rowLength + 1)
        guard !overflow, total <= Int(Int32.max) else {
            throw .unsupported("an image of \(header.width) x \(header.height) pixels, more than 2 GB")
        }
        let filtered = try inflate(compressed, expectedCount: total)
        let pixels = try unfilter(filtered, width: header.width, height: header.height, channels: header.channels)
        return (header.width, header.height, header.channels, pixels)
    }

    /// Width, height and channels from the 13-byte IHDR data.
    private static func readHeader(_ data: ArraySlice<UInt8>) throws(PNGError) -> (
        width: Int, height: Int, channels: Int
    ) {
        guard data.count == 13 else { throw .invalidHeader("IHDR holds \(data.count) bytes instead of 13") }
        let bytes = Array(data)
        let width = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        let height = Int(bytes[4]) << 24 | Int(bytes[5]) << 16 | Int(bytes[6]) << 8 | Int(bytes[7])
        let bitDepth = bytes[8]
        let colourType = bytes[9]
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidHeader("the size \(width) x \(height) is not allowed (each must be 1 to 2^31 - 1)")
        }
        guard bytes[10] == 0 else { throw .invalidHeader("compression method \(bytes[10]) (only 0 exists)") }
        guard bytes[11] == 0 else { throw .invalidHeader("filter method \(bytes[11]) (only 0 exists)") }
        guard bytes[12] == 0 else { throw .unsupported("interlacing (Adam7)") }
        let channels: Int
        switch colourType {
        case 0: channels = 1
        case 2: channels = 3
        case 3: throw .unsupported("a colour palette")
        case 4: channels = 2
        case 6: channels = 4
        default: throw .invalidHeader("colour type \(colourType) does not exist")
        }
        guard bitDepth == 8 else { throw .unsupported("\(bitDepth)-bit samples") }
        return (width, height, channels)
    }

    /// Inflates a zlib stream that must hold exactly `expectedCount` bytes (zlib's `uncompress`).
    private static func inflate(_ compressed: [UInt8], expectedCount: Int) throws(PNGError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedCount)
        // One spare byte tells "too much data" apart from "exactly right".
        output.append(0)
        var length = uLongf(output.count)
        let status = output.withUnsafeMutableBufferPointer { output in
            compressed.withUnsafeBufferPointer { input in
                uncompress(output.baseAddress, &length, input.baseAddress, uLong(input.count))
            }
        }
        switch status {
        case Z_OK:
            guard Int(length) == expectedCount else {
                throw .corruptImageData("it holds \(length) bytes instead of the \(expectedCount) the size needs")
            }
        case Z_BUF_ERROR where Int(length) == expectedCount + 1:
            throw .corruptImageData("it holds more bytes than the \(expectedCount) the size needs")
        case Z_BUF_ERROR:
            throw .corruptImageData("the compressed stream ends early")
        case Z_MEM_ERROR:
            throw .corruptImageData("there was not enough memory to decompress it")
        default:
            throw .corruptImageData("the compressed stream is invalid (zlib error \(status))")
        }
        output.removeLast()
        return output
    }

    /// Undoes the row filters: `filtered` holds `height` rows of a filter byte and the row.
    private static func unfilter(_ filtered: [UInt8], width: Int, height: Int, channels: Int) throws(PNGError)
        -> [UInt8]
    {
        let rowLength = width * channels
        var pixels = [UInt8](repeating: 0, count: height * rowLength)
        var badFilter: (row: Int, type: UInt8)?
        pixels.withUnsafeMutableBufferPointer { pixels in
            filtered.withUnsafeBufferPointer { filtered in
                for row in 0..<height {
                    let source = row * (rowLength + 1)
                    let target = row * rowLength
                    guard let filter = Filter(rawValue: filtered[source]) else {
                        badFilter = (row, filtered[source])
                        return
                    }
                    for index in 0..<rowLength {
                        let left = index >= channels ? pixels[target + index - channels] : 0
                        let up = row > 0 ? pixels[target - rowLength + index] : 0
                        let upLeft = row > 0 && index >= channels ? pixels[target - rowLength + index - channels] : 0
                        let predictor = filter.predictor(left: left, up: up, upLeft: upLeft)
                        pixels[target + index] = filtered[source + 1 + index] &+ predictor
                    }
                }
            }
        }
        if let badFilter {
            throw .corruptImageData("row \(badFilter.row) has filter type \(badFilter.type); only 0 to 4 exist")
        }
        return pixels
    }
}
