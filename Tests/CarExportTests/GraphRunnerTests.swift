import Foundation
import NeuralNetwork
import SwiftProtobuf
import Testing

@testable import CarExport

/// The graph interpreter's shape ops against values worked out by hand (TensorFlow's semantics).
@Suite struct GraphRunnerTests {
    /// A graph written node by node.
    struct Graph {
        var graph = Tensorflow_GraphDef()

        mutating func node(
            _ name: String, _ op: String, _ inputs: [String] = [], attrs: [String: Tensorflow_AttrValue] = [:]
        ) {
            var node = Tensorflow_NodeDef()
            node.name = name
            node.op = op
            node.input = inputs
            node.attr = attrs
            graph.node.append(node)
        }

        mutating func floats(_ name: String, _ values: [Float], shape: [Int]) {
            var tensor = Tensorflow_TensorProto()
            tensor.dtype = .dtFloat
            tensor.tensorShape = GraphBuilder.shape(shape)
            tensor.floatVal = values
            var value = Tensorflow_AttrValue()
            value.tensor = tensor
            node(name, "Const", attrs: ["value": value])
        }

        mutating func ints(_ name: String, _ values: [Int32]) {
            var tensor = Tensorflow_TensorProto()
            tensor.dtype = .dtInt32
            tensor.tensorShape = GraphBuilder.shape([values.count])
            tensor.intVal = values
            var value = Tensorflow_AttrValue()
            value.tensor = tensor
            node(name, "Const", attrs: ["value": value])
        }

        func run(_ output: String) throws -> Tensor {
            try GraphRunner(modelPB: graph.serializedData()).run(output, feeds: [:])
        }
    }

    static func integer(_ value: Int) -> Tensorflow_AttrValue {
        var attr = Tensorflow_AttrValue()
        attr.i = Int64(value)
        return attr
    }

    /// Coach's gradient rescaler: Pack of a whole (batch, 3) tensor on a new axis 0, scaled,
    /// added, and the first slice taken back out (shrink axis): the input unchanged.
    @Test func coachsGradientRescalerPassesItsInputThrough() throws {
        var g = Graph()
        g.floats("x", [1, 2, 3, 4, 5, 6], shape: [2, 3])
        g.floats("scale", [0.25], shape: [])
        g.floats("one", [1], shape: [])
        g.node("packed", "Pack", ["x"], attrs: ["axis": Self.integer(0), "N": Self.integer(1)])
        g.node("sub", "Sub", ["one", "scale"])
        g.node("held", "StopGradient", ["packed"])
        g.node("a", "Mul", ["sub", "held"])
        g.node("b", "Mul", ["scale", "packed"])
        g.node("sum", "Add", ["a", "b"])
        g.ints("begin", [0])
        g.ints("end", [1])
        g.ints("strides", [1])
        g.node(
            "slice", "StridedSlice", ["sum", "begin", "end", "strides"], attrs: ["shrink_axis_mask": Self.integer(1)])
        let packed = try g.run("packed")
        #expect(packed.shape == [1, 2, 3])
        let result = try g.run("slice")
        #expect(result.shape == [2, 3])
        #expect(result.values == [1, 2, 3, 4, 5, 6])
    }

    @Test func packStacksOnAnyAxis() throws {
        var g = Graph()
        g.floats("a", [1, 2, 3, 4], shape: [2, 2])
        g.floats("b", [5, 6, 7, 8], shape: [2, 2])
        g.node("axis1", "Pack", ["a", "b"], attrs: ["axis": Self.integer(1)])
        g.node("last", "Pack", ["a", "b"], attrs: ["axis": Self.integer(-1)])
        let axis1 = try g.run("axis1")
        #expect(axis1.shape == [2, 2, 2])
        #expect(axis1.values == [1, 2, 5, 6, 3, 4, 7, 8])
        let last = try g.run("last")
        #expect(last.shape == [2, 2, 2])
        #expect(last.values == [1, 5, 2, 6, 3, 7, 4, 8])
    }

