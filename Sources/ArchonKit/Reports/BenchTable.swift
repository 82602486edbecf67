// The result table of a bench: the score in the benchmark's own unit with its 95% interval and n,
// per-category rows, and what a judge left unscored.

import Foundation

public enum BenchTable {
    static func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
    static func rating(_ x: Double) -> String { String(format: "%.2f", x) }
    /// A score in the scorer's unit: MT-Bench ratings as points, everything else as a percentage.
    static func format(_ x: Double, scorer: ScorerKind) -> String { scorer.isRating ? rating(x) : pct(x) }

    /// Renders the stored rows of a bench.
    public static func render(rows allRows: [BenchItemRow], slice: Slice, scorer: ScorerKind, samples: Int, baseline: String?) -> String {
        let judgements = Dictionary(uniqueKeysWithValues: allRows.map { ($0.itemId, Judgement.from($0.judgement)) })
        let rows = allRows.filter { judgements[$0.itemId]??.scored ?? true }
        let unscored = allRows.count - rows.count
        var text: String = if rows.isEmpty {
            "\(slice.description): no item scored"
        } else {
            switch scorer {
            case .judge: ratings(rows, judgements: judgements, slice: slice)
            case .pairwise, .arena: pairwise(rows, judgements: judgements, slice: slice, arena: scorer == .arena, baseline: baseline ?? "the baseline")
            default: accuracy(rows, slice: slice, samples: samples)
            }
        }
        let graded = rows.compactMap(\.grading)
        if !graded.isEmpty {
            let by = { (g: Grading) in graded.filter { $0 == g }.count }
            text += "\ngraded: \(by(.rule)) by rule, \(by(.judge)) by the judge"
            if by(.undecided) > 0 {
                text += ", \(by(.undecided)) undecided by rule and scored 0 (judge=MODEL grades them)"
            }
        }
        if unscored > 0 {
            text += "\nnote: \(unscored) item(s) unscored and left out — the judge gave no verdict in the required form after 3 tries (their details say why)"
        }
        if !rows.isEmpty, rows.count < 30 {
            let scores = rows.map(\.score)
            let ci = Statistics.bootstrapCI(scores)
            // With every score alike the bootstrap interval collapses; the widest spread is the honest scale then.
            let range = scorer.isRating ? 9.0 : 1.0
            let halfWidth = max((ci.high - ci.low) / 2, 0.5 * range / Double(rows.count).squareRoot())
            text += "\nnote: n = \(rows.count) is small; differences under ±\(format(halfWidth, scorer: scorer))\(scorer.isRating ? " points" : "") are not readable here"
        }
        return text
    }

    /// The headline of a stored result in numbers (see ``BenchSummary``).
    public static func headlineValues(rows: [BenchItemRow], scorer: ScorerKind) -> (n: Int, score: Double, low: Double, high: Double)? {
        BenchSummary.of(rows, scorer: scorer).map { ($0.n, $0.score, $0.low, $0.high) }
    }

    /// The headline as text, in the scorer's unit.
    public static func headline(rows: [BenchItemRow], scorer: ScorerKind) -> (n: Int, score: String, interval: String) {
        guard let h = headlineValues(rows: rows, scorer: scorer) else { return (0, "–", "–") }
        return (h.n, format(h.score, scorer: scorer), "\(format(h.low, scorer: scorer)) – \(format(h.high, scorer: scorer))")
    }

    /// A table row: label, n, score and interval.
    static func line(_ label: String, _ rows: [BenchItemRow], scorer: ScorerKind) -> [String] {
        let h = headline(rows: rows, scorer: scorer)
        return [label, String(h.n), h.score, h.interval]
    }

    static func categoryRows(_ rows: [BenchItemRow], _ line: (String, [BenchItemRow]) -> [String]) -> [[String]] {
        let categories = Dictionary(grouping: rows, by: \.category)
        guard categories.count > 1, categories.count <= 20 else { return [] }
        return categories.sorted(by: { $0.key < $1.key }).map { line("  \($0.key)", $0.value) }
    }

    static func accuracy(_ rows: [BenchItemRow], slice: Slice, samples: Int) -> String {
        func line(_ label: String, _ r: [BenchItemRow]) -> [String] { BenchTable.line(label, r, scorer: .math) }
        var text = Formatting.table(["slice", "n", samples > 1 ? "pass@1" : "score", "95% CI (bootstrap, 1000)"],
                                    [line(slice.description, rows)] + categoryRows(rows, line))
        if samples > 1 {
            let passK = rows.map { Statistics.passAtK(n: samples, c: Int(($0.score * Double(samples)).rounded()), k: samples) }
            text += "\npass@\(samples) (unbiased, \(samples) samples per item): \(pct(Statistics.mean(passK)))"
        }
        return text
    }

    /// MT-Bench: the mean 1–10 rating, and each turn's.
    static func ratings(_ rows: [BenchItemRow], judgements: [String: Judgement?], slice: Slice) -> String {
        func turnMean(_ r: [BenchItemRow], _ t: Int) -> String {
            let xs = r.compactMap { row in judgements[row.itemId]??.ratings.flatMap { $0.count > t ? $0[t] : nil } }
            return xs.isEmpty ? "–" : rating(Statistics.mean(xs))
        }
        func line(_ label: String, _ r: [BenchItemRow]) -> [String] { BenchTable.line(label, r, scorer: .judge) + [turnMean(r, 0), turnMean(r, 1)] }
        return Formatting.table(["slice", "n", "score (1–10)", "95% CI (bootstrap, 1000)", "turn 1", "turn 2"],
                                [line(slice.description, rows)] + categoryRows(rows, line))
    }

    /// AlpacaEval: the win rate over items (a tie counts half, both orders averaged); Arena-Hard: the
    /// Bradley–Terry win rate against the baseline with 100 bootstrap rounds.
    static func pairwise(_ rows: [BenchItemRow], judgements: [String: Judgement?], slice: Slice, arena: Bool, baseline: String) -> String {
        let games = rows.flatMap { judgements[$0.itemId]??.games ?? [] }.filter { $0.outcome != nil }
        let wins = games.filter { $0.outcome! > 0.5 }.count, ties = games.filter { $0.outcome! == 0.5 }.count
        let losses = games.count - wins - ties
        var consistent = 0, both = 0
        for r in rows {
            let g = (judgements[r.itemId]??.games ?? []).compactMap(\.outcome)
            if g.count == 2 {
                both += 1
                if (g[0] > 0.5) == (g[1] > 0.5) && (g[0] == 0.5) == (g[1] == 0.5) { consistent += 1 }
            }
        }
        func line(_ label: String, _ r: [BenchItemRow]) -> [String] { BenchTable.line(label, r, scorer: arena ? .arena : .pairwise) }
        var text = Formatting.table(["slice", "n", "win rate vs \(baseline)\(arena ? " (Bradley–Terry)" : "")",
                                     "95% CI (bootstrap, \(arena ? 100 : 1000))"],
                                    [line(slice.description, rows)] + categoryRows(rows, line))
        text += "\ngames (both orders): \(wins) won · \(ties) tied · \(losses) lost"
        if both > 0 { text += " · same verdict in both orders on \(consistent) of \(both) items" }
        if !arena { text += "\n(raw win rate, not AlpacaEval 2.0's length-controlled one)" }
        return text
    }
}
