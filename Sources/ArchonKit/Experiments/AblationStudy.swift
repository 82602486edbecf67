// An ablation study: every variant of a plan benched on the identical items (the full architecture
// first, so that shared upstream calls are paid once and served from the cache after), each compared
// with the full architecture item by item, with p-values corrected across the study.

import Foundation

/// One variant's outcome in a study.
public struct AblationRow: Sendable {
    public var variant: AblationVariant
    public var result: BenchResult
    /// Against the full architecture (nil for the full architecture itself).
    public var comparison: PairedComparison?
    public var pValue: Double?
    public var method: PairedTests.Method?
    /// Holm-adjusted across the study's variants.
    public var adjustedP: Double?
    /// Per query, as a live run would spend it (cached calls counted at their original price and time).
    public var calls: Double
    public var tokens: Double
    public var dollars: Double
    public var unpriced: Int
    public var criticalPath: Double
    public var parseFallbacks: Int
    /// Not beaten by another variant on both score and cost.
    public var pareto = false

    /// The difference can be read at this n: its interval excludes 0 and the corrected p is under 0.05.
    public var readable: Bool? {
        guard let comparison, let adjustedP else { return nil }
        return comparison.readable && adjustedP < 0.05
    }
}

/// The result of `ablate`: the rows (full architecture first), what was skipped, and what was paid.
public struct AblationStudy: Sendable {
    public var plan: AblationPlan
    public var rows: [AblationRow]
    public var slice: Slice
    public var scorer: ScorerKind
    /// Calls made in this study, and those the cache served.
    public var paidCalls: Int
    public var cachedCalls: Int
    /// Whether cost is compared in dollars (some call priced) or in tokens.
    public var costInDollars: Bool

    /// Benches every variant of `plan` with its spec (`specs` in the plan's order: the same slice and
    /// options, each variant's architecture) and compares each with the full architecture.
    public static func run(_ plan: AblationPlan, specs: [BenchSpec], evaluator: Evaluator, cell: Int64? = nil,
                           onVariant: (@Sendable (AblationVariant, Int, Int) -> Void)? = nil,
                           onProgress: (@Sendable (BenchProgress) -> Void)? = nil) async throws -> AblationStudy {
        precondition(specs.count == plan.variants.count)
        var results: [(AblationVariant, BenchResult)] = []
        for (i, (variant, s)) in zip(plan.variants, specs).enumerated() {
            onVariant?(variant, i + 1, specs.count)
            results.append((variant, try await evaluator.run(s, cell: cell, onProgress: onProgress)))
        }
        let full = results[0].1
        var rows: [AblationRow] = []
        for (variant, result) in results {
            let q = try QueryCost.of(result, store: evaluator.store)
            var row = AblationRow(variant: variant, result: result, calls: q.calls, tokens: q.tokens, dollars: q.dollars,
                                  unpriced: q.unpriced, criticalPath: q.criticalPath,
                                  parseFallbacks: result.items.compactMap(\.parseFailures).reduce(0, +))
            if !variant.isFull {
                let c = try PairedComparison(result, full, labels: (variant.name, full.run.label))
                row.comparison = c
                let test = PairedTests.pValue(c.pairs.map(\.a), c.pairs.map(\.b))
                (row.pValue, row.method) = (test.p, test.method)
            }
            rows.append(row)
        }
        let tested = rows.indices.filter { rows[$0].pValue != nil }
        for (i, p) in zip(tested, PairedTests.holm(tested.map { rows[$0].pValue! })) { rows[i].adjustedP = p }
        let inDollars = rows.contains { $0.dollars > 0 }
        let cost: (AblationRow) -> Double = { inDollars ? $0.dollars : $0.tokens }
        for i in rows.indices {
            let s = rows[i].result.mean ?? 0
            rows[i].pareto = !rows.indices.contains { j in
                guard j != i else { return false }
                let t = rows[j].result.mean ?? 0
                return t >= s && cost(rows[j]) <= cost(rows[i]) && (t > s || cost(rows[j]) < cost(rows[i]))
            }
        }
        let spent = results.map(\.1.spend)
        return AblationStudy(plan: plan, rows: rows, slice: full.slice, scorer: full.scorer,
                             paidCalls: spent.map { $0.calls - $0.cached }.reduce(0, +), cachedCalls: spent.map(\.cached).reduce(0, +),
                             costInDollars: inDollars)
    }
}
