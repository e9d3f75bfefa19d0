import Foundation
import Imaging

/// A rectangle on a canvas, pixels.
public struct PanelRect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The rectangle less `inset` pixels on every side.
    public func inset(_ inset: Double) -> PanelRect {
        PanelRect(x: x + inset, y: y + inset, width: width - 2 * inset, height: height - 2 * inset)
    }
}

/// An x-y chart: axes with round ticks and their labels, a title, series drawn as lines, points
/// or a shaded band, and a legend.
public struct Chart: Sendable {
    /// One thing drawn on the chart.
    public struct Series: Sendable {
        public enum Style: Sendable {
            case line(width: Double)
            case points(radius: Double)
            /// The area between `points` (the lower edge) and `upper`.
            case band(upper: [Double])
        }
        public var name: String
        public var color: RGBColor
        public var points: [(x: Double, y: Double)]
        public var style: Style
        public var alpha: Double

        public init(name: String, color: RGBColor, points: [(x: Double, y: Double)], style: Style, alpha: Double = 1) {
            self.name = name
            self.color = color
            self.points = points
            self.style = style
            self.alpha = alpha
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Fixed ranges; nil fits the data (with the y range starting at 0 when the data are all positive).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Whether a fitted y range starts at 0 when the data are all positive.
    public var yFromZero = true
    /// Text in the middle of the plot when there is nothing to draw.
    public var emptyMessage = "no data"

    public init(
        title: String, xLabel: String, yLabel: String, series: [Series], xRange: ClosedRange<Double>? = nil,
        yRange: ClosedRange<Double>? = nil
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
    }

    /// Draws the chart inside `rect`, with its title on top.
    public func draw(on canvas: inout Canvas, in rect: PanelRect, theme: ChartTheme = .standard) {
        let text = theme.textSize(for: rect)
        canvas.fillRectangle(
            origin: Point(rect.x, rect.y), width: rect.width, height: rect.height, color: theme.background)
        canvas.drawText(
            title, at: Point(rect.x + 12, rect.y + 10), size: text * 1.15, color: theme.text, anchor: .topLeft)
        let legendHeight = series.contains { !$0.name.isEmpty } ? text * 2 : 0
        let plot = PanelRect(
            x: rect.x + text * 6.5, y: rect.y + text * 4.4 + legendHeight,
            width: rect.width - text * 6.5 - 18, height: rect.height - text * 4.4 - legendHeight - text * 4.2)
        let all = series.flatMap { series -> [(x: Double, y: Double)] in
            if case .band(let upper) = series.style {
                return series.points + zip(series.points, upper).map { (x: $0.x, y: $1) }
            }
            return series.points
        }.filter { $0.x.isFinite && $0.y.isFinite }
        // The y axis's name sits above it, the x axis's under the middle of the plot.
        canvas.drawText(
            yLabel, at: Point(plot.x - text * 5.5, plot.y - text * 1.7), size: text * 0.9, color: theme.mutedText)
        canvas.drawText(
            xLabel, at: Point(plot.x + plot.width / 2, plot.y + plot.height + text * 2.6), size: text,
            color: theme.mutedText, anchor: .top)
        guard !all.isEmpty else {
            canvas.strokePolyline(
                [
                    Point(plot.x, plot.y), Point(plot.x, plot.y + plot.height),
                    Point(plot.x + plot.width, plot.y + plot.height),
                ],
                width: 1, color: theme.axis)
            canvas.drawText(
                emptyMessage, at: Point(plot.x + plot.width / 2, plot.y + plot.height / 2), size: text,
                color: theme.mutedText, anchor: .center)
            return
        }
        let xs = xRange ?? Self.fit(all.map(\.x), fromZero: false)
        let ys = yRange ?? Self.fit(all.map(\.y), fromZero: yFromZero)
        func px(_ x: Double) -> Double { plot.x + (x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * plot.width }
        func py(_ y: Double) -> Double {
            plot.y + plot.height - (y - ys.lowerBound) / (ys.upperBound - ys.lowerBound) * plot.height
        }
        // Grid and ticks.
        for tick in Self.ticks(ys) {
            canvas.strokePolyline(
                [Point(plot.x, py(tick)), Point(plot.x + plot.width, py(tick))], width: 1, color: theme.grid)
            canvas.drawText(
                Self.label(tick, ys), at: Point(plot.x - 6, py(tick)), size: text * 0.9, color: theme.mutedText,
                anchor: .right)
        }
        for tick in Self.ticks(xs) {
            canvas.strokePolyline(
                [Point(px(tick), plot.y), Point(px(tick), plot.y + plot.height)], width: 1, color: theme.grid)
            canvas.drawText(
                Self.label(tick, xs), at: Point(px(tick), plot.y + plot.height + 7), size: text * 0.9,
                color: theme.mutedText, anchor: .top)
        }
        canvas.strokePolyline(
            [
                Point(plot.x, plot.y), Point(plot.x, plot.y + plot.height),
                Point(plot.x + plot.width, plot.y + plot.height),
            ],
            width: 1.5, color: theme.axis)
        // Series, clipped to the plot by clamping.
        func point(_ p: (x: Double, y: Double)) -> Point {
            Point(
                min(max(px(p.x), plot.x), plot.x + plot.width), min(max(py(p.y), plot.y), plot.y + plot.height))
        }
        for series in series {
            let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            switch series.style {
            case .line(let width):
                canvas.strokePolyline(points.map(point), width: width, color: series.color, alpha: series.alpha)
            case .points(let radius):
                for p in points {
                    canvas.fillCircle(center: point(p), radius: radius, color: series.color, alpha: series.alpha)
                }
            case .band(let upper):
                let top = zip(series.points, upper).map { point((x: $0.x, y: $1)) }
                let lower = series.points.map(point)
                guard top.count > 1 else { continue }
                canvas.fillPolygon(lower + top.reversed(), color: series.color, alpha: series.alpha)
            }
        }
        // Legend, in one row above the plot.
        var x = rect.x + 14
        for series in series where !series.name.isEmpty {
            let y = rect.y + text * 3.6
            switch series.style {
            case .line:
                canvas.strokePolyline([Point(x, y), Point(x + 18, y)], width: 3, color: series.color)
            case .points:
                canvas.fillCircle(center: Point(x + 9, y), radius: 4, color: series.color)
            case .band:
                canvas.fillRectangle(
                    origin: Point(x, y - 5), width: 18, height: 10, color: series.color, alpha: series.alpha)
            }
            canvas.drawText(series.name, at: Point(x + 24, y), size: text * 0.9, color: theme.text, anchor: .left)
            x += 24 + canvas.textWidth(series.name, size: text * 0.9) + 22
        }
    }

    /// A range around `values` ending on round numbers; from 0 when asked and all values are
    /// positive.
    static func fit(_ values: [Double], fromZero: Bool) -> ClosedRange<Double> {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if fromZero && low > 0 { low = 0 }
        if high <= low {
            high = low + max(abs(low) * 0.1, 1)
        }
        let step = tickStep(high - low)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        return low...high
    }

    /// A round step giving about five ticks over `span`: 1, 2 or 5 times a power of ten.
    static func tickStep(_ span: Double) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / 5
        let power = pow10(Int((log10(raw)).rounded(.down)))
        for multiple in [1.0, 2, 5, 10] where multiple * power >= raw { return multiple * power }
        return 10 * power
    }

    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let step = tickStep(range.upperBound - range.lowerBound)
        var ticks: [Double] = []
        var tick = (range.lowerBound / step).rounded(.up) * step
        while tick <= range.upperBound + step * 1e-9 && ticks.count < 40 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }

