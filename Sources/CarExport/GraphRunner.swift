import Foundation
import NeuralNetwork
import SwiftProtobuf

/// Runs a frozen TensorFlow inference graph: the ops DeepRacer's stock graphs and Paddock's
/// exports use (spec section 9), float32 and int32 tensors, channels last. An op outside that
/// set is an error naming the op and the node.
public final class GraphRunner: @unchecked Sendable {
    /// A value flowing through the graph.
    enum Value {
        case float(shape: [Int], values: [Float])
        case int(shape: [Int], values: [Int32])

        var shape: [Int] {
            switch self {
            case .float(let shape, _), .int(let shape, _): shape
            }
        }
    }

    public let graph: Tensorflow_GraphDef
    private let nodes: [String: Tensorflow_NodeDef]
    /// Constants decoded once.
    private var constants: [String: Value] = [:]

    /// The ops this runner knows.
    public static let supportedOps: Set<String> = [
        "Placeholder", "Const", "Identity", "StopGradient", "Mul", "RealDiv", "Sub", "Add", "AddV2", "BiasAdd",
        "Conv2D", "Relu", "Tanh", "Reshape", "MatMul", "Softmax", "Shape", "StridedSlice", "Pack", "ConcatV2",
    ]

    public init(modelPB data: Data) throws(CarExportError) {
        do {
            graph = try Tensorflow_GraphDef(serializedBytes: data)
        } catch {
            throw .badGraph("it does not decode as a TensorFlow GraphDef (\(error))")
        }
        var nodes: [String: Tensorflow_NodeDef] = [:]
        for node in graph.node { nodes[node.name] = node }
        self.nodes = nodes
        for node in graph.node where !Self.supportedOps.contains(node.op) {
            throw .unsupportedOp(op: node.op, node: node.name)
        }
    }

    /// The placeholders, with their shapes (-1 for unknown).
    public var inputs: [(name: String, shape: [Int])] {
        graph.node.filter { $0.op == "Placeholder" }.map { node in
            (node.name, node.attr["shape"]?.shape.dim.map { Int($0.size) } ?? [])
        }
    }

    /// Whether a node of this name exists.
    public func hasNode(_ name: String) -> Bool { nodes[name] != nil }

    /// Evaluates `output` with float `feeds` (placeholder name to a tensor).
    public func run(_ output: String, feeds: [String: Tensor]) throws(CarExportError) -> Tensor {
        var cache: [String: Value] = [:]
        for (name, tensor) in feeds { cache[name] = .float(shape: tensor.shape, values: tensor.values) }
        guard case .float(let shape, let values) = try evaluate(output, cache: &cache) else {
            throw .badGraph("the output \(output) is not a float tensor")
        }
        return Tensor(shape: shape, values: values)
    }

    private func evaluate(_ reference: String, cache: inout [String: Value]) throws(CarExportError) -> Value {
        // Inputs may name an output port ("node:0") or a control dependency ("^node").
        let name = String(reference.split(separator: ":").first ?? Substring(reference))
        if let cached = cache[name] { return cached }
        guard let node = nodes[name] else { throw .badGraph("no node called \(name)") }
        let arguments = try node.input.filter { !$0.hasPrefix("^") }.map { (input: String) throws(CarExportError) in
            try evaluate(input, cache: &cache)
        }
        let value = try compute(node, arguments)
        cache[name] = value
        return value
    }

    private func float(_ value: Value, _ node: Tensorflow_NodeDef) throws(CarExportError) -> ([Int], [Float]) {
        switch value {
        case .float(let shape, let values): return (shape, values)
        case .int(let shape, let values): return (shape, values.map { Float($0) })
        }
    }

    func ints(_ value: Value) -> [Int] {
        switch value {
        case .float(_, let values): values.map { Int($0) }
        case .int(_, let values): values.map { Int($0) }
        }
    }

