// The report of an ablation study: scores with paired differences and corrected p-values, cost per
// query with the score–cost frontier, a bar chart with interval whiskers, and what the cache saved.

import Foundation

public enum AblationTable {
    public static func render(_ study: AblationStudy) -> String {
        let scorer = study.scorer
        func f(_ x: Double) -> String { BenchTable.format(x, scorer: scorer) }
        func signed(_ x: Double) -> String { (x > 0 ? "+" : x < 0 ? "−" : "±") + f(abs(x)) }
        func p(_ x: Double?) -> String { x.map { $0 < 0.001 ? "<0.001" : String(format: "%.3f", $0) } ?? "" }
        var text = "ablation of \(study.plan.base.name) on \(study.slice) · \(scorer) scorer · \(study.rows.count) variant(s) on the same items\n"
        for r in study.rows {
            text += "  \(r.variant.name) = \(r.variant.architecture.layersNotation)\(r.variant.isFull ? "" : "   (\(r.variant.change))")\n"
        }
        let scores = study.rows.map { r -> [String] in
            let s = r.result.summary
            let c = r.comparison
            return [r.variant.name, String(s?.n ?? 0), s.map { f($0.score) } ?? "–", s.map { "\(f($0.low)) – \(f($0.high))" } ?? "–",
                    c.map { signed($0.difference) } ?? "", c.map { "\(signed($0.differenceLow)) – \(signed($0.differenceHigh))" } ?? "",
                    p(r.pValue), p(r.adjustedP), r.readable.map { $0 ? "yes" : "no" } ?? ""]
        }
        text += "\n" + Formatting.table(["variant", "n", "score", "95% CI", "Δ vs full", "Δ 95% CI (paired)", "p", "p (Holm)", "readable"], scores)
        let methods = Set(study.rows.compactMap(\.method))
        if !methods.isEmpty {
            text += "\np: " + methods.map(\.rawValue).sorted().joined(separator: " / ") + " against the full architecture, two-sided; Holm-corrected over \(study.rows.count - 1) variant(s). "
                + "readable: the paired interval excludes 0 and the corrected p < 0.05."
        }
        let cost = study.rows.map { r -> [String] in
            [r.variant.name, String(format: "%.1f", r.calls), String(format: "%.0f", r.tokens),
             SessionReport.costText(r.dollars, unpriced: r.unpriced), Formatting.duration(r.criticalPath), String(r.parseFallbacks), r.pareto ? "★" : ""]
        }
        text += "\n\nper query (as a live run pays it):\n"
            + Formatting.table(["variant", "calls", "tokens", "dollars", "critical path", "parse fallbacks", "frontier"], cost)
        text += "\n★ on the score–\(study.costInDollars ? "dollar" : "token") frontier: no other variant scores as well for less."
        text += "\n\n" + chart(study)
        for s in study.plan.skipped { text += "\nskipped \(s.name) (\(s.change)): \(s.reason)" }
        let total = study.paidCalls + study.cachedCalls
        if total > 0 {
            text += "\ncalls: \(study.paidCalls) paid, \(study.cachedCalls) from the cache"
                + String(format: " (%.0f%% of what the variants asked)", 100 * Double(study.cachedCalls) / Double(total))
        }
        let small = study.rows.first?.result.n ?? 0
        if small > 0, small < 30 {
            text += "\nnote: n = \(small) is small — most differences will not be readable; a wider slice tells more."
        }
        return text
    }

    /// Scores as bars with their 95% interval as whiskers, on the scorer's scale.
    public static func chart(_ study: AblationStudy, width: Int = 40) -> String {
        let top = study.scorer.isRating ? 10.0 : 1.0
        let nameWidth = study.rows.map(\.variant.name.count).max() ?? 0
        var lines: [String] = []
        for r in study.rows {
            guard let s = r.result.summary else { continue }
            func at(_ x: Double) -> Int { max(0, min(width, Int((x / top * Double(width)).rounded()))) }
            var cells = [Character](repeating: " ", count: width + 1)
            for i in 0..<at(s.score) { cells[i] = "█" }
            let (lo, hi) = (at(s.low), at(s.high))
            for i in lo...hi where cells[i] == " " { cells[i] = "─" }
            cells[lo] = "├"
            cells[hi] = "┤"
            lines.append(Formatting.pad(r.variant.name, nameWidth) + "  " + String(cells) + "  " + BenchTable.format(s.score, scorer: study.scorer))
        }
        return lines.joined(separator: "\n")
    }
}
