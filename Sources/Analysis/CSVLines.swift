/// The lines of a CSV file's bytes and the fields of a line, without copying: ranges into the
/// bytes. A field in square brackets (a continuous action, `[steer speed]`) or quotes may hold
/// commas.
struct CSVLines: IteratorProtocol {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next line's range, without its `\n` or `\r\n`.
    mutating func next() -> Range<Int>? {
        guard position < bytes.count else { return nil }
        let start = position
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        position = end + 1
        var last = end
        if last > start && bytes[last - 1] == UInt8(ascii: "\r") { last -= 1 }
        return start..<last
    }

    /// A line's fields.
    static func fields(_ bytes: [UInt8], _ line: Range<Int>) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(20)
        var start = line.lowerBound
        var depth = 0
        var quoted = false
        for i in line {
            switch bytes[i] {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: "[") where !quoted: depth += 1
            case UInt8(ascii: "]") where !quoted: depth = max(depth - 1, 0)
            case UInt8(ascii: ",") where !quoted && depth == 0:
                fields.append(start..<i)
                start = i + 1
            default: break
            }
        }
        fields.append(start..<line.upperBound)
        return fields
    }

    /// A decimal number (`12`, `-0.5`, `1e-05`, `3.0`), or nil.
    static func double(_ field: ArraySlice<UInt8>) -> Double? {
        var field = field
        while let first = field.first, first == UInt8(ascii: " ") { field = field.dropFirst() }
        while let last = field.last, last == UInt8(ascii: " ") { field = field.dropLast() }
        guard !field.isEmpty else { return nil }
        // A plain decimal is read directly (most simtrace fields); anything else goes to Double().
        var negative = false
        var index = field.startIndex
        if field[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        var seenDigit = false
        while index < field.endIndex {
            let byte = field[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits >= 18 { return Double(String(decoding: field, as: UTF8.self)) }
                if mantissa > 0 || byte != UInt8(ascii: "0") { digits += 1 }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
                seenDigit = true
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                return Double(String(decoding: field, as: UTF8.self))
            }
            index += 1
        }
        guard seenDigit else { return nil }
        // Exact for up to 15 significant digits and a power of ten up to 22 (both exact doubles);
        // otherwise the standard library rounds correctly.
        guard digits <= 15, fractionDigits <= 22 else { return Double(String(decoding: field, as: UTF8.self)) }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var value = 1.0
        for _ in 0..<k { value *= 10 }
        return value
    }

    static func isNaN(_ field: ArraySlice<UInt8>) -> Bool {
        String(decoding: field, as: UTF8.self).trimmingSpaces().lowercased() == "nan"
    }

    static func isTrue(_ field: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: field, as: UTF8.self).trimmingSpaces()
        return text == "True" || text == "true" || text == "1"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