    private func compute(_ node: Tensorflow_NodeDef, _ arguments: [Value]) throws(CarExportError) -> Value {
        func argument(_ index: Int) throws(CarExportError) -> Value {
            guard arguments.indices.contains(index) else {
                throw .badGraph("node \(node.name) (\(node.op)) has \(arguments.count) inputs, needs \(index + 1)")
            }
            return arguments[index]
        }
        switch node.op {
        case "Placeholder":
            throw .badGraph("no value was given for the input \(node.name)")
        case "Const":
            return try Self.constant(node)
        case "Identity", "StopGradient":
            return try argument(0)
        case "Mul", "RealDiv", "Sub", "Add", "AddV2", "BiasAdd":
            let (aShape, a) = try float(try argument(0), node)
            let (bShape, b) = try float(try argument(1), node)
            let operation: (Float, Float) -> Float =
                switch node.op {
                case "Mul": (*)
                case "RealDiv": (/)
                case "Sub": (-)
                default: (+)
                }
            return try Self.broadcast(a, aShape, b, bShape, node: node.name, operation)
        case "Relu":
            let (shape, values) = try float(try argument(0), node)
            return .float(shape: shape, values: values.map { max($0, 0) })
        case "Tanh":
            let (shape, values) = try float(try argument(0), node)
            return .float(shape: shape, values: values.map { Float(Foundation.tanh(Double($0))) })
        case "Softmax":
            let (shape, values) = try float(try argument(0), node)
            let probabilities = Softmax.probabilities(Tensor(shape: shape, values: values))
            return .float(shape: shape, values: probabilities.values)
        case "MatMul":
            let (aShape, a) = try float(try argument(0), node)
            let (bShape, b) = try float(try argument(1), node)
            let transposeA = node.attr["transpose_a"]?.b ?? false
            let transposeB = node.attr["transpose_b"]?.b ?? false
            guard aShape.count == 2, bShape.count == 2 else { throw .badGraph("MatMul \(node.name) needs matrices") }
            let m = transposeA ? aShape[1] : aShape[0]
            let k = transposeA ? aShape[0] : aShape[1]
            let n = transposeB ? bShape[0] : bShape[1]
            guard k == (transposeB ? bShape[1] : bShape[0]) else {
                throw .badGraph("MatMul \(node.name): \(aShape) times \(bShape) do not fit")
            }
            var output = [Float](repeating: 0, count: m * n)
            MatrixMath.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &output, m: m, n: n, k: k)
            return .float(shape: [m, n], values: output)
        case "Conv2D":
            return try convolve(node, try argument(0), try argument(1))
        case "Reshape":
            let (shape, values) = try float(try argument(0), node)
            var target = ints(try argument(1))
            let known = target.filter { $0 != -1 }.reduce(1, *)
            if let unknown = target.firstIndex(of: -1) { target[unknown] = known == 0 ? 0 : values.count / known }
            guard target.reduce(1, *) == values.count else {
                throw .badGraph("Reshape \(node.name) cannot make \(shape) into \(target)")
            }
            if case .int(_, let integers) = try argument(0) { return .int(shape: target, values: integers) }
            return .float(shape: target, values: values)
        case "Shape":
            let shape = try argument(0).shape
            return .int(shape: [shape.count], values: shape.map { Int32($0) })
        case "StridedSlice":
            return try stridedSlice(
                node, try argument(0), ints(try argument(1)), ints(try argument(2)), ints(try argument(3)))
        case "Pack":
            return try pack(node, arguments)
        case "ConcatV2":
            return try concatenate(node, arguments)
        default:
            throw .unsupportedOp(op: node.op, node: node.name)
        }
    }

    static func constant(_ node: Tensorflow_NodeDef) throws(CarExportError) -> Value {
        guard let tensor = node.attr["value"]?.tensor else { throw .badGraph("Const \(node.name) has no value") }
        let shape = tensor.tensorShape.dim.map { Int($0.size) }
        let count = shape.reduce(1, *)
        switch tensor.dtype {
        case .dtFloat:
            var values: [Float]
            if !tensor.tensorContent.isEmpty {
                values = tensor.tensorContent.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
            } else {
                values = tensor.floatVal
            }
            if values.count == 1 && count > 1 { values = [Float](repeating: values[0], count: count) }
            guard values.count == count else {
                throw .badGraph("Const \(node.name) holds \(values.count) values for \(shape)")
            }
            return .float(shape: shape, values: values)
        case .dtInt32:
            var values: [Int32]
            if !tensor.tensorContent.isEmpty {
                values = tensor.tensorContent.withUnsafeBytes { raw in Array(raw.bindMemory(to: Int32.self)) }
            } else {
                values = tensor.intVal
            }
            if values.count == 1 && count > 1 { values = [Int32](repeating: values[0], count: count) }
            return .int(shape: shape, values: values)
        default:
            throw .badGraph("Const \(node.name) has data type \(tensor.dtype), not float32 or int32")
        }
    }

    private func convolve(_ node: Tensorflow_NodeDef, _ input: Value, _ filter: Value) throws(CarExportError) -> Value {
        guard case .float(let shape, let values) = input, case .float(let kernelShape, let kernel) = filter,
            shape.count == 4, kernelShape.count == 4
        else { throw .badGraph("Conv2D \(node.name) needs a 4-D input and filter") }
        let padding = node.attr["padding"].map { String(decoding: $0.s, as: UTF8.self) } ?? "VALID"
        let format = node.attr["data_format"].map { String(decoding: $0.s, as: UTF8.self) } ?? "NHWC"
        let strides = node.attr["strides"]?.list.i.map(Int.init) ?? [1, 1, 1, 1]
        guard padding == "VALID", format == "NHWC", strides.count == 4, strides[1] == strides[2],
            kernelShape[0] == kernelShape[1], kernelShape[2] == shape[3]
        else {
            throw .badGraph(
                "Conv2D \(node.name) uses \(padding) padding, \(format), strides \(strides), kernel \(kernelShape); Paddock runs VALID, NHWC, square kernels and strides"
            )
        }
        var random = NetworkRandom(seed: 0)
        let layer = Conv2D(
            name: node.name, channels: shape[3], filters: kernelShape[3], kernelSize: kernelShape[0],
            stride: strides[1],
            random: &random)
        layer.kernel.value = kernel
        layer.bias.value = [Float](repeating: 0, count: kernelShape[3])
        let output = layer.forward(Tensor(shape: shape, values: values))
        return .float(shape: output.shape, values: output.values)
    }
}
