/// Which point of a line of text ``Canvas/drawText(_:at:size:color:anchor:alpha:)`` places at the given position.
///
/// The text box is `textWidth` wide and one capital letter high: "top" is the top of the
/// capitals, "bottom" the baseline (descenders of g, j, p, q, y and commas hang below it).
public enum TextAnchor: Sendable, Hashable, CaseIterable {
    case topLeft, top, topRight
    case left, center, right
    case bottomLeft, bottom, bottomRight

    /// How far across the box the anchor sits: 0 left edge, 0.5 middle, 1 right edge.
    var horizontalFraction: Double {
        switch self {
        case .topLeft, .left, .bottomLeft: 0
        case .top, .center, .bottom: 0.5
        case .topRight, .right, .bottomRight: 1
        }
    }

    /// How far down the box the anchor sits: 0 top of capitals, 0.5 middle, 1 baseline.
    var verticalFraction: Double {
        switch self {
        case .topLeft, .top, .topRight: 0
        case .left, .center, .right: 0.5
        case .bottomLeft, .bottom, .bottomRight: 1
        }
    }
}
