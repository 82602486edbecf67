// A Gaussian process for Bayesian optimisation over encoded configurations: a Matérn 5/2 kernel with
// one length scale per feature (ordinal axes as positions in [0, 1], categorical axes one-hot) times
// an amplitude, plus white noise; targets standardised; hyperparameters fitted by maximising the log
// marginal likelihood. The same model scikit-learn builds as
// `ConstantKernel * Matern(length_scale=[…], nu=2.5) + WhiteKernel` with `normalize_y=True`.

import Foundation

/// Kernel hyperparameters.
public struct GPHyperparameters: Sendable, Equatable {
    public var amplitude: Double
    public var lengthScales: [Double]
    public var noise: Double
    public init(amplitude: Double, lengthScales: [Double], noise: Double) {
        (self.amplitude, self.lengthScales, self.noise) = (amplitude, lengthScales, noise)
    }

    /// Bounds the fit keeps to (features lie in [0, 1]; targets are standardised). Length scales are
    /// at least the whole range of a feature: the process assumes the objective changes smoothly
    /// along each axis, which a handful of trials cannot contradict reliably (shorter scales let the
    /// fit explain every trial as noise, and the search turns random — measured by
    /// bench/search_efficiency.py).
    public static let amplitudeBounds = (0.05, 20.0)
    public static let lengthBounds = (1.0, 20.0)
    public static let noiseBounds = (1e-4, 1.0)
}

public struct GaussianProcess: Sendable {
    public let x: [[Double]]
    public let y: [Double]
    public let hyper: GPHyperparameters
    let yMean: Double
    let yStd: Double
    /// Cholesky factor of K + noise·I (+ jitter), row-major lower triangle.
    let chol: [Double]
    /// (K + noise·I)⁻¹ · (standardised y).
    let alpha: [Double]
    /// The log marginal likelihood of the standardised targets.
    public let logMarginalLikelihood: Double

    /// Added to the diagonal for numerical stability (scikit-learn's default `alpha`).
    static let jitter = 1e-10

