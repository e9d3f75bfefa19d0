import Foundation
import NeuralNetwork
import SwiftProtobuf

/// Runs a frozen TensorFlow inference graph: the ops DeepRacer's stock graphs and Paddock's
/// exports use (docs/deepracer-compat.md §9), float32 and int32 tensors, channels last. An op outside that
/// set is an error naming the op and the node.
public final class GraphRunner {
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
    /// Constants, decoded (and checked) once when the graph is read.
    private let constants: [String: Value]

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
        guard graph.node.count <= Self.maximumNodes else {
            throw .badGraph(
                "it has \(graph.node.count) nodes; Paddock runs graphs of at most \(Self.maximumNodes) (a stock DeepRacer graph has a few hundred)"
            )
        }
        var nodes: [String: Tensorflow_NodeDef] = [:]
        for node in graph.node { nodes[node.name] = node }
        self.nodes = nodes
        for node in graph.node where !Self.supportedOps.contains(node.op) {
            throw .unsupportedOp(op: node.op, node: node.name)
        }
        try Self.checkAcyclic(graph.node, nodes)
        var constants: [String: Value] = [:]
        var elements = 0
        for node in graph.node where node.op == "Const" {
            let value = try Self.constant(node)
            elements += value.shape.reduce(1, *)
            guard elements <= Self.maximumElements else {
                throw .badGraph("its constants hold over \(Self.maximumElements) values: too big to run here")
            }
            constants[node.name] = value
        }
        self.constants = constants
    }

    /// Throws if some node depends on itself (Kahn's order over the nodes' data inputs; inputs
    /// naming no node are left to the run, which names them).
    static func checkAcyclic(_ list: [Tensorflow_NodeDef], _ nodes: [String: Tensorflow_NodeDef]) throws(CarExportError)
    {
        var waiting: [String: Int] = [:]
        var users: [String: [String]] = [:]
        for node in list {
            let inputs = node.input.filter { !$0.hasPrefix("^") }.map {
                String($0.split(separator: ":").first ?? Substring($0))
            }.filter { nodes[$0] != nil }
            waiting[node.name] = inputs.count
            for input in inputs { users[input, default: []].append(node.name) }
        }
        var ready = waiting.filter { $0.value == 0 }.map(\.key)
        var done = 0
        while let name = ready.popLast() {
            done += 1
            for user in users[name] ?? [] {
                waiting[user, default: 0] -= 1
                if waiting[user] == 0 { ready.append(user) }
            }
        }
        guard done == waiting.count else {
            let stuck = waiting.filter { $0.value > 0 }.map(\.key).sorted().prefix(3)
            throw .badGraph("it has a cycle: \(stuck.joined(separator: ", ")) depend on themselves")
        }
    }

    /// Most values one run may make, all its nodes' outputs together: 256 Mi (1 GB of float32).
    /// A stock DeepRacer graph makes about 2 Mi a frame.
    public static let maximumRunElements = 1 << 28

    /// Most nodes a graph may have.
    public static let maximumNodes = 20_000

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

    /// Evaluates a node after the nodes it needs, depth first with a stack of its own (a chain
    /// of any length fits; a cycle is an error, not a stack overflow).
    private func evaluate(_ reference: String, cache: inout [String: Value]) throws(CarExportError) -> Value {
        // Inputs may name an output port ("node:0") or a control dependency ("^node").
        func name(_ reference: String) -> String {
            String(reference.split(separator: ":").first ?? Substring(reference))
        }
        func inputs(_ node: Tensorflow_NodeDef) -> [String] { node.input.filter { !$0.hasPrefix("^") }.map(name) }
        let target = name(reference)
        var stack: [(name: String, expanded: Bool)] = [(target, false)]
        var onPath = Set<String>()
        var produced = 0
        while let (current, expanded) = stack.popLast() {
            if cache[current] != nil { continue }
            guard let node = nodes[current] else { throw .badGraph("no node called \(current)") }
            if expanded {
                onPath.remove(current)
                let arguments = try inputs(node).map { (input: String) throws(CarExportError) -> Value in
                    guard let value = cache[input] else { throw .badGraph("node \(input) has no value") }
                    return value
                }
                let value = try compute(node, arguments)
                produced += value.shape.reduce(1, *)
                guard produced <= Self.maximumRunElements else {
                    throw .badGraph(
                        "running it needs over \(Self.maximumRunElements) values at once (at node \(current)): too big to run here"
                    )
                }
                cache[current] = value
                continue
            }
            guard onPath.insert(current).inserted else {
                throw .badGraph("node \(current) depends on itself (the graph has a cycle)")
            }
            stack.append((current, true))
            for input in inputs(node).reversed() where cache[input] == nil {
                if onPath.contains(input) {
                    throw .badGraph("node \(input) depends on itself (the graph has a cycle)")
                }
                stack.append((input, false))
            }
        }
        guard let value = cache[target] else { throw .badGraph("node \(target) has no value") }
        return value
    }

    private func float(_ value: Value, _ node: Tensorflow_NodeDef) throws(CarExportError) -> ([Int], [Float]) {
        switch value {
        case .float(let shape, let values): return (shape, values)
        case .int(let shape, let values): return (shape, values.map { Float($0) })
        }
    }

    /// A value's elements as integers (shapes, indices, axes); a float that is not a whole
    /// number within int32's range is an error.
    func ints(_ value: Value, _ node: Tensorflow_NodeDef) throws(CarExportError) -> [Int] {
        switch value {
        case .int(_, let values): return values.map { Int($0) }
        case .float(_, let values):
            var result: [Int] = []
            result.reserveCapacity(values.count)
            for element in values {
                guard element.isFinite, element.rounded() == element, abs(element) <= Float(Int32.max) else {
                    throw .badGraph("node \(node.name) (\(node.op)) needs whole numbers, not \(element)")
                }
                result.append(Int(element))
            }
            return result
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
            guard let value = constants[node.name] else { throw .badGraph("Const \(node.name) has no value") }
            return value
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
            return try Self.broadcast(a, aShape, b, bShape, node: node, operation)
        case "Relu":
            let (shape, values) = try float(try argument(0), node)
            return .float(shape: shape, values: values.map { max($0, 0) })
        case "Tanh":
            let (shape, values) = try float(try argument(0), node)
            return .float(shape: shape, values: values.map { Float(Foundation.tanh(Double($0))) })
        case "Softmax":
            let (shape, values) = try float(try argument(0), node)
            guard let classes = shape.last, classes > 0, Self.count(shape) == values.count else {
                throw .badGraph("Softmax \(node.name) needs a tensor with classes along its last axis, not \(shape)")
            }
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
            guard Self.count(aShape) == a.count, Self.count(bShape) == b.count else {
                throw .badGraph("MatMul \(node.name): values do not fill the shapes \(aShape) and \(bShape)")
            }
            var output = [Float](repeating: 0, count: try Self.size([m, n], node))
            MatrixMath.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &output, m: m, n: n, k: k)
            return .float(shape: [m, n], values: output)
        case "Conv2D":
            return try convolve(node, try argument(0), try argument(1))
        case "Reshape":
            let (shape, values) = try float(try argument(0), node)
            var target = try ints(try argument(1), node)
            guard target.filter({ $0 == -1 }).count <= 1, target.allSatisfy({ $0 >= -1 }),
                let known = Self.count(target.filter { $0 != -1 })
            else {
                throw .badGraph("Reshape \(node.name): \(target) is not a shape")
            }
            if let unknown = target.firstIndex(of: -1) { target[unknown] = known == 0 ? 0 : values.count / known }
            guard Self.count(target) == values.count else {
                throw .badGraph("Reshape \(node.name) cannot make \(shape) into \(target)")
            }
            if case .int(_, let integers) = try argument(0) { return .int(shape: target, values: integers) }
            return .float(shape: target, values: values)
        case "Shape":
            let shape = try argument(0).shape
            return .int(shape: [shape.count], values: shape.map { Int32($0) })
        case "StridedSlice":
            return try stridedSlice(
                node, try argument(0), try ints(try argument(1), node), try ints(try argument(2), node),
                try ints(try argument(3), node))
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
        let count = try size(shape, node)
        switch tensor.dtype {
        case .dtFloat:
            var values: [Float]
            if !tensor.tensorContent.isEmpty {
                values = Self.unpack(tensor.tensorContent, as: Float.self)
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
                values = Self.unpack(tensor.tensorContent, as: Int32.self)
            } else {
                values = tensor.intVal
            }
            if values.count == 1 && count > 1 { values = [Int32](repeating: values[0], count: count) }
            guard values.count == count else {
                throw .badGraph("Const \(node.name) holds \(values.count) values for \(shape)")
            }
            return .int(shape: shape, values: values)
        default:
            throw .badGraph("Const \(node.name) has data type \(tensor.dtype), not float32 or int32")
        }
    }

    /// Little-endian values packed in `tensor_content` (whole values only; any alignment).
    static func unpack<T>(_ bytes: Data, as type: T.Type) -> [T] {
        let count = bytes.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = bytes.copyBytes(to: buffer, count: count * MemoryLayout<T>.stride) / MemoryLayout<T>.stride
        }
    }

    private func convolve(_ node: Tensorflow_NodeDef, _ input: Value, _ filter: Value) throws(CarExportError) -> Value {
        guard case .float(let shape, let values) = input, case .float(let kernelShape, let kernel) = filter,
            shape.count == 4, kernelShape.count == 4
        else { throw .badGraph("Conv2D \(node.name) needs a 4-D input and filter") }
        let padding = node.attr["padding"].map { String(decoding: $0.s, as: UTF8.self) } ?? "VALID"
        let format = node.attr["data_format"].map { String(decoding: $0.s, as: UTF8.self) } ?? "NHWC"
        let strides = node.attr["strides"]?.list.i.map(Int.init) ?? [1, 1, 1, 1]
        guard Self.count(shape) == values.count, Self.count(kernelShape) == kernel.count,
            shape.allSatisfy({ $0 > 0 }), kernelShape.allSatisfy({ $0 > 0 })
        else {
            throw .badGraph("Conv2D \(node.name): input \(shape) or filter \(kernelShape) is empty or not filled")
        }
        guard padding == "VALID", format == "NHWC", strides.count == 4, strides[1] == strides[2],
            kernelShape[0] == kernelShape[1], kernelShape[2] == shape[3]
        else {
            throw .badGraph(
                "Conv2D \(node.name) uses \(padding) padding, \(format), strides \(strides), kernel \(kernelShape); Paddock runs VALID, NHWC, square kernels and strides"
            )
        }
        guard strides[1] >= 1, kernelShape[0] <= shape[1], kernelShape[1] <= shape[2] else {
            throw .badGraph(
                "Conv2D \(node.name): a \(kernelShape[0])x\(kernelShape[1]) kernel with stride \(strides[1]) does not fit a \(shape[1])x\(shape[2]) input"
            )
        }
        _ = try Self.size(
            [
                shape[0], (shape[1] - kernelShape[0]) / strides[1] + 1, (shape[2] - kernelShape[1]) / strides[1] + 1,
                kernelShape[3],
            ], node)
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
