import COpenBLAS

/// Single-precision matrix products through OpenBLAS, row-major.
public enum MatrixMath {
    /// Uses `count` threads for OpenBLAS's products (1 keeps results identical run to run and
    /// leaves the other core to the simulator).
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(count, 1)))
    }

    /// C = alpha * op(A) * op(B) + beta * C, where op(A) is m x k and op(B) is k x n, row-major.
    ///
    /// - Parameters:
    ///   - transposeA: A is stored k x m and used transposed.
    ///   - transposeB: B is stored n x k and used transposed.
    @inline(__always)
    public static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool = false, _ b: UnsafePointer<Float>, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(transposeA ? m : k), b, blasint(transposeB ? k : n),
            beta,
            c, blasint(n))
    }

    /// C = alpha * op(A) * op(B) + beta * C on arrays (see the pointer version). Empty products do nothing.
    public static func multiply(
        _ a: [Float], transposeA: Bool = false, _ b: [Float], transposeB: Bool = false, into c: inout [Float], m: Int,
        n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "matrix sizes do not match")
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                    multiply(
                        a, transposeA: transposeA, b, transposeB: transposeB, into: c, m: m, n: n, k: k, alpha: alpha,
                        beta: beta)
                }
            }
        }
    }

    /// Sets every row of a row-major matrix to `row`.
    public static func fillRows(_ matrix: inout [Float], with row: [Float]) {
        let width = row.count
        let count = matrix.count
        matrix.withUnsafeMutableBufferPointer { m in
            row.withUnsafeBufferPointer { r in
                guard let m = m.baseAddress, let r = r.baseAddress else { return }
                for start in Swift.stride(from: 0, to: count, by: width) { (m + start).update(from: r, count: width) }
            }
        }
    }

    /// Adds the column sums of a row-major matrix with `sums.count` columns to `sums`.
    public static func addColumnSums(of matrix: [Float], to sums: inout [Float]) {
        let width = sums.count
        matrix.withUnsafeBufferPointer { m in
            sums.withUnsafeMutableBufferPointer { s in
                for start in Swift.stride(from: 0, to: m.count, by: width) {
                    for j in 0..<width { s[j] += m[start + j] }
                }
            }
        }
    }
}
