import CZlib
import Foundation

/// gzip compression and decompression through zlib (Debian zlib1g-dev).
enum Gzip {
    /// gzip-wraps `data` (RFC 1952). Level 0 (stored blocks) by default: float weights shrink by
    /// only about 8 % even at level 1, which makes exporting a 3-layer model three times slower
    /// (1.2 s instead of 0.4 s, `paddock bench export`). Any gzip reader, the car's included,
    /// takes stored blocks.
    static func compress(_ data: Data, level: Int32 = 0) throws(CarExportError) -> Data {
        var stream = z_stream()
        // windowBits 15 + 16 asks zlib for a gzip header and trailer.
        let size = Int32(MemoryLayout<z_stream>.size)
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, size) == Z_OK
        else { throw .badArchive(path: "archive", reason: "zlib could not start compressing") }
        defer { deflateEnd(&stream) }
        let (output, status) = pump(data, through: &stream) { deflate(&$0, Z_FINISH) }
        guard status == Z_STREAM_END else {
            throw .badArchive(path: "archive", reason: "zlib failed to compress (\(status))")
        }
        return output
    }

    /// Unwraps gzip (or zlib) data, refusing to make more than `maximumBytes` (a small upload
    /// can inflate to gigabytes; it stops as soon as the output passes the limit).
    static func decompress(_ data: Data, path: String, maximumBytes: Int = 1 << 30) throws(CarExportError) -> Data {
        var stream = z_stream()
        // windowBits 15 + 32 accepts a gzip or a zlib header.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .badArchive(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let (output, status) = pump(data, through: &stream, maximumBytes: maximumBytes) { inflate(&$0, Z_NO_FLUSH) }
        if status == Z_OK && output.count > maximumBytes {
            throw .badArchive(
                path: path,
                reason:
                    "it decompresses to over \(maximumBytes >> 20) MB, more than a car model needs; send the model's own archive"
            )
        }
        guard status == Z_STREAM_END else {
            throw .badArchive(path: path, reason: "not a gzip file, or it is cut short (zlib status \(status))")
        }
        return output
    }

    /// Feeds `data` through `stream`, calling `step` (deflate or inflate) until it stops saying
    /// Z_OK, and collects what comes out (stopping once it is over `maximumBytes`).
    private static func pump(
        _ data: Data, through stream: inout z_stream, maximumBytes: Int = 1 << 30, step: (inout z_stream) -> Int32
    ) -> (Data, Int32) {
        var output = Data()
        var input = [UInt8](data)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            var result: Int32 = Z_OK
            repeat {
                result = buffer.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    let code = step(&stream)
                    if let base = target.baseAddress {
                        output.append(base, count: target.count - Int(stream.avail_out))
                    }
                    return code
                }
            } while result == Z_OK && output.count <= maximumBytes
            return result
        }
        return (output, status)
    }
}
