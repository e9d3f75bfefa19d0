/// A block of float32 numbers with a shape, outermost dimension first (channels last for
/// images: `(batch, height, width, channels)`).
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.shape = shape
        self.values = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Observations as the networks take them: each `shape` (for the camera `(120, 160,
    /// channels)`, or camera and LIDAR bytes flat) of raw bytes 0 ... 255, made floats unscaled
    /// as DeepRacer feeds them, with the batch dimension (`bytes.count` / the item size) in front.
    /// The one place bytes become a network's input.
    public init(observation bytes: [UInt8], shape: [Int]) {
        let item = shape.reduce(1, *)
        precondition(item > 0 && bytes.count % item == 0, "\(bytes.count) bytes are not observations of \(shape)")
        self.init(shape: [bytes.count / item] + shape, values: bytes.map { Float($0) })
    }

    /// Number of values.
    @inlinable public var count: Int { values.count }

    /// The first dimension (the batch).
    @inlinable public var batchSize: Int { shape.first ?? 0 }

    /// Values per batch item.
    @inlinable public var itemSize: Int { shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1 }

    /// The same values seen with another shape (same count).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, values: values)
    }

    /// Batch items `range` of this tensor.
    public func items(_ range: Range<Int>) -> Tensor {
        let size = itemSize
        return Tensor(
            shape: [range.count] + shape.dropFirst(),
            values: Array(values[(range.lowerBound * size)..<(range.upperBound * size)]))
    }

    /// The given batch items, in order.
    public func items(_ indices: [Int]) -> Tensor {
        let size = itemSize
        var gathered = [Float]()
        gathered.reserveCapacity(indices.count * size)
        for index in indices { gathered += values[(index * size)..<((index + 1) * size)] }
        return Tensor(shape: [indices.count] + shape.dropFirst(), values: gathered)
    }
}
