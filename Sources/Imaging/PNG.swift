internal import CZlib

/// Writing and reading PNG files (ISO/IEC 15948, https://www.w3.org/TR/png/).
///
/// Encoding writes 8-bit, non-interlaced images: grayscale (colour type 0) or RGB (colour type 2),
/// with a signature, an IHDR chunk, zlib-deflated IDAT chunks and an IEND chunk. Each row gets
/// the filter (None, Sub, Up, Average or Paeth) whose output has the smallest sum of absolute
/// values, the heuristic the PNG specification recommends, which makes files of drawings small.
public enum PNG {
    /// The 8 bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// An 8-bit grayscale PNG of `image`. The image must be at least 1 x 1.
    public static func encode(_ image: GrayImage) -> [UInt8] {
        encode(width: image.width, height: image.height, channels: 1, pixels: image.pixels)
    }

    /// An 8-bit RGB PNG of `canvas`. The canvas must be at least 1 x 1.
    public static func encode(_ canvas: Canvas) -> [UInt8] {
        encode(width: canvas.width, height: canvas.height, channels: 3, pixels: canvas.pixels)
    }

    /// The row filters of the PNG format (specification section 7.3 and 9).
    enum Filter: UInt8, CaseIterable, Sendable {
        /// The byte as is.
        case none = 0
        /// Minus the byte one pixel to the left.
        case sub = 1
        /// Minus the byte above.
        case up = 2
        /// Minus the mean of left and above.
        case average = 3
        /// Minus the Paeth predictor of left, above and upper-left.
        case paeth = 4

        /// The value this filter predicts a byte from: its left, upper and upper-left neighbours
        /// (0 outside the image), as the PNG specification defines.
        func predictor(left: UInt8, up: UInt8, upLeft: UInt8) -> UInt8 {
            switch self {
            case .none: 0
            case .sub: left
            case .up: up
            case .average: UInt8((Int(left) + Int(up)) / 2)
            case .paeth: PNG.paeth(left, up, upLeft)
            }
        }
    }

    /// IDAT chunks are cut to at most this many bytes.
    static let maximumChunkLength = 1 << 20

    /// A PNG of 8-bit pixels with 1 (gray), 2 (gray, alpha), 3 (RGB) or 4 (RGBA) channels.
    ///
    /// - Parameter filter: The filter for every row, or `nil` to choose per row.
    static func encode(width: Int, height: Int, channels: Int, pixels: [UInt8], filter: Filter? = nil) -> [UInt8] {
        precondition(
            width > 0 && height > 0, "PNG.encode: a PNG must be at least 1 x 1 pixel, not \(width) x \(height)")
        precondition(width <= Int(Int32.max) && height <= Int(Int32.max), "PNG.encode: image too large for PNG")
        precondition(pixels.count == width * height * channels, "PNG.encode: pixel count does not match the size")
        let colourType: UInt8
        switch channels {
        case 1: colourType = 0
        case 2: colourType = 4
        case 3: colourType = 2
        case 4: colourType = 6
        default: preconditionFailure("PNG.encode: \(channels) channels; PNG takes 1 to 4")
        }

        let filtered = filterRows(pixels, width: width, height: height, channels: channels, filter: filter)
        let compressed = deflate(filtered)

        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [8, colourType, 0, 0, 0]  // bit depth, colour type, deflate, adaptive filters, no interlace

        var file = signature
        file.reserveCapacity(compressed.count + 128)
        appendChunk("IHDR", header[...], to: &file)
        var start = 0
        repeat {
            let end = min(start + maximumChunkLength, compressed.count)
            appendChunk("IDAT", compressed[start..<end], to: &file)
            start = end
        } while start < compressed.count
        appendChunk("IEND", [][...], to: &file)
        return file
    }