    /// x[1:, ::-2] on a (3, 4) tensor, and x[-1] (shrink), as NumPy gives them.
    @Test func stridedSliceFollowsTensorFlow() throws {
        var g = Graph()
        g.floats("x", (0..<12).map(Float.init), shape: [3, 4])
        g.ints("begin", [1, 0])
        g.ints("end", [0, 0])
        g.ints("strides", [1, -2])
        g.node(
            "slice", "StridedSlice", ["x", "begin", "end", "strides"],
            attrs: ["end_mask": Self.integer(3), "begin_mask": Self.integer(2)])
        g.ints("lastBegin", [-1])
        g.ints("lastEnd", [0])
        g.ints("lastStrides", [1])
        g.node(
            "lastRow", "StridedSlice", ["x", "lastBegin", "lastEnd", "lastStrides"],
            attrs: ["shrink_axis_mask": Self.integer(1)])
        let slice = try g.run("slice")
        #expect(slice.shape == [2, 2])
        #expect(slice.values == [7, 5, 11, 9])
        let lastRow = try g.run("lastRow")
        #expect(lastRow.shape == [4])
        #expect(lastRow.values == [8, 9, 10, 11])
    }

    @Test func concatJoinsAlongAnAxis() throws {
        var g = Graph()
        g.floats("a", [1, 2, 3, 4], shape: [2, 2])
        g.floats("b", [5, 6], shape: [2, 1])
        g.ints("axis", [1])
        g.node("joined", "ConcatV2", ["a", "b", "axis"])
        let joined = try g.run("joined")
        #expect(joined.shape == [2, 3])
        #expect(joined.values == [1, 2, 5, 3, 4, 6])
    }

    @Test func elementwiseOpsBroadcastAsNumPyDoes() throws {
        var g = Graph()
        g.floats("a", [1, 2, 3], shape: [3, 1])
        g.floats("b", [10, 20], shape: [1, 2])
        g.node("sum", "Add", ["a", "b"])
        let sum = try g.run("sum")
        #expect(sum.shape == [3, 2])
        #expect(sum.values == [11, 21, 12, 22, 13, 23])
        g.floats("row", [1, 2, 3, 4], shape: [4])
        g.node("grid", "Add", ["a", "row"])
        #expect(try g.run("grid").shape == [3, 4])
        g.floats("c", (0..<8).map(Float.init), shape: [2, 4])
        g.node("bad", "Add", ["a", "c"])
        #expect(throws: CarExportError.self) { try g.run("bad") }
    }

    /// Malformed shape ops are errors that name the node, never a crash.
    @Test func malformedSlicesAndPacksAreErrors() throws {
        var g = Graph()
        g.floats("x", [1, 2, 3], shape: [3])
        g.floats("y", [1, 2], shape: [2])
        g.ints("begin", [7])
        g.ints("end", [8])
        g.ints("strides", [1])
        g.ints("zero", [0])
        g.node(
            "outside", "StridedSlice", ["x", "begin", "end", "strides"], attrs: ["shrink_axis_mask": Self.integer(1)])
        g.node("still", "StridedSlice", ["x", "begin", "end", "zero"])
        g.node("uneven", "Pack", ["x", "y"])
        for name in ["outside", "still", "uneven"] {
            #expect(throws: CarExportError.self, "\(name)") { try g.run(name) }
        }
    }

