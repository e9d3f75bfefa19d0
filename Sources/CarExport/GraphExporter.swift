import Foundation
import Model
import NeuralNetwork
import Reinforcement
import Simulator
import SwiftProtobuf

/// Freezes a Paddock policy network into the TensorFlow graph the car loads (docs/deepracer-compat.md §9):
/// a float32 placeholder fed raw 0...255 camera values (the division by 255 is inside the graph),
/// the car's exact input and output names, every weight a constant, and only basic ops
/// (Placeholder, Const, Mul, Conv2D, BiasAdd, Relu, Reshape, MatMul, AddV2, Softmax, Identity).
public enum GraphExporter {
    /// The frozen graph of `learner`'s policy for `settings`.
    public static func graph(policy: Sequential, settings: TrainingSettings) throws(CarExportError)
        -> Tensorflow_GraphDef
    {
        var builder = GraphBuilder()
        let camera: SensorKind = settings.sensors.contains(.stereoCameras) ? .stereoCameras : .frontFacingCamera
        let channels = settings.cameraChannels
        let imageInput = builder.placeholder(
            CarGraphNames.input(algorithm: settings.algorithm, sensor: camera), shape: [-1, 120, 160, channels])
        guard policy.layers.count == 2, let head = policy.layers[1] as? Dense else {
            throw .unsupportedLayer("policy without a dense head")
        }
        var parts: [(features: String, size: Int)] = []
        var shape = [120, 160, channels]
        if let two = policy.layers[0] as? TwoInputNetwork {
            let image = try emit(two.imageBody, input: imageInput, shape: &shape, prefix: "image", into: &builder)
            parts.append((image, shape.reduce(1, *)))
            let lidarKind: SensorKind = settings.sensors.contains(.sectorLidar) ? .sectorLidar : .lidar
            let lidarInput = builder.placeholder(
                CarGraphNames.input(algorithm: settings.algorithm, sensor: lidarKind), shape: [-1, two.vectorSize])
            // The car feeds LIDAR values as they are; Paddock stores them times 255 and scales
            // back, so the graph leaves out that scale.
            var lidarShape = [two.vectorSize]
            let lidarLayers = Sequential(two.vectorBody.layers.filter { !($0 is Scale) })
            let lidar = try emit(lidarLayers, input: lidarInput, shape: &lidarShape, prefix: "lidar", into: &builder)
            parts.append((lidar, lidarShape.reduce(1, *)))
        } else if let body = policy.layers[0] as? Sequential {
            let image = try emit(body, input: imageInput, shape: &shape, prefix: "image", into: &builder)
            parts.append((image, shape.reduce(1, *)))
        } else {
            throw .unsupportedLayer(String(describing: type(of: policy.layers[0])))
        }
        // The head: the policy's outputs, or for SAC only the means (the first half).
        let outputs = settings.algorithm == .sac ? head.outputs / 2 : head.outputs
        let weights = columns(head.weights.value, rows: head.inputs, columns: head.outputs, keep: outputs)
        var sum: String?
        var row = 0
        for (index, part) in parts.enumerated() {
            let slice = Array(weights[(row * outputs)..<((row + part.size) * outputs)])
            row += part.size
            let w = builder.constant("head/weights_\(index)", slice, shape: [part.size, outputs])
            let product = builder.matMul("head/MatMul_\(index)", part.features, w)
            sum = sum.map { builder.addV2("head/Add_\(index)", $0, product) } ?? product
        }
        guard let joined = sum else { throw .unsupportedLayer("empty network") }
        let bias = builder.constant("head/bias", Array(head.bias.value.prefix(outputs)), shape: [outputs])
        let logits = builder.biasAdd("head/BiasAdd", joined, bias)
        let outputName = CarGraphNames.output(algorithm: settings.algorithm)
        if settings.algorithm == .ppo && !settings.actionSpace.isContinuous {
            _ = builder.softmax(outputName, logits)
        } else {
            _ = builder.identity(outputName, logits)
        }
        return builder.graph
    }

    /// The frozen graph's bytes (`model.pb`).
    public static func modelPB(policy: Sequential, settings: TrainingSettings) throws(CarExportError) -> Data {
        do {
            return try graph(policy: policy, settings: settings).serializedData()
        } catch let error as CarExportError {
            throw error
        } catch {
            throw .badGraph("could not encode the graph (\(error))")
        }
    }

    /// The first `keep` columns of a row-major matrix.
    static func columns(_ matrix: [Float], rows: Int, columns: Int, keep: Int) -> [Float] {
        guard keep < columns else { return matrix }
        var result: [Float] = []
        result.reserveCapacity(rows * keep)
        for row in 0..<rows { result += matrix[(row * columns)..<(row * columns + keep)] }
        return result
    }

    /// Emits `layers` after `input`; `shape` is the per-item shape in and out.
    static func emit(
        _ network: Sequential, input: String, shape: inout [Int], prefix: String, into builder: inout GraphBuilder
    ) throws(CarExportError) -> String {
        var current = input
        for (index, layer) in network.layers.enumerated() {
            let name = "\(prefix)/\(index)"
            switch layer {
            case let scale as Scale:
                let factor = builder.constant("\(name)/factor", [scale.factor], shape: [])
                current = builder.mul("\(name)/Mul", current, factor)
            case let conv as Conv2D:
                let kernel = builder.constant(
                    "\(name)/kernel", conv.kernel.value,
                    shape: [conv.kernelSize, conv.kernelSize, conv.channels, conv.filters])
                let bias = builder.constant("\(name)/bias", conv.bias.value, shape: [conv.filters])
                current = builder.biasAdd(
                    "\(name)/BiasAdd", builder.conv2D("\(name)/Conv2D", current, kernel, stride: conv.stride), bias)
                shape = conv.outputShape(for: shape)
            case is ReLU:
                current = builder.relu("\(name)/Relu", current)
            case is Flatten:
                let size = shape.reduce(1, *)
                let target = builder.integerConstant("\(name)/shape", [-1, Int32(size)])
                current = builder.reshape("\(name)/Reshape", current, target)
                shape = [size]
            case let dense as Dense:
                let weights = builder.constant(
                    "\(name)/weights", dense.weights.value, shape: [dense.inputs, dense.outputs])
                let bias = builder.constant("\(name)/bias", dense.bias.value, shape: [dense.outputs])
                current = builder.biasAdd("\(name)/BiasAdd", builder.matMul("\(name)/MatMul", current, weights), bias)
                shape = [dense.outputs]
            case let nested as Sequential:
                current = try emit(nested, input: current, shape: &shape, prefix: name, into: &builder)
            default:
                throw .unsupportedLayer(String(describing: type(of: layer)))
            }
        }
        return current
    }
}
