// The reports of `space` (axes, sizes, cost range) and `search` (split, model order, every trial,
// the best with its test score, the finalists).

import Foundation

public enum SearchTable {
    /// `space NAME`: each axis with its values, the raw and valid sizes and why configurations were
    /// dropped, and the cost range per query over the valid ones.
    public static func describe(_ space: DesignSpace, points: [SpacePoint], size: SpaceSize) -> String {
        var text = "space \(space.name) · generators from \(space.models.map(\.name).joined(separator: ", ")) (a search orders them by their dev score)\n"
        text += Formatting.table(["axis", "values"], space.axes.map { a in
            [a.axis.rawValue, space.values(of: a.axis).joined(separator: ", ") + (a.axis == .generators ? "  (top k models)" : "")]
        })
        var limits: [String] = []
        if let m = space.limits.maxCalls { limits.append("max_calls=\(m)") }
        if let m = space.limits.maxTokens { limits.append("max_tokens=\(m)") }
        if let m = space.limits.maxUSD { limits.append("max_usd=\(Formatting.number(m))") }
        if !limits.isEmpty { text += "\nper-query budget: " + limits.joined(separator: " ") }
        text += "\nraw size \(size.raw) · valid \(size.valid)"
        var why: [String] = []
        if size.duplicates > 0 { why.append("\(size.duplicates) build an architecture already counted (an axis that does not apply)") }
        why += size.dropped.map { "\($0.count) \($0.reason)" }
        if !why.isEmpty { text += "\nleft out: " + why.joined(separator: "; ") }
        if let lo = points.min(by: { $0.calls < $1.calls }), let hi = points.max(by: { $0.calls < $1.calls }) {
            let t = points.map(\.tokens)
            text += "\ncost per query (estimated as explain does): \(lo.calls)–\(hi.calls) calls, \(t.min()!)–\(t.max()!) tokens"
            let d = points.compactMap(\.dollars)
            if d.count == points.count, let a = d.min(), let b = d.max() {
                text += ", \(Pricing.format(a))–\(Pricing.format(b))"
            }
            text += "\ncheapest: \(lo.config.summary) · dearest: \(hi.config.summary)"
        }
        return text
    }

    public static func render(_ o: SearchOutcome, scorer: ScorerKind, bestName: String) -> String {
        func f(_ x: Double) -> String { BenchTable.format(x, scorer: scorer) }
        func cost(_ q: QueryCost) -> String {
            switch o.settings.cost {
            case .calls: String(format: "%.1f", q.calls)
            case .tokens: String(format: "%.0f", q.tokens)
            case .usd: Pricing.format(q.dollars)
            }
        }
        let s = o.settings
        var text = "search \(o.space.name) on \(o.slice) · optimizer \(s.optimizer.rawValue) · budget \(s.budget) · seed \(s.seed)"
            + " · objective = score − \(Formatting.number(s.lambda)) × \(s.cost.rawValue) per query\n"
        text += "split (seed \(s.splitSeed ?? s.seed)): dev \(o.split.dev.count) items, test \(o.split.test.count) items, disjoint — the search sees dev only\n"
        text += "models on dev, best first (generators take the top k): " + o.modelScores.map { "\($0.model.name) \(f($0.score))" }.joined(separator: ", ") + "\n"
        text += "space: raw \(o.size.raw), valid \(o.size.valid) configurations\n"
        if s.optimizer == .halving {
            let rungs = Dictionary(grouping: o.trials, by: { $0.rung ?? 0 }).sorted { $0.key < $1.key }
            text += "rungs: " + rungs.map { "\($0.value.count) on \($0.value.first?.items ?? 0) items" }.joined(separator: " → ") + "\n"
        }
        var best: Double?
        let rows = o.trials.map { t -> [String] in
            let full = t.items == o.split.dev.count
            var mark = ""
            if full, best == nil || t.objective > best! { best = t.objective; mark = "▲" }
            if t.number == o.best.number { mark = "★" }
            return [String(t.number), t.config.summary, String(t.items), f(t.score), cost(t.cost), String(format: "%.3f", t.objective), mark]
        }
        text += "\n" + Formatting.table(["#", "configuration", "items", "score", s.cost.rawValue, "objective", ""], rows)
        text += "\n▲ best so far on the whole dev split · ★ selected"
        text += "\n\nbest: \(bestName) = \(o.best.architecture.layersNotation)"
        text += "\n  dev \(f(o.best.score)) (objective \(String(format: "%.3f", o.best.objective)), selected on dev — optimistic)"
        if let first = o.finalists.first, let sum = first.test.summary {
            text += "\n  test \(f(sum.score)) [\(f(sum.low)) – \(f(sum.high))] on \(sum.n) held-out items — the score to report"
        }
        if o.finalists.count > 1 {
            text += "\n\nfinalists re-scored on test:\n" + Formatting.table(["#", "configuration", "dev", "dev objective", "test", "95% CI", s.cost.rawValue], o.finalists.map { fin in
                let sum = fin.test.summary
                return [String(fin.trial.number), fin.trial.config.summary, f(fin.trial.score), String(format: "%.3f", fin.trial.objective),
                        sum.map { f($0.score) } ?? "–", sum.map { "\(f($0.low)) – \(f($0.high))" } ?? "–", cost(fin.cost)]
            })
        }
        return text
    }
}