    /// The message of the error running `output` throws (nil if it runs).
    static func failure(_ g: Graph, _ output: String) -> String? {
        do {
            _ = try g.run(output)
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func list(_ values: [Int]) -> Tensorflow_AttrValue {
        var attr = Tensorflow_AttrValue()
        attr.list.i = values.map(Int64.init)
        return attr
    }

    static func text(_ value: String) -> Tensorflow_AttrValue {
        var attr = Tensorflow_AttrValue()
        attr.s = Data(value.utf8)
        return attr
    }

    /// Graphs that trapped the interpreter (and took a workshop host down with it): each is now
    /// an error that says what is wrong.
    @Test func hostileGraphsAreErrorsNotTraps() throws {
        var g = Graph()
        g.node("a", "Identity", ["b"])
        g.node("b", "Identity", ["a"])
        #expect(Self.failure(g, "a")?.contains("cycle: a, b") == true)

        g = Graph()
        g.floats("x", [1, 2, 3, 4], shape: [4])
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtFloat
        tensor.tensorShape = GraphBuilder.shape([2])
        tensor.floatVal = [.nan, 2]
        var value = Tensorflow_AttrValue()
        value.tensor = tensor
        g.node("nan shape", "Const", attrs: ["value": value])
        g.node("reshaped", "Reshape", ["x", "nan shape"])
        #expect(Self.failure(g, "reshaped")?.contains("whole numbers") == true)
        g.ints("two minus ones", [-1, -1])
        g.node("twice", "Reshape", ["x", "two minus ones"])
        #expect(Self.failure(g, "twice")?.contains("not a shape") == true)

        g = Graph()
        g.floats("overflow", [1], shape: [Int(Int64.max / 2), 4])
        #expect(Self.failure(g, "overflow")?.contains("impossible shape") == true)
        g = Graph()
        g.floats("forty gigabytes", [1], shape: [100_000, 100_000])
        #expect(Self.failure(g, "forty gigabytes")?.contains("too big") == true)
        // Each tensor within bounds, but together more than a run may hold.
        g = Graph()
        g.floats("column", [1], shape: [8192, 1])
        g.floats("row", [1], shape: [1, 8192])
        var sum = "column"
        for k in 0..<5 {
            g.node("sum\(k)", "Add", [sum, "row"])
            sum = "sum\(k)"
        }
        #expect(Self.failure(g, sum)?.contains("at once") == true)

        g = Graph()
        tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtInt32
        tensor.tensorShape = GraphBuilder.shape([3])
        tensor.intVal = [1, 2]
        value.tensor = tensor
        g.node("short", "Const", attrs: ["value": value])
        #expect(Self.failure(g, "short")?.contains("holds 2 values") == true)

        g = Graph()
        g.floats("image", [Float](repeating: 1, count: 16), shape: [1, 4, 4, 1])
        g.floats("big kernel", [Float](repeating: 1, count: 25), shape: [5, 5, 1, 1])
        g.floats("kernel", [Float](repeating: 1, count: 4), shape: [2, 2, 1, 1])
        let valid = Self.text("VALID")
        g.node(
            "too big", "Conv2D", ["image", "big kernel"],
            attrs: ["strides": Self.list([1, 1, 1, 1]), "padding": valid])
        g.node(
            "stride 0", "Conv2D", ["image", "kernel"], attrs: ["strides": Self.list([1, 0, 0, 1]), "padding": valid])
        g.node("fine", "Conv2D", ["image", "kernel"], attrs: ["strides": Self.list([1, 2, 2, 1]), "padding": valid])
        #expect(Self.failure(g, "too big")?.contains("does not fit") == true)
        #expect(Self.failure(g, "stride 0")?.contains("does not fit") == true)
        #expect(try g.run("fine").values == [4, 4, 4, 4])

        g = Graph()
        g.floats("scalar", [1], shape: [])
        g.node("softmax", "Softmax", ["scalar"])
        #expect(Self.failure(g, "softmax")?.contains("last axis") == true)
    }

    /// Graphs are run with a stack of their own: a long chain runs, an over-long graph is refused
    /// when it is read.
    @Test func longChainsRunAndHugeGraphsAreRefused() throws {
        var g = Graph()
        g.floats("x", [3], shape: [1])
        for k in 1..<GraphRunner.maximumNodes - 1 { g.node("n\(k)", "Identity", [k == 1 ? "x" : "n\(k - 1)"]) }
        #expect(try g.run("n\(GraphRunner.maximumNodes - 2)").values == [3])
        for k in 0..<10 { g.node("extra\(k)", "Identity", ["x"]) }
        #expect(throws: CarExportError.self) { try GraphRunner(modelPB: g.graph.serializedData()) }
    }
}
