// The headline of a set of scored items: n, the score and its 95% interval, in the scorer's unit.

import Foundation

/// n scored, the score and its interval (0–1, or 1–10 for MT-Bench ratings).
public struct BenchSummary: Sendable, Equatable {
    public var n: Int
    public var score: Double
    public var low: Double
    public var high: Double

    /// The summary of `rows` (items a judge could not rate are left out); nil when none is scored.
    /// Arena-Hard's is the Bradley–Terry win rate against the baseline; the others the mean with a
    /// bootstrap interval over items.
    public static func of(_ allRows: [BenchItemRow], scorer: ScorerKind) -> BenchSummary? {
        let rows = allRows.filter { Judgement.from($0.judgement)?.scored ?? true }
        guard !rows.isEmpty else { return nil }
        if scorer == .arena {
            let w = BradleyTerry.winRates(battles(rows), anchor: "baseline", rounds: 100)["target"] ?? (0.5, 0.5, 0.5)
            return BenchSummary(n: rows.count, score: w.rate, low: w.low, high: w.high)
        }
        let scores = rows.map(\.score), ci = Statistics.bootstrapCI(scores)
        return BenchSummary(n: rows.count, score: Statistics.mean(scores), low: ci.low, high: ci.high)
    }

    /// The judged games of pairwise rows as battles of the target against the baseline.
    static func battles(_ rows: [BenchItemRow]) -> [Battle] {
        rows.flatMap { Judgement.from($0.judgement)?.games ?? [] }.compactMap { g in
            g.outcome.map { Battle(a: "target", b: "baseline", outcome: $0, weight: g.weight) }
        }
    }
}
