/// Why a model cannot go to the car, or an archive or graph cannot be read, with what to do.
public enum CarExportError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedLayer(String)
    case unsupportedOp(op: String, node: String)
    case badGraph(String)
    case badArchive(path: String, reason: String)
    case badMetadata(String)
    case loaderRule(String)

    public var description: String {
        switch self {
        case .unsupportedLayer(let layer):
            "The network has a \(layer) layer, which the car's graph format has no export for."
        case .unsupportedOp(let op, let node):
            "The graph uses the TensorFlow op \(op) (node \(node)), which Paddock cannot run. DeepRacer's stock models use Placeholder, Const, Mul, RealDiv, Sub, Add, Conv2D, BiasAdd, Relu, Reshape, MatMul, Softmax and Identity."
        case .badGraph(let reason): "The model.pb is not a graph Paddock can run: \(reason)."
        case .badArchive(let path, let reason): "\(path): \(reason)."
        case .badMetadata(let reason): "model_metadata.json: \(reason)."
        case .loaderRule(let reason): "The car would not load this archive: \(reason)."
        }
    }
}
