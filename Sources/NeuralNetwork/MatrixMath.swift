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
    /// A single row (m = 1: one frame through a dense layer while driving) goes through the
    /// matrix-vector product: sgemm would first copy all of B into its packed layout, which for
    /// DeepRacer's 11264 x 512 layer costs more than the product itself.
    ///
    /// - Parameters:
    ///   - transposeA: A is stored k x m and used transposed.
    ///   - transposeB: B is stored n x k and used transposed.
    @inline(__always)
    public static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool = false, _ b: UnsafePointer<Float>, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        if m == 1 && !transposeA {
            // c = op(B)^T a: B stored k x n is used transposed; B stored n x k as it is.
            cblas_sgemv(
                CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, blasint(transposeB ? n : k),
                blasint(transposeB ? k : n), alpha, b, blasint(transposeB ? k : n), a, 1, beta, c, 1)
            return
        }
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

    /// The sum of the squares of `values` (OpenBLAS's dot product of `values` with itself).
    public static func sumOfSquares(_ values: [Float]) -> Float {
        values.withUnsafeBufferPointer { v in
            guard let v = v.baseAddress else { return 0 }
            return cblas_sdot(blasint(values.count), v, 1, v, 1)
        }
    }

    /// Multiplies every value by `factor`.
    public static func scale(_ values: inout [Float], by factor: Float) {
        let count = values.count
        values.withUnsafeMutableBufferPointer { v in
            guard let v = v.baseAddress else { return }
            cblas_sscal(blasint(count), factor, v, 1)
        }
    }
}

/// Which of OpenBLAS's processor-specific kernels runs the matrix products.
///
/// OpenBLAS picks its kernels when the library loads, by the processor's model number. A model it
/// does not know (a newer processor, or one a virtual machine reports generically) gets its
/// oldest x86-64 kernel, "Prescott", which runs Paddock's training about 2.5 times slower than
/// the AVX-512 one on the same machine. `OPENBLAS_CORETYPE` set before the library loads chooses
/// the kernel instead; `suggestedCoreType` says which to choose from the processor's features.
public enum BLASKernel {
    /// The name of the kernel OpenBLAS chose, such as "Haswell" or "Prescott".
    public static var name: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The kernel to ask for when OpenBLAS fell back to its generic one although the processor
    /// (with the feature flags of /proc/cpuinfo) has AVX-512 or AVX2 with FMA; nil to keep
    /// OpenBLAS's own choice.
    public static func suggestedCoreType(currentKernel: String, cpuFlags: Set<String>) -> String? {
        guard currentKernel == "Prescott" else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}
