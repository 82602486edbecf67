// Significance of paired differences: exact McNemar for pass/fail scores, a paired permutation
// (sign-flip) test for graded ones, and Holm's step-down correction across a study's variants.

import Foundation

/// p-values for paired per-item scores of two systems on the same items.
public enum PairedTests {
    /// Which test gave a p-value.
    public enum Method: String, Sendable {
        case mcnemar = "exact McNemar"
        case permutation = "paired permutation"
    }

    /// The two-sided p-value that `a` and `b` (scores on the same items, in order) differ, and the
    /// test used: exact McNemar when every score is 0 or 1, else a paired permutation test of the
    /// mean difference (every sign flip when at most 20 pairs differ, else 20 000 seeded draws).
    public static func pValue(_ a: [Double], _ b: [Double], seed: UInt64 = 2024) -> (p: Double, method: Method) {
        precondition(a.count == b.count)
        let binary = (a + b).allSatisfy { $0 == 0 || $0 == 1 }
        if binary {
            let aOnly = zip(a, b).filter { $0 == 1 && $1 == 0 }.count
            let bOnly = zip(a, b).filter { $0 == 0 && $1 == 1 }.count
            return (mcnemarExact(aOnly, bOnly), .mcnemar)
        }
        return (permutation(zip(a, b).map { $0 - $1 }, seed: seed), .permutation)
    }

    /// Exact McNemar: under no difference the discordant pairs split as a fair coin; two-sided
    /// binomial p = min(1, 2·P(X ≤ min(b, c))) with X ~ Bin(b + c, ½).
    public static func mcnemarExact(_ b: Int, _ c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let k = min(b, c)
        // Sum C(n, i) / 2^n for i ≤ k in logs, to stay finite for large n.
        var total = 0.0
        for i in 0...k { total += exp(logChoose(n, i) - Double(n) * log(2)) }
        return min(1, 2 * total)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }

    /// Two-sided paired permutation p-value of the mean of `differences`: the share of sign
    /// assignments whose mean is at least as far from 0 as the observed one (zeros do not move).
    public static func permutation(_ differences: [Double], rounds: Int = 20_000, seed: UInt64 = 2024) -> Double {
        let nonzero = differences.filter { $0 != 0 }
        guard !nonzero.isEmpty else { return 1 }
        let observed = abs(nonzero.reduce(0, +))
        let tolerance = 1e-12 * max(1, observed)
        if nonzero.count <= 20 {
            var atLeast = 0
            let total = 1 << nonzero.count
            for mask in 0..<total {
                var s = 0.0
                for (i, d) in nonzero.enumerated() { s += (mask >> i) & 1 == 1 ? -d : d }
                if abs(s) >= observed - tolerance { atLeast += 1 }
            }
            return Double(atLeast) / Double(total)
        }
        var rng = SeededGenerator(seed: seed)
        var atLeast = 0
        for _ in 0..<rounds {
            var s = 0.0
            for d in nonzero { s += rng.next() & 1 == 1 ? -d : d }
            if abs(s) >= observed - tolerance { atLeast += 1 }
        }
        // The observed assignment counts as one of the draws (never p = 0 from sampling).
        return Double(atLeast + 1) / Double(rounds + 1)
    }

    /// Holm's step-down adjustment of a family of p-values (same order as given).
    public static func holm(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[i]))
            adjusted[i] = running
        }
        return adjusted
    }
}
