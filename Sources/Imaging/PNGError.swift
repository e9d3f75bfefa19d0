/// Why bytes could not be read as a PNG image, with what to do about it.
public enum PNGError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first 8 bytes are not the PNG signature.
    case notPNG
    /// The data ends in the middle of the chunk starting at byte `offset`.
    case truncated(offset: Int)
    /// A chunk's CRC32 does not match its contents.
    case checksumMismatch(chunk: String, offset: Int)
    /// A chunk every PNG needs (IHDR, IDAT or IEND) is missing or out of order.
    case missingChunk(String)
    /// The IHDR header holds impossible values.
    case invalidHeader(String)
    /// A valid PNG in a form this decoder does not read (for example 16-bit or palette images).
    case unsupported(String)
    /// The compressed image data is damaged.
    case corruptImageData(String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .notPNG:
            return "Not a PNG image: the data does not start with the PNG signature. Check that the file is a .png."
        case .truncated(let offset):
            return "The PNG data ends early (in the chunk at byte \(offset)); the file is incomplete. Save it again."
        case .checksumMismatch(let chunk, let offset):
            return "The PNG chunk \(chunk) at byte \(offset) fails its CRC check; the file is damaged. Save it again."
        case .missingChunk(let chunk):
            return "The PNG data has no valid \(chunk) chunk where one is required; the file is damaged or incomplete."
        case .invalidHeader(let detail):
            return "The PNG header (IHDR) is invalid: \(detail)."
        case .unsupported(let detail):
            return "This PNG uses \(detail), which Paddock does not read. "
                + "Save it as an 8-bit grayscale or RGB PNG without interlacing."
        case .corruptImageData(let detail):
            return "The PNG image data is damaged: \(detail). Save the file again."
        }
    }
}
