/// An RGB picture to draw on: tracks, paths, arrows, labels, pasted camera frames.
///
/// `pixels` holds 3 bytes (red, green, blue) per pixel, row-major with the top row first: the
/// pixel at column `x`, row `y` starts at `pixels[(y * width + x) * 3]`.
///
/// Drawing coordinates are ``Point``s in pixels with (0, 0) at the top-left corner of the
/// top-left pixel, so pixel (x, y) covers `x ..< x + 1`, `y ..< y + 1` and its centre is
/// (x + 0.5, y + 0.5). Shapes are anti-aliased by pixel coverage and may reach beyond the edges;
/// the parts outside are clipped. Each drawing call paints its shape once, so a translucent
/// polyline does not darken where its pieces overlap.
///
/// A canvas keeps a canvas-sized coverage scratch buffer (4 bytes per pixel) once something has
/// been drawn; it is not part of the picture and does not take part in `==`.
public struct Canvas: Sendable {
    /// Columns, in pixels.
    public let width: Int
    /// Rows, in pixels.
    public let height: Int
    /// `width * height * 3` bytes, RGB, row-major, top row first. Keep the count unchanged.
    public var pixels: [UInt8]

    /// The coverage buffer reused by drawing calls; `nil` until the first one.
    private var scratchMask: CoverageMask?

    /// A canvas of one colour.
    public init(width: Int, height: Int, fill color: RGBColor = .white) {
        precondition(width >= 0 && height >= 0, "Canvas: width and height must not be negative")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(color)
    }

    /// A canvas over existing RGB bytes (`pixels.count` must be `width * height * 3`).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "Canvas: width and height must not be negative")
        precondition(
            pixels.count == width * height * 3,
            "Canvas: \(pixels.count) bytes given for a \(width) x \(height) RGB image (needs \(width * height * 3))")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour of the pixel at column `x`, row `y` (both from 0, row 0 at the top).
    public subscript(x: Int, y: Int) -> RGBColor {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "Canvas: pixel (\(x), \(y)) is outside")
            let index = (y * width + x) * 3
            return RGBColor(red: pixels[index], green: pixels[index + 1], blue: pixels[index + 2])
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "Canvas: pixel (\(x), \(y)) is outside")
            let index = (y * width + x) * 3
            pixels[index] = newValue.red
            pixels[index + 1] = newValue.green
            pixels[index + 2] = newValue.blue
        }
    }

    /// Paints every pixel `color`.
    public mutating func fill(_ color: RGBColor) {
        pixels.withUnsafeMutableBufferPointer { pixels in
            var index = 0
            while index < pixels.count {
                pixels[index] = color.red
                pixels[index + 1] = color.green
                pixels[index + 2] = color.blue
                index += 3
            }
        }
    }

    /// Pastes a gray image with its top-left pixel at column `x`, row `y` (gray level g becomes
    /// the colour (g, g, g)); the parts outside the canvas are dropped.
    public mutating func blit(_ gray: GrayImage, at x: Int, y: Int) {
        let columns = max(0, x)..<min(width, x + gray.width)
        let rows = max(0, y)..<min(height, y + gray.height)
        guard !columns.isEmpty, !rows.isEmpty else { return }
        let width = width
        pixels.withUnsafeMutableBufferPointer { output in
            gray.pixels.withUnsafeBufferPointer { input in
                for row in rows {
                    for column in columns {
                        let value = input[(row - y) * gray.width + column - x]
                        let index = (row * width + column) * 3
                        output[index] = value
                        output[index + 1] = value
                        output[index + 2] = value
                    }
                }
            }
        }
    }

    /// Pastes another canvas with its top-left pixel at column `x`, row `y`; the parts outside
    /// are dropped.
    public mutating func blit(_ other: Canvas, at x: Int, y: Int) {
        let columns = max(0, x)..<min(width, x + other.width)
        let rows = max(0, y)..<min(height, y + other.height)
        guard !columns.isEmpty, !rows.isEmpty else { return }
        let width = width
        pixels.withUnsafeMutableBufferPointer { output in
            other.pixels.withUnsafeBufferPointer { input in
                for row in rows {
                    let source = ((row - y) * other.width + columns.lowerBound - x) * 3
                    let target = (row * width + columns.lowerBound) * 3
                    for offset in 0..<(columns.count * 3) { output[target + offset] = input[source + offset] }
                }
            }
        }
    }

    /// The picture in gray, each pixel's ``RGBColor/luminance`` (⌊0.299 R + 0.587 G + 0.114 B⌋).
    public var grayImage: GrayImage {
        var gray = [UInt8](repeating: 0, count: width * height)
        gray.withUnsafeMutableBufferPointer { output in
            pixels.withUnsafeBufferPointer { input in
                for index in 0..<output.count {
                    let weighted =
                        299 * Int(input[3 * index]) + 587 * Int(input[3 * index + 1]) + 114 * Int(input[3 * index + 2])
                    output[index] = UInt8(truncatingIfNeeded: weighted / 1000)
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: gray)
    }

    // MARK: - Painting coverage

    /// Runs `draw` on an empty coverage mask, then blends `color` into every pixel by its coverage
    /// times `alpha` (0 transparent ... 1 opaque).
    mutating func paint(color: RGBColor, alpha: Double, _ draw: (inout CoverageMask) -> Void) {
        let opacity = alpha.isNaN ? 0 : Float(min(max(alpha, 0), 1))
        guard opacity > 0, width > 0, height > 0 else { return }
        var mask = scratchMask.take() ?? CoverageMask(width: width, height: height)
        draw(&mask)
        mask.mergeSpans()
        let width = width
        let red = Float(color.red)
        let green = Float(color.green)
        let blue = Float(color.blue)
        pixels.withUnsafeMutableBufferPointer { pixels in
            mask.forEachTouchedRun { row, start, end, coverage in
                for column in start..<end {
                    let amount = min(coverage[column], 1) * opacity
                    guard amount > 0 else { continue }
                    let index = (row * width + column) * 3
                    if amount >= 1 {
                        pixels[index] = color.red
                        pixels[index + 1] = color.green
                        pixels[index + 2] = color.blue
                    } else {
                        pixels[index] = Self.mix(pixels[index], red, amount)
                        pixels[index + 1] = Self.mix(pixels[index + 1], green, amount)
                        pixels[index + 2] = Self.mix(pixels[index + 2], blue, amount)
                    }
                }
            }
        }
        mask.clear()
        scratchMask = mask
    }

    @inline(__always)
    private static func mix(_ old: UInt8, _ new: Float, _ amount: Float) -> UInt8 {
        let value = Float(old) + (new - Float(old)) * amount
        return UInt8(min(max(value + 0.5, 0), 255))
    }
}

extension Canvas: Equatable {
    /// Two canvases are equal when they have the same size and the same pixels.
    public static func == (lhs: Canvas, rhs: Canvas) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.pixels == rhs.pixels
    }
}

extension Canvas: CustomStringConvertible {
    /// The size only; the pixels are too many to print.
    public var description: String { "Canvas(\(width) x \(height))" }
}
