/// An 8-bit grayscale image, such as a 160 x 120 camera frame.
///
/// `pixels` holds `width * height` bytes, row-major with the top row first: the pixel at column
/// `x`, row `y` is `pixels[y * width + x]`; 0 is black and 255 white.
public struct GrayImage: Sendable, Equatable {
    /// Columns, in pixels.
    public let width: Int
    /// Rows, in pixels.
    public let height: Int
    /// `width * height` gray levels, row-major, top row first. Keep the count unchanged.
    public var pixels: [UInt8]

    /// An image of one gray level.
    public init(width: Int, height: Int, fill: UInt8 = 0) {
        precondition(width >= 0 && height >= 0, "GrayImage: width and height must not be negative")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: fill, count: width * height)
    }

    /// An image over existing gray levels (`pixels.count` must be `width * height`).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "GrayImage: width and height must not be negative")
        precondition(
            pixels.count == width * height,
            "GrayImage: \(pixels.count) pixels given for a \(width) x \(height) image")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The gray level at column `x`, row `y` (both from 0, row 0 at the top).
    @inlinable public subscript(x: Int, y: Int) -> UInt8 {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "GrayImage: pixel (\(x), \(y)) is outside")
            return pixels[y * width + x]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "GrayImage: pixel (\(x), \(y)) is outside")
            pixels[y * width + x] = newValue
        }
    }

    /// This image enlarged `factor` times in each direction by repeating pixels (nearest neighbour).
    ///
    /// Used to show small camera frames large without blurring them. `factor` must be at least 1.
    public func scaled(by factor: Int) -> GrayImage {
        precondition(factor >= 1, "GrayImage.scaled(by:): the factor must be at least 1")
        if factor == 1 { return self }
        let scaledWidth = width * factor
        var result = [UInt8](repeating: 0, count: scaledWidth * height * factor)
        result.withUnsafeMutableBufferPointer { output in
            pixels.withUnsafeBufferPointer { input in
                for y in 0..<height {
                    let firstRow = y * factor * scaledWidth
                    for x in 0..<width {
                        let value = input[y * width + x]
                        let start = firstRow + x * factor
                        for offset in 0..<factor { output[start + offset] = value }
                    }
                    for copy in 1..<factor {
                        let target = firstRow + copy * scaledWidth
                        for column in 0..<scaledWidth { output[target + column] = output[firstRow + column] }
                    }
                }
            }
        }
        return GrayImage(width: scaledWidth, height: height * factor, pixels: result)
    }
}

extension GrayImage: CustomStringConvertible {
    /// The size only; the pixels are too many to print.
    public var description: String { "GrayImage(\(width) x \(height))" }
}
