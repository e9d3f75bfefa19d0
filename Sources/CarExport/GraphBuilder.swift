import Foundation
import SwiftProtobuf

/// Builds a TensorFlow GraphDef node by node, with the attributes TensorFlow's own kernels expect
/// for each op (so TensorFlow and OpenVINO load it without complaint).
struct GraphBuilder {
    private(set) var graph = Tensorflow_GraphDef()
    private var names = Set<String>()

    init() {
        // The GraphDef version TensorFlow 1.x writers used; every current reader accepts it.
        graph.versions.producer = 27
    }

    private static func type(_ type: Tensorflow_DataType) -> Tensorflow_AttrValue {
        var value = Tensorflow_AttrValue()
        value.type = type
        return value
    }

    private static func string(_ text: String) -> Tensorflow_AttrValue {
        var value = Tensorflow_AttrValue()
        value.s = Data(text.utf8)
        return value
    }

    private static func bool(_ flag: Bool) -> Tensorflow_AttrValue {
        var value = Tensorflow_AttrValue()
        value.b = flag
        return value
    }

    private static func integers(_ list: [Int64]) -> Tensorflow_AttrValue {
        var value = Tensorflow_AttrValue()
        var listValue = Tensorflow_AttrValue.ListValue()
        listValue.i = list
        value.list = listValue
        return value
    }

    static func shape(_ dims: [Int]) -> Tensorflow_TensorShapeProto {
        var shape = Tensorflow_TensorShapeProto()
        shape.dim = dims.map { size in
            var dim = Tensorflow_TensorShapeProto.Dim()
            dim.size = Int64(size)
            return dim
        }
        return shape
    }

    @discardableResult
    private mutating func add(
        _ name: String, _ op: String, _ inputs: [String], _ attributes: [String: Tensorflow_AttrValue]
    )
        -> String
    {
        precondition(names.insert(name).inserted, "node \(name) added twice")
        var node = Tensorflow_NodeDef()
        node.name = name
        node.op = op
        node.input = inputs
        node.attr = attributes
        graph.node.append(node)
        return name
    }

    /// A float32 input of `shape` (-1 for the unknown batch).
    mutating func placeholder(_ name: String, shape: [Int]) -> String {
        var shapeValue = Tensorflow_AttrValue()
        shapeValue.shape = Self.shape(shape)
        return add(name, "Placeholder", [], ["dtype": Self.type(.dtFloat), "shape": shapeValue])
    }

    /// A float32 constant, stored as little-endian bytes in `tensor_content`.
    mutating func constant(_ name: String, _ values: [Float], shape: [Int]) -> String {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtFloat
        tensor.tensorShape = Self.shape(shape)
        tensor.tensorContent = values.withUnsafeBufferPointer { buffer in
            Data(buffer: buffer)
        }
        var value = Tensorflow_AttrValue()
        value.tensor = tensor
        return add(name, "Const", [], ["dtype": Self.type(.dtFloat), "value": value])
    }

    /// A float32 constant of `shape` holding `value` everywhere, stored as that one value
    /// (TensorFlow's compact form for a splat).
    mutating func filledConstant(_ name: String, _ value: Float, shape: [Int]) -> String {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtFloat
        tensor.tensorShape = Self.shape(shape)
        tensor.floatVal = [value]
        var attribute = Tensorflow_AttrValue()
        attribute.tensor = tensor
        return add(name, "Const", [], ["dtype": Self.type(.dtFloat), "value": attribute])
    }

    /// An int32 constant (shapes).
    mutating func integerConstant(_ name: String, _ values: [Int32]) -> String {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtInt32
        tensor.tensorShape = Self.shape([values.count])
        tensor.intVal = values
        var value = Tensorflow_AttrValue()
        value.tensor = tensor
        return add(name, "Const", [], ["dtype": Self.type(.dtInt32), "value": value])
    }

    mutating func mul(_ name: String, _ x: String, _ y: String) -> String {
        add(name, "Mul", [x, y], ["T": Self.type(.dtFloat)])
    }

    mutating func addV2(_ name: String, _ x: String, _ y: String) -> String {
        add(name, "AddV2", [x, y], ["T": Self.type(.dtFloat)])
    }

    mutating func conv2D(_ name: String, _ input: String, _ filter: String, stride: Int) -> String {
        add(
            name, "Conv2D", [input, filter],
            [
                "T": Self.type(.dtFloat), "strides": Self.integers([1, Int64(stride), Int64(stride), 1]),
                "padding": Self.string("VALID"), "data_format": Self.string("NHWC"),
                "dilations": Self.integers([1, 1, 1, 1]), "use_cudnn_on_gpu": Self.bool(true),
            ])
    }

    mutating func biasAdd(_ name: String, _ input: String, _ bias: String) -> String {
        add(name, "BiasAdd", [input, bias], ["T": Self.type(.dtFloat), "data_format": Self.string("NHWC")])
    }

    mutating func relu(_ name: String, _ input: String) -> String {
        add(name, "Relu", [input], ["T": Self.type(.dtFloat)])
    }

    mutating func reshape(_ name: String, _ input: String, _ shape: String) -> String {
        add(name, "Reshape", [input, shape], ["T": Self.type(.dtFloat), "Tshape": Self.type(.dtInt32)])
    }

    mutating func matMul(_ name: String, _ a: String, _ b: String) -> String {
        add(
            name, "MatMul", [a, b],
            ["T": Self.type(.dtFloat), "transpose_a": Self.bool(false), "transpose_b": Self.bool(false)])
    }

    mutating func softmax(_ name: String, _ input: String) -> String {
        add(name, "Softmax", [input], ["T": Self.type(.dtFloat)])
    }

    mutating func identity(_ name: String, _ input: String) -> String {
        add(name, "Identity", [input], ["T": Self.type(.dtFloat)])
    }
}
