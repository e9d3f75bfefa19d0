/// An opaque colour with 8-bit red, green and blue channels (sRGB values as stored in a PNG).
public struct RGBColor: Sendable, Hashable {
    /// Red, 0 (none) to 255 (full).
    public var red: UInt8
    /// Green, 0 (none) to 255 (full).
    public var green: UInt8
    /// Blue, 0 (none) to 255 (full).
    public var blue: UInt8

    /// A colour from its three channels.
    @inlinable public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A neutral gray with all three channels equal to `gray`.
    @inlinable public init(gray: UInt8) {
        self.init(red: gray, green: gray, blue: gray)
    }

    /// The gray level a camera would see: ⌊0.299 R + 0.587 G + 0.114 B⌋ (ITU-R BT.601 weights).
    ///
    /// Computed in exact integer arithmetic, so white gives 255 and pure red gives 76.
    @inlinable public var luminance: UInt8 {
        let weighted = 299 * Int(red) + 587 * Int(green) + 114 * Int(blue)
        return UInt8(truncatingIfNeeded: weighted / 1000)
    }

    /// Black, (0, 0, 0).
    public static let black = RGBColor(red: 0, green: 0, blue: 0)
    /// White, (255, 255, 255).
    public static let white = RGBColor(red: 255, green: 255, blue: 255)
    /// Middle gray, (128, 128, 128).
    public static let gray = RGBColor(red: 128, green: 128, blue: 128)
    /// Light gray, (200, 200, 200).
    public static let lightGray = RGBColor(red: 200, green: 200, blue: 200)
    /// Dark gray, (64, 64, 64).
    public static let darkGray = RGBColor(red: 64, green: 64, blue: 64)
    /// Pure red, (255, 0, 0).
    public static let red = RGBColor(red: 255, green: 0, blue: 0)
    /// Pure green, (0, 255, 0).
    public static let green = RGBColor(red: 0, green: 255, blue: 0)
    /// Pure blue, (0, 0, 255).
    public static let blue = RGBColor(red: 0, green: 0, blue: 255)
    /// Yellow, (255, 255, 0).
    public static let yellow = RGBColor(red: 255, green: 255, blue: 0)
    /// Orange, (255, 165, 0).
    public static let orange = RGBColor(red: 255, green: 165, blue: 0)
    /// Cyan, (0, 255, 255).
    public static let cyan = RGBColor(red: 0, green: 255, blue: 255)
    /// Magenta, (255, 0, 255).
    public static let magenta = RGBColor(red: 255, green: 0, blue: 255)

    /// This colour mixed with `other`: `fraction` 0 gives `self`, 1 gives `other` (rounded per channel).
    public func blended(with other: RGBColor, fraction: Double) -> RGBColor {
        let amount = min(max(fraction, 0), 1)
        func mix(_ from: UInt8, _ to: UInt8) -> UInt8 {
            UInt8((Double(from) + (Double(to) - Double(from)) * amount).rounded())
        }
        return RGBColor(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }
}
