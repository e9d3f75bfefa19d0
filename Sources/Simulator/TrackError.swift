/// A track that could not be loaded or built, with what was wrong, where, and what to do.
public struct TrackError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// The bytes are not a readable `.npy` file.
        case file(NumpyError)
        /// The array holds a type other than float64.
        case wrongType(String)
        /// The array is not N x 6.
        case wrongShape([Int])
        /// A value is NaN or infinite (row and column in the file, from 0).
        case notFinite(row: Int, column: Int)
        /// Fewer than 4 distinct centre points.
        case tooFewPoints(Int)
        /// The inner and outer border points of a row coincide.
        case zeroWidth(row: Int)
        /// A border point lies on the wrong side of the centre line.
        case bordersCrossCentre(row: Int, border: String)
        /// A track manifest or generator asked for something impossible.
        case invalidDesign(String)
    }

    /// Where the track came from (a file path or a track id).
    public var source: String
    public var problem: Problem

    public init(source: String, problem: Problem) {
        self.source = source
        self.problem = problem
    }

    static let howToSave =
        "A DeepRacer track is an N x 6 float64 array (centre x, centre y, inner x, inner y, outer x, outer y, in metres) saved with numpy.save."

    public var description: String {
        switch problem {
        case .file(let error):
            return error.description
        case .wrongType(let type):
            return "\(source): holds \(type) values, but a track needs float64. "
                + "Convert it with numpy.save(path, array.astype(numpy.float64))."
        case .wrongShape(let shape):
            let text = "(" + shape.map(String.init).joined(separator: ", ") + ")"
            return "\(source): has shape \(text), but a track needs N rows of 6 columns. \(Self.howToSave)"
        case .notFinite(let row, let column):
            let names = ["centre x", "centre y", "inner x", "inner y", "outer x", "outer y"]
            let name = column < names.count ? names[column] : "column \(column)"
            return
                "\(source): row \(row), \(name) is NaN or infinite. Every coordinate must be a finite number of metres; "
                + "fix or remove that row."
        case .tooFewPoints(let count):
            return "\(source): has only \(count) distinct centre points; a track needs at least 4. "
                + "Add waypoints along the centre line."
        case .zeroWidth(let row):
            return "\(source): row \(row) has zero width: its inner and outer border points are the same point. "
                + "Each row's inner and outer points must lie on either side of the centre point."
        case .bordersCrossCentre(let row, let border):
            return "\(source): at row \(row) the \(border) border crosses the centre line "
                + "(its point lies on the other border's side). Check that columns 2-3 hold the inner border and 4-5 the outer "
                + "in every row, and that the borders do not swap sides."
        case .invalidDesign(let what):
            return "\(source): \(what)"
        }
    }
}