    /// A process conditioned on `x`, `y` with fixed hyperparameters (nil when the kernel matrix is not
    /// positive definite).
    public init?(x: [[Double]], y: [Double], hyper: GPHyperparameters) {
        precondition(x.count == y.count && !x.isEmpty)
        self.x = x
        self.y = y
        self.hyper = hyper
        let n = y.count
        let mean = y.reduce(0, +) / Double(n)
        var std = (y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
        if std == 0 { std = 1 }
        (yMean, yStd) = (mean, std)
        let z = y.map { ($0 - mean) / std }
        var k = Self.kernelMatrix(x, hyper)
        for i in 0..<n { k[i * n + i] += hyper.noise + Self.jitter }
        guard let l = Self.cholesky(k, n) else { return nil }
        chol = l
        alpha = Self.solveCholesky(l, n, z)
        var logDet = 0.0
        for i in 0..<n { logDet += log(l[i * n + i]) }
        logMarginalLikelihood = -0.5 * zip(z, alpha).map { $0 * $1 }.reduce(0, +) - logDet - 0.5 * Double(n) * log(2 * Double.pi)
    }

    /// Matérn 5/2 between two points, without the noise term.
    public static func kernel(_ a: [Double], _ b: [Double], _ h: GPHyperparameters) -> Double {
        var r2 = 0.0
        for d in a.indices {
            let t = (a[d] - b[d]) / h.lengthScales[d]
            r2 += t * t
        }
        let s = (5 * r2).squareRoot()
        return h.amplitude * (1 + s + 5 * r2 / 3) * exp(-s)
    }

    static func kernelMatrix(_ x: [[Double]], _ h: GPHyperparameters) -> [Double] {
        let n = x.count
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let v = kernel(x[i], x[j], h)
                k[i * n + j] = v
                k[j * n + i] = v
            }
        }
        return k
    }

    /// Posterior mean and variance at `p`, in the targets' units. `withNoise` adds the white-noise
    /// variance (what scikit-learn's `predict(return_std=True)` reports for this kernel).
    public func predict(_ p: [Double], withNoise: Bool = false) -> (mean: Double, variance: Double) {
        let n = x.count
        let ks = x.map { Self.kernel(p, $0, hyper) }
        var mean = 0.0
        for i in 0..<n { mean += ks[i] * alpha[i] }
        let v = Self.forward(chol, n, ks)
        var variance = hyper.amplitude + (withNoise ? hyper.noise : 0) - v.map { $0 * $0 }.reduce(0, +)
        variance = max(variance, 0)
        return (mean * yStd + yMean, variance * yStd * yStd)
    }

    /// Expected improvement over `best` (maximising) of a normal with `mean` and `variance`; `xi`
    /// asks for at least that much improvement.
    public static func expectedImprovement(mean: Double, variance: Double, best: Double, xi: Double = 0) -> Double {
        let sd = variance.squareRoot()
        let gain = mean - best - xi
        guard sd > 1e-12 else { return max(gain, 0) }
        let z = gain / sd
        return gain * normalCDF(z) + sd * normalPDF(z)
    }

    public static func normalPDF(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    // MARK: Fitting

    /// The hyperparameters that maximise the log marginal likelihood: projected gradient ascent in
    /// log space from `start` (or the middle of the bounds) and `restarts` seeded random starts.
    public static func fit(x: [[Double]], y: [Double], start: GPHyperparameters? = nil, restarts: Int = 2, seed: UInt64 = 0,
                           iterations: Int = 80) -> GaussianProcess? {
        let d = x.first?.count ?? 0
        let lower = [log(GPHyperparameters.amplitudeBounds.0)] + Array(repeating: log(GPHyperparameters.lengthBounds.0), count: d) + [log(GPHyperparameters.noiseBounds.0)]
        let upper = [log(GPHyperparameters.amplitudeBounds.1)] + Array(repeating: log(GPHyperparameters.lengthBounds.1), count: d) + [log(GPHyperparameters.noiseBounds.1)]
        func unpack(_ t: [Double]) -> GPHyperparameters {
            GPHyperparameters(amplitude: exp(t[0]), lengthScales: t[1...d].map { exp($0) }, noise: exp(t[d + 1]))
        }
        func pack(_ h: GPHyperparameters) -> [Double] {
            zip([log(h.amplitude)] + h.lengthScales.map { log($0) } + [log(h.noise)], zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
        }
        var starts = [pack(start ?? GPHyperparameters(amplitude: 1, lengthScales: Array(repeating: 1, count: d), noise: 0.01))]
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<restarts { starts.append(zip(lower, upper).map { Double.random(in: $0...$1, using: &rng) }) }
        var best: (Double, [Double])?
        for s in starts {
            guard let (value, t) = ascend(from: s, lower: lower, upper: upper, iterations: iterations, objective: { objective(x, y, unpack($0)) }) else { continue }
            if best == nil || value > best!.0 { best = (value, t) }
        }
        guard let best else { return nil }
        return GaussianProcess(x: x, y: y, hyper: unpack(best.1))
    }

    /// Quasi-Newton ascent (BFGS on the inverse Hessian, steps projected into the bounds, Armijo
    /// backtracking) of `objective` from `start`; nil when the start cannot be evaluated.
    static func ascend(from start: [Double], lower: [Double], upper: [Double], iterations: Int,
                       objective: ([Double]) -> (Double, [Double])?) -> (Double, [Double])? {
        let d = start.count
        var t = start
        guard var (f, g) = objective(t) else { return nil }
        var h = identity(d)
        for _ in 0..<iterations {
            var p = (0..<d).map { i in (0..<d).map { h[i * d + $0] * g[$0] }.reduce(0, +) }
            if zip(p, g).map({ $0 * $1 }).reduce(0, +) <= 0 { h = identity(d); p = g }
            var step = 1.0
            var accepted: ([Double], Double, [Double])?
            while step > 1e-10 {
                let candidate = (0..<d).map { min(max(t[$0] + step * p[$0], lower[$0]), upper[$0]) }
                let moved = zip(candidate, t).map { $0 - $1 }
                let gain = zip(g, moved).map { $0 * $1 }.reduce(0, +)
                if let (fc, gc) = objective(candidate), fc >= f + 1e-4 * max(gain, 0), fc > f - 1e-12, moved.contains(where: { $0 != 0 }) {
                    accepted = (candidate, fc, gc)
                    break
                }
                step *= 0.5
            }
            guard let (next, fn, gn) = accepted else { break }
            let sv = zip(next, t).map { $0 - $1 }
            let yv = zip(g, gn).map { $0 - $1 }  // gradient change of −f
            let sy = zip(sv, yv).map { $0 * $1 }.reduce(0, +)
            let done = abs(fn - f) < 1e-10 && sv.allSatisfy { abs($0) < 1e-8 }
            (t, f, g) = (next, fn, gn)
            if done { break }
            if sy > 1e-12 {
                // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
                let rho = 1 / sy
                var a = identity(d)
                for i in 0..<d { for j in 0..<d { a[i * d + j] -= rho * sv[i] * yv[j] } }
                var ah = [Double](repeating: 0, count: d * d)
                for i in 0..<d { for j in 0..<d { ah[i * d + j] = (0..<d).map { a[i * d + $0] * h[$0 * d + j] }.reduce(0, +) } }
                for i in 0..<d { for j in 0..<d {
                    h[i * d + j] = (0..<d).map { ah[i * d + $0] * a[j * d + $0] }.reduce(0, +) + rho * sv[i] * sv[j]
                } }
            }
        }
        return (f, t)
    }

    /// The gradient of the log marginal likelihood with respect to (log amplitude, log length scales, log noise).
    public static func gradient(x: [[Double]], y: [Double], _ h: GPHyperparameters) -> [Double]? { objective(x, y, h)?.1 }

    static func identity(_ d: Int) -> [Double] { (0..<d * d).map { $0 / d == $0 % d ? 1 : 0 } }

    /// The log marginal likelihood and its gradient with respect to (log amplitude, log length
    /// scales, log noise).
    static func objective(_ x: [[Double]], _ y: [Double], _ h: GPHyperparameters) -> (Double, [Double])? {
        guard let gp = GaussianProcess(x: x, y: y, hyper: h) else { return nil }
        let n = x.count, d = h.lengthScales.count
        // W = α αᵀ − K⁻¹; dLML/dθ = ½ tr(W ∂K/∂θ).
        var inverse = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let col = solveCholesky(gp.chol, n, e)
            for i in 0..<n { inverse[i * n + j] = col[i] }
        }
        var grad = [Double](repeating: 0, count: d + 2)
        for i in 0..<n {
            for j in 0..<n {
                let w = gp.alpha[i] * gp.alpha[j] - inverse[i * n + j]
                var r2 = 0.0
                var scaled = [Double](repeating: 0, count: d)
                for k in 0..<d {
                    let t = (x[i][k] - x[j][k]) / h.lengthScales[k]
                    scaled[k] = t * t
                    r2 += scaled[k]
                }
                let s = (5 * r2).squareRoot()
                let e = exp(-s)
                grad[0] += w * h.amplitude * (1 + s + 5 * r2 / 3) * e
                let common = h.amplitude * 5.0 / 3.0 * (1 + s) * e
                for k in 0..<d { grad[1 + k] += w * common * scaled[k] }
                if i == j { grad[d + 1] += w * h.noise }
            }
        }
        return (gp.logMarginalLikelihood, grad.map { 0.5 * $0 })
    }

    // MARK: Linear algebra (row-major n×n)

    static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        return l
    }

    /// Solves L v = b.
    static func forward(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var v = b
        for i in 0..<n {
            var sum = v[i]
            for k in 0..<i { sum -= l[i * n + k] * v[k] }
            v[i] = sum / l[i * n + i]
        }
        return v
    }

    /// Solves (L Lᵀ) v = b.
    static func solveCholesky(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var v = forward(l, n, b)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = v[i]
            for k in (i + 1)..<max(i + 1, n) { sum -= l[k * n + i] * v[k] }
            v[i] = sum / l[i * n + i]
        }
        return v
    }
}
