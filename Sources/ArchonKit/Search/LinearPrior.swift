// The prior mean of the search's Gaussian process: a ridge regression of the objective on the encoded
// axes and the configuration's calls per query. A handful of trials already say which axes raise the
// objective and how much each call costs; the process then models only what a straight line misses.

/// A linear function fitted by ridge regression, the intercept not penalised (the same estimate as
/// scikit-learn's `Ridge(alpha:, fit_intercept=True)`).
public struct LinearPrior: Sendable, Equatable {
    public var intercept: Double
    public var weights: [Double]

    public init(intercept: Double, weights: [Double]) { (self.intercept, self.weights) = (intercept, weights) }

    /// The penalty the search uses: features lie in [0, 1] and a few trials must not fit a slope per
    /// axis exactly (measured on the efficiency bench's truth tables: 0.1 and 1 did equally well).
    public static let searchRidge = 1.0

    /// Fits `y ≈ intercept + weights · x`, minimising squared error + `ridge` · |weights|².
    public static func fit(x: [[Double]], y: [Double], ridge: Double) -> LinearPrior {
        precondition(x.count == y.count && !x.isEmpty)
        let d = x[0].count
        let n = Double(x.count)
        let xMean = (0..<d).map { j in x.map { $0[j] }.reduce(0, +) / n }
        let yMean = y.reduce(0, +) / n
        // Normal equations on centred data, (XᵀX + ridge·I) w = Xᵀy: positive definite for ridge > 0,
        // so the Gaussian process's Cholesky solver serves.
        var m = [Double](repeating: 0, count: d * d)
        var rhs = [Double](repeating: 0, count: d)
        for (row, target) in zip(x, y) {
            let c = (0..<d).map { row[$0] - xMean[$0] }
            for i in 0..<d {
                for j in 0..<d { m[i * d + j] += c[i] * c[j] }
                rhs[i] += c[i] * (target - yMean)
            }
        }
        for i in 0..<d { m[i * d + i] += ridge }
        guard let l = GaussianProcess.cholesky(m, d) else { return LinearPrior(intercept: yMean, weights: [Double](repeating: 0, count: d)) }
        let w = GaussianProcess.solveCholesky(l, d, rhs)
        return LinearPrior(intercept: yMean - zip(w, xMean).map { $0 * $1 }.reduce(0, +), weights: w)
    }

    public func predict(_ x: [Double]) -> Double { intercept + zip(weights, x).map { $0 * $1 }.reduce(0, +) }
}
