import NeuralNetwork
import Simulator

/// The networks a model can use, under DeepRacer's names where DeepRacer has them.
///
/// All take the camera frame as DeepRacer feeds it, `(batch, 120, 160, channels)` with raw gray
/// values 0 ... 255, and divide by 255 first. VALID padding, channels last, ReLU after every layer
/// (docs/deepracer-compat.md §8). Policy and value are separate networks of the same body, as in DeepRacer.
public enum NetworkArchitecture: String, Sendable, Codable, CaseIterable {
    /// DeepRacer's "3-layer CNN": conv 32 8x8/4, conv 64 4x4/2, conv 64 3x3/1, dense 512.
    case deepRacerShallow = "DEEP_CONVOLUTIONAL_NETWORK_SHALLOW"
    /// DeepRacer's "5-layer CNN": conv 32 5x5/2, conv 32 3x3/1, conv 64 3x3/2, conv 64 3x3/1,
    /// dense 64, dense 512.
    case deepRacerDeep = "DEEP_CONVOLUTIONAL_NETWORK"
    /// Paddock's fast network for lessons: conv 16 8x8/8, conv 32 3x3/2, dense 64. About 31 times
    /// less arithmetic than the 3-layer CNN (0.73 against 22.3 million multiply-adds a frame), on
    /// the same 120x160 frame, so it trains in minutes on a laptop and still goes to the car.
    case paddockFast = "PADDOCK_FAST_CNN"

    /// The name `paddock train --network` takes.
    public var shortName: String {
        switch self {
        case .deepRacerShallow: "deepracer-3-layer"
        case .deepRacerDeep: "deepracer-5-layer"
        case .paddockFast: "paddock-fast"
        }
    }

    public init?(shortName: String) {
        guard let match = Self.allCases.first(where: { $0.shortName == shortName || $0.rawValue == shortName }) else {
            return nil
        }
        self = match
    }

    /// The convolutional body and dense layers up to (not including) the head, for an input of
    /// `channels` camera channels.
    public func body(prefix: String, channels: Int, random: inout NetworkRandom) -> [Layer] {
        var layers: [Layer] = [Scale(1 / 255)]
        var shape = [120, 160, channels]
        func conv(_ filters: Int, _ kernel: Int, _ stride: Int) {
            let index = layers.filter { $0 is Conv2D }.count + 1
            let layer = Conv2D(
                name: "\(prefix).conv\(index)", channels: shape[2], filters: filters, kernelSize: kernel,
                stride: stride,
                random: &random)
            // Nothing learns from the gradient with respect to the camera frame itself.
            layer.computesInputGradient = index > 1
            shape = layer.outputShape(for: shape)
            layers += [layer, ReLU()]
        }
        func dense(_ outputs: Int) {
            let index = layers.filter { $0 is Dense }.count + 1
            let inputs = shape.reduce(1, *)
            if shape.count > 1 {
                layers.append(Flatten())
                shape = [inputs]
            }
            layers += [
                Dense(name: "\(prefix).dense\(index)", inputs: inputs, outputs: outputs, random: &random), ReLU(),
            ]
            shape = [outputs]
        }
        switch self {
        case .deepRacerShallow:
            conv(32, 8, 4)
            conv(64, 4, 2)
            conv(64, 3, 1)
            dense(512)
        case .deepRacerDeep:
            conv(32, 5, 2)
            conv(32, 3, 1)
            conv(64, 3, 2)
            conv(64, 3, 1)
            dense(64)
            dense(512)
        case .paddockFast:
            conv(16, 8, 8)
            conv(32, 3, 2)
            dense(64)
        }
        return layers
    }

    /// What turns an observation into features: the camera body, or with a LIDAR (`lidarSize`
    /// values after the camera's bytes in each observation) the camera body and a small dense
    /// branch for the LIDAR, side by side.
    public func features(prefix: String, channels: Int, lidarSize: Int = 0, random: inout NetworkRandom) -> Layer {
        let camera = Sequential(body(prefix: prefix, channels: channels, random: &random))
        guard lidarSize > 0 else { return camera }
        // LIDAR values arrive as bytes (metres, or sector flags, times 255).
        let lidar = Sequential([
            Scale(1 / 255), Dense(name: "\(prefix).lidar", inputs: lidarSize, outputs: 64, random: &random), ReLU(),
        ])
        return TwoInputNetwork(
            imageShape: [120, 160, channels], vectorSize: lidarSize, imageBody: camera, vectorBody: lidar,
            head: Sequential([]))
    }

    /// The shape of one observation: the camera frame, or with a LIDAR the frame and the LIDAR
    /// values flattened into one row.
    public static func observationShape(channels: Int, lidarSize: Int) -> [Int] {
        lidarSize > 0 ? [120 * 160 * channels + lidarSize] : [120, 160, channels]
    }

    /// The shape of one observation from these sensors: the one place it is worked out from a
    /// model's sensors (training settings, the car environment, the app's scenes).
    public static func observationShape(sensors: [SensorKind]) -> [Int] {
        observationShape(channels: sensors.cameraChannels, lidarSize: sensors.lidarSize)
    }

    /// A whole network: the features and a dense head of `outputs` values.
    public func network(
        prefix: String, channels: Int, lidarSize: Int = 0, outputs: Int, random: inout NetworkRandom
    ) -> Sequential {
        let body = features(prefix: prefix, channels: channels, lidarSize: lidarSize, random: &random)
        let size = body.outputShape(for: Self.observationShape(channels: channels, lidarSize: lidarSize)).reduce(1, *)
        return Sequential([body, Dense(name: "\(prefix).head", inputs: size, outputs: outputs, random: &random)])
    }
}
