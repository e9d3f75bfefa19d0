#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A NumPy `.npy` array held in memory: its element type, shape and values.
///
/// Reads format versions 1.0, 2.0 and 3.0 (little- and big-endian, C and Fortran order) and
/// writes version 1.0 in C order, as `numpy.save` does. Only the element types Paddock uses are
/// supported: float64, float32, uint8, int64 and int32.
public struct NumpyArray: Sendable, Equatable {
    /// The element types Paddock reads and writes.
    public enum ElementType: String, Sendable, CaseIterable {
        case float64 = "f8"
        case float32 = "f4"
        case uint8 = "u1"
        case int64 = "i8"
        case int32 = "i4"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .float64, .int64: 8
            case .float32, .int32: 4
            case .uint8: 1
            }
        }
    }

    /// The element type the file stored (values are always converted to `Double` in `values`).
    public var elementType: ElementType
    /// The array's shape, outermost dimension first.
    public var shape: [Int]
    /// The elements in C (row-major) order, converted to `Double`.
    public var values: [Double]

    public init(elementType: ElementType = .float64, shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
        self.elementType = elementType
        self.shape = shape
        self.values = values
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Parses the bytes of a `.npy` file.
    ///
    /// - Parameter source: a name for the bytes (usually the file path), used in error messages.
    public init(bytes: [UInt8], source: String) throws(NumpyError) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else {
            throw NumpyError(source: source, problem: .notNumpy)
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw NumpyError(source: source, problem: .truncated) }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw NumpyError(source: source, problem: .unsupportedVersion(Int(major)))
        }
        guard bytes.count >= headerStart + headerLength else {
            throw NumpyError(source: source, problem: .truncated)
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        guard let header = String(validating: headerBytes, as: UTF8.self) else {
            throw NumpyError(source: source, problem: .badHeader("the header is not text"))
        }
        let parsed = try NumpyHeader(parsing: header, source: source)
        let dataStart = headerStart + headerLength
        // A damaged header may claim an impossible size: check before multiplying it out.
        var needed = parsed.elementType.size
        for dimension in parsed.shape {
            let (product, overflow) = needed.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= bytes.count else { throw NumpyError(source: source, problem: .truncated) }
            needed = product
        }
        guard bytes.count - dataStart >= needed else {
            throw NumpyError(source: source, problem: .truncated)
        }
        let count = needed / parsed.elementType.size
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            // Not empty: the header is in front of the data.
            guard let start = raw.baseAddress else { return }
            Self.decode(into: &values, from: start + dataStart, type: parsed.elementType, bigEndian: parsed.isBigEndian)
        }
        if parsed.isFortranOrder && parsed.shape.count > 1 {
            values = Self.fortranToC(values, shape: parsed.shape)
        }
        self.elementType = parsed.elementType
        self.shape = parsed.shape
        self.values = values
    }

    private static func decode(
        into values: inout [Double], from base: UnsafeRawPointer, type: ElementType, bigEndian: Bool
    ) {
        let count = values.count
        for i in 0..<count {
            switch type {
            case .float64:
                var bits = base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                bits = bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                values[i] = Double(bitPattern: bits)
            case .float32:
                var bits = base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                bits = bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                values[i] = Double(Float(bitPattern: bits))
            case .uint8:
                values[i] = Double(base.load(fromByteOffset: i, as: UInt8.self))
            case .int64:
                var bits = base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                bits = bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                values[i] = Double(Int64(bitPattern: bits))
            case .int32:
                var bits = base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                bits = bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                values[i] = Double(Int32(bitPattern: bits))
            }
        }
    }

    /// Reorders column-major values into row-major order.
    private static func fortranToC(_ values: [Double], shape: [Int]) -> [Double] {
        var result = [Double](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        for cOffset in 0..<values.count {
            var fOffset = 0
            var stride = 1
            for d in 0..<shape.count {
                fOffset += index[d] * stride
                stride *= shape[d]
            }
            result[cOffset] = values[fOffset]
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return result
    }

    /// The bytes of a version 1.0 `.npy` file in C order, little-endian, as `numpy.save` writes.
    public func encoded() -> [UInt8] {
        let shapeText: String
        if shape.count == 1 {
            shapeText = "(\(shape[0]),)"
        } else {
            shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        let descr = elementType == .uint8 ? "|u1" : "<\(elementType.rawValue)"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // numpy pads the header with spaces so that the data starts on a 64-byte boundary.
        let unpadded = 10 + header.utf8.count + 1
        let padding = (64 - unpadded % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var bytes = Self.magic + [1, 0]
        let headerLength = header.utf8.count
        bytes += [UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + values.count * elementType.size)
        for value in values {
            switch elementType {
            case .float64: withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            case .float32: withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes += $0 }
            case .uint8: bytes.append(UInt8(clamping: Int(value.rounded(.down))))
            case .int64: withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 }
            case .int32: withUnsafeBytes(of: Int32(value).littleEndian) { bytes += $0 }
            }
        }
        return bytes
    }
}

/// What a `.npy` header says, parsed from its Python dict literal.
struct NumpyHeader {
    var elementType: NumpyArray.ElementType
    var isBigEndian: Bool
    var isFortranOrder: Bool
    var shape: [Int]

    init(parsing header: String, source: String) throws(NumpyError) {
        func value(of key: String) -> Substring? {
            guard let keyRange = header.firstRange(of: "'\(key)'") ?? header.firstRange(of: "\"\(key)\"") else {
                return nil
            }
            var rest = header[keyRange.upperBound...].drop(while: { $0 == " " })
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop(while: { $0 == " " })
            return rest
        }
        guard let descrRest = value(of: "descr"), let quote = descrRest.first, quote == "'" || quote == "\"",
            let end = descrRest.dropFirst().firstIndex(of: quote)
        else {
            throw NumpyError(source: source, problem: .badHeader("no 'descr' entry"))
        }
        let descr = String(descrRest[descrRest.index(after: descrRest.startIndex)..<end])
        let order = descr.first
        let code = order == "<" || order == ">" || order == "|" || order == "=" ? String(descr.dropFirst()) : descr
        guard let type = NumpyArray.ElementType(rawValue: code) else {
            throw NumpyError(source: source, problem: .unsupportedType(descr))
        }
        elementType = type
        isBigEndian = order == ">"

        guard let fortranRest = value(of: "fortran_order") else {
            throw NumpyError(source: source, problem: .badHeader("no 'fortran_order' entry"))
        }
        isFortranOrder = fortranRest.hasPrefix("True")

        guard let shapeRest = value(of: "shape"), shapeRest.first == "(",
            let close = shapeRest.firstIndex(of: ")")
        else {
            throw NumpyError(source: source, problem: .badHeader("no 'shape' entry"))
        }
        let inner = shapeRest[shapeRest.index(after: shapeRest.startIndex)..<close]
        var dims: [Int] = []
        for part in inner.split(separator: ",") {
            let trimmed = part.trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let d = Int(trimmed), d >= 0 else {
                throw NumpyError(source: source, problem: .badHeader("shape entry '\(trimmed)' is not a size"))
            }
            dims.append(d)
        }
        shape = dims
    }
}

extension Substring {
    /// Without surrounding spaces and the `L` suffix Python 2 wrote after long integers.
    var trimmingSpaces: Substring {
        var s = self.drop(while: { $0 == " " })
        while let l = s.last, l == " " { s = s.dropLast() }
        if s.last == "L" { s = s.dropLast() }
        return s
    }
}

/// A `.npy` file that could not be read.
public struct NumpyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case notNumpy
        case truncated
        case unsupportedVersion(Int)
        case unsupportedType(String)
        case badHeader(String)
    }

    public var source: String
    public var problem: Problem

    public var description: String {
        switch problem {
        case .notNumpy:
            "\(source): not a NumPy .npy file (it does not start with the bytes \\x93NUMPY). Save arrays with numpy.save(path, array)."
        case .truncated:
            "\(source): the .npy file ends before all of its values; it may have been cut short while copying. Save it again with numpy.save."
        case .unsupportedVersion(let v):
            "\(source): .npy format version \(v) is not one Paddock reads (1, 2 or 3). Save it again with numpy.save."
        case .unsupportedType(let descr):
            "\(source): holds values of type '\(descr)', which Paddock does not read; use float64, float32, uint8, int32 or int64."
        case .badHeader(let what):
            "\(source): the .npy header is damaged (\(what)). Save the array again with numpy.save."
        }
    }
}
