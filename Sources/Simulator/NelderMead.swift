/// Minimises a function of a few variables without derivatives: the downhill simplex method
/// (Nelder and Mead, "A simplex method for function minimization", 1965), with the usual
/// coefficients (reflection 1, expansion 2, contraction 0.5, shrink 0.5).
public struct NelderMead: Sendable {
    /// Most function evaluations.
    public var maximumEvaluations: Int
    /// Stop when the simplex's values differ by less than this.
    public var tolerance: Double
    /// The first simplex's size along each variable.
    public var initialStep: Double

    public init(maximumEvaluations: Int = 300, tolerance: Double = 1e-6, initialStep: Double = 0.3) {
        self.maximumEvaluations = maximumEvaluations
        self.tolerance = tolerance
        self.initialStep = initialStep
    }

    /// The best point found from `start`, its value and the evaluations used.
    public func minimize(_ start: [Double], _ f: ([Double]) -> Double) -> (
        point: [Double], value: Double, evaluations: Int
    ) {
        let n = start.count
        var evaluations = 0
        func evaluate(_ x: [Double]) -> Double {
            evaluations += 1
            let value = f(x)
            return value.isNaN ? .infinity : value
        }
        var simplex = [start]
        for i in 0..<n {
            var x = start
            x[i] += initialStep
            simplex.append(x)
        }
        var values = simplex.map(evaluate)
        while evaluations < maximumEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) < tolerance { break }
            var centroid = [Double](repeating: 0, count: n)
            for x in simplex.dropLast() { for i in 0..<n { centroid[i] += x[i] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1)
            let reflectedValue = evaluate(reflected)
            if reflectedValue < values[0] {
                let expanded = along(-2)
                let expandedValue = evaluate(expanded)
                (simplex[n], values[n]) =
                    expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue)
            } else if reflectedValue < values[n - 1] {
                (simplex[n], values[n]) = (reflected, reflectedValue)
            } else {
                let outside = reflectedValue < values[n]
                let contracted = along(outside ? -0.5 : 0.5)
                let contractedValue = evaluate(contracted)
                if contractedValue < (outside ? reflectedValue : values[n]) {
                    (simplex[n], values[n]) = (contracted, contractedValue)
                } else {
                    for j in 1...n {
                        simplex[j] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[j][$0] - simplex[0][$0]) }
                        values[j] = evaluate(simplex[j])
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        return (simplex[best], values[best], evaluations)
    }
}
