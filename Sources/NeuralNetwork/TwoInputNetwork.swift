/// A network with two inputs packed side by side in each row: an image (`imageShape`, channels
/// last) followed by a vector of `vectorSize` values. Each goes through its own body, their
/// features are joined, and the head works on the joined features (a camera and a LIDAR).
///
/// Input `(batch, imageSize + vectorSize)`.
public final class TwoInputNetwork: Layer {
    public let imageShape: [Int]
    public let vectorSize: Int
    public let imageBody: Sequential
    public let vectorBody: Sequential
    public let head: Sequential
    private var imageFeatures = 0
    private var vectorFeatures = 0

    public init(imageShape: [Int], vectorSize: Int, imageBody: Sequential, vectorBody: Sequential, head: Sequential) {
        self.imageShape = imageShape
        self.vectorSize = vectorSize
        self.imageBody = imageBody
        self.vectorBody = vectorBody
        self.head = head
    }

    public var imageSize: Int { imageShape.reduce(1, *) }

    public var parameters: [Parameter] { imageBody.parameters + vectorBody.parameters + head.parameters }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        precondition(inputShape.reduce(1, *) == imageSize + vectorSize, "expected \(imageSize + vectorSize) values")
        let joined =
            imageBody.outputShape(for: imageShape).reduce(1, *) + vectorBody.outputShape(for: [vectorSize]).reduce(1, *)
        return head.outputShape(for: [joined])
    }

    public func forward(_ input: Tensor) -> Tensor {
        let batch = input.batchSize
        let width = imageSize + vectorSize
        var images: [Float] = []
        var vectors: [Float] = []
        images.reserveCapacity(batch * imageSize)
        vectors.reserveCapacity(batch * vectorSize)
        for row in 0..<batch {
            images += input.values[(row * width)..<(row * width + imageSize)]
            vectors += input.values[(row * width + imageSize)..<((row + 1) * width)]
        }
        let a = imageBody.forward(Tensor(shape: [batch] + imageShape, values: images))
        let b = vectorBody.forward(Tensor(shape: [batch, vectorSize], values: vectors))
        imageFeatures = a.itemSize
        vectorFeatures = b.itemSize
        var joined: [Float] = []
        joined.reserveCapacity(batch * (imageFeatures + vectorFeatures))
        for row in 0..<batch {
            joined += a.values[(row * imageFeatures)..<((row + 1) * imageFeatures)]
            joined += b.values[(row * vectorFeatures)..<((row + 1) * vectorFeatures)]
        }
        return head.forward(Tensor(shape: [batch, imageFeatures + vectorFeatures], values: joined))
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let batch = outputGradient.batchSize
        let joined = head.backward(outputGradient)
        let width = imageFeatures + vectorFeatures
        var a: [Float] = []
        var b: [Float] = []
        for row in 0..<batch {
            a += joined.values[(row * width)..<(row * width + imageFeatures)]
            b += joined.values[(row * width + imageFeatures)..<((row + 1) * width)]
        }
        let imageGradient = imageBody.backward(Tensor(shape: [batch, imageFeatures], values: a))
        let vectorGradient = vectorBody.backward(Tensor(shape: [batch, vectorFeatures], values: b))
        var input: [Float] = []
        input.reserveCapacity(batch * (imageSize + vectorSize))
        for row in 0..<batch {
            input += imageGradient.values[(row * imageSize)..<((row + 1) * imageSize)]
            input += vectorGradient.values[(row * vectorSize)..<((row + 1) * vectorSize)]
        }
        return Tensor(shape: [batch, imageSize + vectorSize], values: input)
    }
}
