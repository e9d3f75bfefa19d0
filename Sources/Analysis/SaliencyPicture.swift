import Imaging

/// "What the model looks at": a camera frame with its saliency over it, beside the network's
/// outputs for that frame.
public struct SaliencyPicture: Sendable {
    /// The frame's gray values, (120, 160) (the first camera's, for stereo).
    public var frame: [UInt8]
    /// (120, 160), 0 ... 1.
    public var map: [Float]
    /// Action probabilities (discrete) or means (continuous).
    public var outputs: [Float]
    /// A label per output (`-30° 1.0 m/s`, or `steering mean`, `speed mean`).
    public var labels: [String]
    /// The output the map explains.
    public var explained: Int
    public var isContinuous: Bool
    public var title: String

    public init(
        frame: [UInt8], map: [Float], outputs: [Float], labels: [String], explained: Int, isContinuous: Bool,
        title: String
    ) {
        self.frame = frame
        self.map = map
        self.outputs = outputs
        self.labels = labels
        self.explained = explained
        self.isContinuous = isContinuous
        self.title = title
    }

    static let frameWidth = 160
    static let frameHeight = 120

    /// The frame `scale` times enlarged with the saliency laid over it in heat colours: the more
    /// salient a pixel, the more of the colour shows.
    public func overlay(scale: Int) -> Canvas {
        let width = Self.frameWidth * scale
        let height = Self.frameHeight * scale
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let source = (y / scale) * Self.frameWidth + x / scale
                let gray = Double(source < frame.count ? frame[source] : 0)
                let t = Double(source < map.count ? map[source] : 0)
                let heat = ChartTheme.heat(t)
                let alpha = 0.7 * t
                let index = (y * width + x) * 3
                pixels[index] = UInt8((gray * (1 - alpha) + Double(heat.red) * alpha).rounded())
                pixels[index + 1] = UInt8((gray * (1 - alpha) + Double(heat.green) * alpha).rounded())
                pixels[index + 2] = UInt8((gray * (1 - alpha) + Double(heat.blue) * alpha).rounded())
            }
        }
        return Canvas(width: width, height: height, pixels: pixels)
    }

    /// The whole picture, 1280 x 620: the frame with its saliency (4x), its outputs as bars.
    public func draw() -> Canvas {
        let theme = ChartTheme.standard
        var canvas = Canvas(width: 1280, height: 620, fill: theme.background)
        canvas.drawText(title, at: Point(20, 18), size: 14, color: theme.text)
        canvas.blit(overlay(scale: 4), at: 20, y: 60)
        let explainedLabel = labels.indices.contains(explained) ? labels[explained] : "output \(explained)"
        canvas.drawText(
            isContinuous
                ? "Bright: pixels that move the steering mean most"
                : "Bright: pixels that move the chance of \(explainedLabel) most",
            at: Point(20, 558), size: 11, color: theme.mutedText)
        let left = 700.0
        canvas.drawText(
            isContinuous ? "The network's means" : "The network's action probabilities", at: Point(left, 60), size: 12,
            color: theme.text)
        let rowHeight = min(36, 440 / Double(max(outputs.count, 1)))
        let barWidth = 360.0
        for (k, output) in outputs.enumerated() {
            let y = 96 + Double(k) * rowHeight
            let label = labels.indices.contains(k) ? labels[k] : "output \(k)"
            canvas.drawText(label, at: Point(left, y + rowHeight / 2), size: 10, color: theme.text, anchor: .left)
            let origin = left + 150
            let color = k == explained ? ChartTheme.seriesColors[5] : ChartTheme.seriesColors[0]
            if isContinuous {
                // Means lie in [-1, 1]: bars from the middle.
                let middle = origin + barWidth / 2
                let length = Double(max(min(output, 1), -1)) * barWidth / 2
                canvas.fillRectangle(
                    origin: Point(min(middle, middle + length), y + 4), width: abs(length), height: rowHeight - 8,
                    color: color)
                canvas.strokePolyline([Point(middle, y), Point(middle, y + rowHeight)], width: 1, color: theme.axis)
            } else {
                canvas.fillRectangle(
                    origin: Point(origin, y + 4), width: barWidth, height: rowHeight - 8, color: theme.grid)
                canvas.fillRectangle(
                    origin: Point(origin, y + 4), width: Double(max(min(output, 1), 0)) * barWidth,
                    height: rowHeight - 8, color: color)
            }
            canvas.drawText(
                Chart.format(Double(output), decimals: 3), at: Point(origin + barWidth + 10, y + rowHeight / 2),
                size: 10, color: theme.text, anchor: .left)
        }
        return canvas
    }
}
