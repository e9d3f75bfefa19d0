/// The shape-moving ops of stock DeepRacer graphs, in TensorFlow's semantics: Pack (the
/// flatten's computed shape, and Coach's gradient rescaler, which packs a whole tensor),
/// StridedSlice, ConcatV2 (camera and LIDAR embedders joined) and NumPy broadcasting for the
/// elementwise ops. Every index is checked, so a malformed graph is an error, never a trap.
extension GraphRunner {
    /// The number of elements a shape holds, or nil for a negative dimension.
    static func count(_ shape: [Int]) -> Int? {
        var total = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// Most elements one tensor may hold: 64 Mi (256 MB of float32). A stock DeepRacer graph's
    /// largest tensor has under 2 Mi.
    static let maximumElements = 1 << 26

    /// The number of elements of a tensor of `shape` that `node` would make, checked: no negative
    /// dimension, no overflow, at most `maximumElements`.
    static func size(_ shape: [Int], _ node: Tensorflow_NodeDef) throws(CarExportError) -> Int {
        guard let total = count(shape) else {
            throw .badGraph("node \(node.name) (\(node.op)) makes the impossible shape \(shape)")
        }
        guard total <= maximumElements else {
            throw .badGraph(
                "node \(node.name) (\(node.op)) makes a tensor of \(shape), over \(maximumElements) values: too big to run here"
            )
        }
        return total
    }

    /// Checks that a value holds as many elements as its shape says.
    static func checked(_ value: Value, _ node: Tensorflow_NodeDef) throws(CarExportError) -> Value {
        let elements: Int
        switch value {
        case .float(_, let values): elements = values.count
        case .int(_, let values): elements = values.count
        }
        guard count(value.shape) == elements else {
            throw .badGraph("node \(node.name) (\(node.op)) gets \(elements) values for the shape \(value.shape)")
        }
        return value
    }

    /// The value's elements at `indices` (flat positions), as a value of `shape`.
    static func gather(_ value: Value, _ indices: [Int], shape: [Int]) -> Value {
        switch value {
        case .float(_, let values): .float(shape: shape, values: indices.map { values[$0] })
        case .int(_, let values): .int(shape: shape, values: indices.map { values[$0] })
        }
    }

    /// `Pack`: stacks equal-shaped tensors along a new axis (`axis` attribute, default 0).
    func pack(_ node: Tensorflow_NodeDef, _ arguments: [Value]) throws(CarExportError) -> Value {
        guard let first = arguments.first else { throw .badGraph("Pack \(node.name) has no inputs") }
        let shape = first.shape
        for argument in arguments {
            _ = try Self.checked(argument, node)
            guard argument.shape == shape else {
                throw .badGraph("Pack \(node.name) gets shapes \(arguments.map(\.shape)), which must be equal")
            }
        }
        let rank = shape.count + 1
        _ = try Self.size(shape + [arguments.count], node)
        var axis = Int(node.attr["axis"]?.i ?? 0)
        if axis < 0 { axis += rank }
        guard (0..<rank).contains(axis) else { throw .badGraph("Pack \(node.name): axis \(axis) for rank \(rank)") }
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[axis...].reduce(1, *)
        var outputShape = shape
        outputShape.insert(arguments.count, at: axis)
        let allInts = arguments.allSatisfy { if case .int = $0 { true } else { false } }
        if allInts {
            let parts: [[Int32]] = arguments.map { argument in
                if case .int(_, let values) = argument { return values }
                return []
            }
            var values: [Int32] = []
            values.reserveCapacity(outer * inner * parts.count)
            for o in 0..<outer { for part in parts { values += part[(o * inner)..<((o + 1) * inner)] } }
            return .int(shape: outputShape, values: values)
        }
        let parts = arguments.map(Self.floats)
        var values: [Float] = []
        values.reserveCapacity(outer * inner * parts.count)
        for o in 0..<outer { for part in parts { values += part[(o * inner)..<((o + 1) * inner)] } }
        return .float(shape: outputShape, values: values)
    }

    /// `ConcatV2`: joins tensors along an axis (the last input).
    func concatenate(_ node: Tensorflow_NodeDef, _ arguments: [Value]) throws(CarExportError) -> Value {
        guard arguments.count >= 2, let axisValue = arguments.last else {
            throw .badGraph("ConcatV2 \(node.name) needs tensors and an axis")
        }
        let parts = Array(arguments.dropLast())
        let axisInts = try ints(axisValue, node)
        guard axisInts.count == 1, let firstShape = parts.first?.shape else {
            throw .badGraph("ConcatV2 \(node.name): the axis must be one number")
        }
        var axis = axisInts[0]
        if axis < 0 { axis += firstShape.count }
        guard (0..<firstShape.count).contains(axis) else {
            throw .badGraph("ConcatV2 \(node.name): axis \(axis) for rank \(firstShape.count)")
        }
        for part in parts {
            _ = try Self.checked(part, node)
            let shape = part.shape
            guard shape.count == firstShape.count,
                shape.indices.allSatisfy({ $0 == axis || shape[$0] == firstShape[$0] })
            else { throw .badGraph("ConcatV2 \(node.name) cannot join shapes \(parts.map(\.shape)) on axis \(axis)") }
        }
        let outer = firstShape[..<axis].reduce(1, *)
        var outputShape = firstShape
        outputShape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        _ = try Self.size(outputShape, node)
        let floats = parts.map(Self.floats)
        let inners = parts.map { $0.shape[axis...].reduce(1, *) }
        var values: [Float] = []
        values.reserveCapacity(outputShape.reduce(1, *))
        for o in 0..<outer {
            for (part, inner) in zip(floats, inners) { values += part[(o * inner)..<((o + 1) * inner)] }
        }
        return .float(shape: outputShape, values: values)
    }

    /// `StridedSlice` with begin, end and shrink-axis masks and any strides (no ellipsis or new
    /// axes, which stock graphs do not use).
    func stridedSlice(
        _ node: Tensorflow_NodeDef, _ input: Value, _ begin: [Int], _ end: [Int], _ strides: [Int]
    ) throws(CarExportError) -> Value {
        let input = try Self.checked(input, node)
        let shape = input.shape
        guard begin.count == end.count, end.count == strides.count, begin.count <= shape.count else {
            throw .badGraph(
                "StridedSlice \(node.name): begin \(begin), end \(end), strides \(strides) for a tensor of shape \(shape)"
            )
        }
        let beginMask = Int(node.attr["begin_mask"]?.i ?? 0)
        let endMask = Int(node.attr["end_mask"]?.i ?? 0)
        let shrinkMask = Int(node.attr["shrink_axis_mask"]?.i ?? 0)
        guard (node.attr["ellipsis_mask"]?.i ?? 0) == 0, (node.attr["new_axis_mask"]?.i ?? 0) == 0 else {
            throw .badGraph("StridedSlice \(node.name) uses an ellipsis or new-axis mask, which Paddock does not run")
        }
        // The positions taken along each dimension, and whether the dimension stays.
        var taken: [[Int]] = []
        var outputShape: [Int] = []
        for d in shape.indices {
            let size = shape[d]
            guard d < begin.count else {
                taken.append(Array(0..<size))
                outputShape.append(size)
                continue
            }
            let stride = strides[d]
            guard stride != 0 else { throw .badGraph("StridedSlice \(node.name) has stride 0") }
            let bit = 1 << d
            if shrinkMask & bit != 0 {
                let index = begin[d] < 0 ? begin[d] + size : begin[d]
                guard (0..<size).contains(index) else {
                    throw .badGraph("StridedSlice \(node.name): index \(begin[d]) outside a dimension of \(size)")
                }
                taken.append([index])
                continue
            }
            func resolve(_ value: Int) -> Int {
                let index = value < 0 ? value + size : value
                return stride > 0 ? min(max(index, 0), size) : min(max(index, -1), size - 1)
            }
            let from = beginMask & bit != 0 ? (stride > 0 ? 0 : size - 1) : resolve(begin[d])
            let to = endMask & bit != 0 ? (stride > 0 ? size : -1) : resolve(end[d])
            let positions = Array(Swift.stride(from: from, to: to, by: stride))
            taken.append(positions)
            outputShape.append(positions.count)
        }
        // Flat positions of every element taken, in row-major order.
        var indices = [0]
        var step = 1
        var steps = [Int](repeating: 1, count: shape.count)
        for d in shape.indices.reversed() {
            steps[d] = step
            step *= shape[d]
        }
        for d in shape.indices {
            var next: [Int] = []
            next.reserveCapacity(indices.count * taken[d].count)
            for base in indices { for position in taken[d] { next.append(base + position * steps[d]) } }
            indices = next
        }
        return Self.gather(input, indices, shape: outputShape)
    }

    /// Elementwise `operation` with NumPy broadcasting: shapes are aligned at the end and each
    /// dimension must be equal or 1.
    static func broadcast(
        _ a: [Float], _ aShape: [Int], _ b: [Float], _ bShape: [Int], node: Tensorflow_NodeDef,
        _ operation: (Float, Float) -> Float
    ) throws(CarExportError) -> Value {
        guard count(aShape) == a.count, count(bShape) == b.count else {
            throw .badGraph("node \(node.name): values do not fill the shapes \(aShape) and \(bShape)")
        }
        if aShape == bShape { return .float(shape: aShape, values: zip(a, b).map(operation)) }
        if b.count == 1 && bShape.count <= aShape.count {
            return .float(shape: aShape, values: a.map { operation($0, b[0]) })
        }
        if a.count == 1 && aShape.count <= bShape.count {
            return .float(shape: bShape, values: b.map { operation(a[0], $0) })
        }
        let rank = max(aShape.count, bShape.count)
        let paddedA = [Int](repeating: 1, count: rank - aShape.count) + aShape
        let paddedB = [Int](repeating: 1, count: rank - bShape.count) + bShape
        var shape: [Int] = []
        for (x, y) in zip(paddedA, paddedB) {
            guard x == y || x == 1 || y == 1 else {
                throw .badGraph("node \(node.name): cannot combine shapes \(aShape) and \(bShape)")
            }
            shape.append(x == 1 ? y : x)
        }
        // Each operand's step along each output dimension (0 where it is broadcast).
        func steps(_ padded: [Int]) -> [Int] {
            var result = [Int](repeating: 0, count: rank)
            var step = 1
            for d in (0..<rank).reversed() {
                result[d] = padded[d] == 1 ? 0 : step
                step *= padded[d]
            }
            return result
        }
        let aSteps = steps(paddedA)
        let bSteps = steps(paddedB)
        let total = try size(shape, node)
        var values = [Float](repeating: 0, count: total)
        var counter = [Int](repeating: 0, count: rank)
        var aIndex = 0
        var bIndex = 0
        for i in 0..<total {
            values[i] = operation(a[aIndex], b[bIndex])
            // Advance the output counter like an odometer, moving both operands' indices.
            var d = rank - 1
            while d >= 0 {
                counter[d] += 1
                aIndex += aSteps[d]
                bIndex += bSteps[d]
                if counter[d] < shape[d] { break }
                aIndex -= aSteps[d] * shape[d]
                bIndex -= bSteps[d] * shape[d]
                counter[d] = 0
                d -= 1
            }
        }
        return .float(shape: shape, values: values)
    }

    static func floats(_ value: Value) -> [Float] {
        switch value {
        case .float(_, let values): values
        case .int(_, let values): values.map { Float($0) }
        }
    }
}