    /// A tick's label with as many decimals as its step needs.
    static func label(_ value: Double, _ range: ClosedRange<Double>) -> String {
        let step = tickStep(range.upperBound - range.lowerBound)
        let decimals = max(0, -Int((log10(step)).rounded(.down)))
        return format(value, decimals: decimals)
    }

    /// `value` with `decimals` digits after the point.
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        let scale = pow10(decimals)
        let rounded = (value * scale).rounded() / scale
        if decimals == 0 { return String(Int(rounded)) }
        let negative = rounded < 0
        let whole = Int(abs(rounded) * scale + 0.5)
        let integer = whole / Int(scale)
        let fraction = String(whole % Int(scale))
        let padded = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        return (negative ? "-" : "") + "\(integer).\(padded)"
    }

    static func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        if exponent >= 0 {
            for _ in 0..<exponent { value *= 10 }
        } else {
            for _ in 0..<(-exponent) { value /= 10 }
        }
        return value
    }
}

/// Colours and text size of the analysis pictures.
public struct ChartTheme: Sendable {
    public var background: RGBColor
    public var text: RGBColor
    public var mutedText: RGBColor
    public var axis: RGBColor
    public var grid: RGBColor

    public static let standard = ChartTheme(
        background: RGBColor(red: 250, green: 250, blue: 248), text: RGBColor(red: 30, green: 32, blue: 36),
        mutedText: RGBColor(red: 90, green: 94, blue: 102), axis: RGBColor(red: 60, green: 62, blue: 70),
        grid: RGBColor(red: 226, green: 228, blue: 232))

    /// The height of a capital letter for a panel this size: 10 px in a 640 px wide panel.
    func textSize(for rect: PanelRect) -> Double {
        min(max((rect.width / 64).rounded(), 9), 16)
    }

    /// Colours told apart by most eyes (Okabe and Ito's palette), for series.
    public static let seriesColors: [RGBColor] = [
        RGBColor(red: 0, green: 114, blue: 178), RGBColor(red: 230, green: 159, blue: 0),
        RGBColor(red: 0, green: 158, blue: 115), RGBColor(red: 204, green: 121, blue: 167),
        RGBColor(red: 86, green: 180, blue: 233), RGBColor(red: 213, green: 94, blue: 0),
        RGBColor(red: 140, green: 140, blue: 40), RGBColor(red: 0, green: 0, blue: 0),
    ]

    /// A colour for `t` in 0 ... 1 on a perceptually even scale from dark blue through green to
    /// yellow (viridis, by its published key colours).
    public static func heat(_ t: Double) -> RGBColor {
        let keys: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let clamped = min(max(t.isFinite ? t : 0, 0), 1) * Double(keys.count - 1)
        let k = min(Int(clamped), keys.count - 2)
        let f = clamped - Double(k)
        func mix(_ a: Double, _ b: Double) -> UInt8 { UInt8((a + (b - a) * f).rounded()) }
        return RGBColor(
            red: mix(keys[k].0, keys[k + 1].0), green: mix(keys[k].1, keys[k + 1].1),
            blue: mix(keys[k].2, keys[k + 1].2))
    }
}