    /// The image data of `pixels` as PNG rows: a filter-type byte, then the filtered row.
    static func filterRows(_ pixels: [UInt8], width: Int, height: Int, channels: Int, filter: Filter?) -> [UInt8] {
        let rowLength = width * channels
        var output = [UInt8](repeating: 0, count: height * (rowLength + 1))
        var candidate = [UInt8](repeating: 0, count: rowLength)
        var best = [UInt8](repeating: 0, count: rowLength)
        let zeroRow = [UInt8](repeating: 0, count: rowLength)
        pixels.withUnsafeBufferPointer { pixels in
            zeroRow.withUnsafeBufferPointer { zeroRow in
                for row in 0..<height {
                    let current = UnsafeBufferPointer(rebasing: pixels[(row * rowLength)..<((row + 1) * rowLength)])
                    let previous =
                        row == 0
                        ? zeroRow : UnsafeBufferPointer(rebasing: pixels[((row - 1) * rowLength)..<(row * rowLength)])
                    var chosen = Filter.none
                    if let filter {
                        chosen = filter
                        apply(filter, current: current, previous: previous, channels: channels, into: &best)
                    } else {
                        var bestScore = Int.max
                        for option in Filter.allCases {
                            let score = apply(
                                option, current: current, previous: previous, channels: channels, into: &candidate)
                            if score < bestScore {
                                bestScore = score
                                chosen = option
                                swap(&best, &candidate)
                            }
                        }
                    }
                    let base = row * (rowLength + 1)
                    output[base] = chosen.rawValue
                    for index in 0..<rowLength { output[base + 1 + index] = best[index] }
                }
            }
        }
        return output
    }

    /// Filters one row with `filter` into `output` and returns the sum of the output bytes taken
    /// as signed values' magnitudes (the row's score; smaller usually compresses better).
    @discardableResult
    private static func apply(
        _ filter: Filter, current: UnsafeBufferPointer<UInt8>, previous: UnsafeBufferPointer<UInt8>, channels: Int,
        into output: inout [UInt8]
    ) -> Int {
        var score = 0
        output.withUnsafeMutableBufferPointer { output in
            for index in 0..<current.count {
                let left = index >= channels ? current[index - channels] : 0
                let up = previous[index]
                let upLeft = index >= channels ? previous[index - channels] : 0
                let predictor = filter.predictor(left: left, up: up, upLeft: upLeft)
                let value = current[index] &- predictor
                output[index] = value
                score += value < 128 ? Int(value) : 256 - Int(value)
            }
        }
        return score
    }

    /// The Paeth predictor: whichever of left, up and up-left is closest to left + up - upLeft.
    @inline(__always)
    static func paeth(_ left: UInt8, _ up: UInt8, _ upLeft: UInt8) -> UInt8 {
        let estimate = Int(left) + Int(up) - Int(upLeft)
        let distanceLeft = abs(estimate - Int(left))
        let distanceUp = abs(estimate - Int(up))
        let distanceUpLeft = abs(estimate - Int(upLeft))
        if distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft { return left }
        if distanceUp <= distanceUpLeft { return up }
        return upLeft
    }

    /// `data` as a zlib stream, compressed with zlib's `compress2`; if zlib fails (out of
    /// memory) the data is stored uncompressed instead, which is still a valid PNG.
    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { output in
            data.withUnsafeBufferPointer { input in
                compress2(output.baseAddress, &capacity, input.baseAddress, uLong(input.count), 6)
            }
        }
        guard status == Z_OK else { return storedZlibStream(data) }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    /// A zlib stream of uncompressed ("stored") deflate blocks (RFC 1950, RFC 1951 section 3.2.4).
    static func storedZlibStream(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65535, data.count)
            let length = UInt16(end - start)
            output.append(end == data.count ? 1 : 0)
            output += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            output += data[start..<end]
            start = end
        } while start < data.count
        let checksum = data.withUnsafeBufferPointer { input in
            // adler32 in pieces, as its length argument is 32-bit.
            var value = adler32(0, nil, 0)
            var offset = 0
            repeat {
                let count = min(input.count - offset, 1 << 30)
                value = adler32(value, input.baseAddress.map { $0 + offset }, uInt(count))
                offset += count
            } while offset < input.count
            return value
        }
        appendBigEndian(UInt32(truncatingIfNeeded: checksum), to: &output)
        return output
    }

    static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// Appends a chunk: length, type, data, then the CRC32 of type and data.
    static func appendChunk(_ type: String, _ data: ArraySlice<UInt8>, to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        appendBigEndian(UInt32(data.count), to: &file)
        let start = file.count
        file += typeBytes
        file += data
        appendBigEndian(crc(file[start...]), to: &file)
    }

    /// The CRC32 of `bytes` (zlib's `crc32`; the PNG chunk checksum).
    static func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }
}
