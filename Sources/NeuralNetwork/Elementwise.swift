/// Elementwise loops written with 16-wide SIMD vectors. The compiler leaves the plain loops
/// scalar (a conditional store, a square root that may see a negative value), and these run
/// on every activation and every weight of each update. Each element gets the same operations
/// in the same order as the plain loop, so the results are identical.
enum Elementwise {
    typealias Vector = SIMD16<Float>

    /// values = max(values, 0).
    static func rectify(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + Vector.scalarCount <= count {
            let x = load(values + i)
            store(x.replacing(with: 0, where: .!(x .> 0)), at: values + i)
            i += Vector.scalarCount
        }
        while i < count {
            values[i] = max(values[i], 0)
            i += 1
        }
    }

    /// gradient = output > 0 ? gradient : 0 (ReLU's backward pass on its output).
    static func passWherePositive(
        _ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int
    ) {
        var i = 0
        while i + Vector.scalarCount <= count {
            let mask = .!(load(output + i) .> 0)
            store(load(gradient + i).replacing(with: 0, where: mask), at: gradient + i)
            i += Vector.scalarCount
        }
        while i < count {
            gradient[i] = output[i] > 0 ? gradient[i] : 0
            i += 1
        }
    }

    /// One Adam step (TensorFlow's form) on `count` parameters:
    /// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; theta -= stepSize m / (sqrt(v) + epsilon).
    static func adamStep(
        gradient g: UnsafePointer<Float>, first m: UnsafeMutablePointer<Float>, second v: UnsafeMutablePointer<Float>,
        theta: UnsafeMutablePointer<Float>, count: Int, beta1: Float, beta2: Float, stepSize: Float, epsilon: Float
    ) {
        let (keep1, take1, keep2, take2) = (beta1, 1 - beta1, beta2, 1 - beta2)
        var i = 0
        while i + Vector.scalarCount <= count {
            let gradient = load(g + i)
            let first = keep1 * load(m + i) + take1 * gradient
            let second = keep2 * load(v + i) + take2 * gradient * gradient
            store(first, at: m + i)
            store(second, at: v + i)
            store(load(theta + i) - stepSize * first / (second.squareRoot() + epsilon), at: theta + i)
            i += Vector.scalarCount
        }
        while i < count {
            let gradient = g[i]
            let first = keep1 * m[i] + take1 * gradient
            let second = keep2 * v[i] + take2 * gradient * gradient
            m[i] = first
            v[i] = second
            theta[i] -= stepSize * first / (second.squareRoot() + epsilon)
            i += 1
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector { load(UnsafePointer(pointer)) }

    @inline(__always)
    private static func store(_ vector: Vector, at pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: Vector.self)
    }
}
