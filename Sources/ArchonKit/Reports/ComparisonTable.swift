// A paired comparison as text: both sides with their intervals, the difference, and whether it reads.

public enum ComparisonTable {
    public static func render(_ c: PairedComparison, slice: Slice) -> String {
        func show(_ v: Double, signed: Bool = false) -> String { (signed && v > 0 ? "+" : "") + BenchTable.format(v, scorer: c.scorer) }
        let rows = [c.a, c.b].map { [$0.label, String(c.pairs.count), show($0.mean), "\(show($0.low)) – \(show($0.high))"] }
        var text = "\(slice) · \(c.scorer) scorer · items scored for both: \(c.pairs.count)\n"
        text += Formatting.table(["target", "n", c.scorer.isRating ? "score (1–10)" : "score", "95% CI (bootstrap, 1000)"], rows)
        text += "\ndifference \(c.a.label) − \(c.b.label): \(show(c.difference, signed: true)) (95% CI \(show(c.differenceLow, signed: true)) – \(show(c.differenceHigh, signed: true)), paired bootstrap over items, 1000 rounds)"
        text += "\n\(c.a.label) better on \(c.aBetter) item(s), \(c.b.label) better on \(c.bBetter), equal on \(c.equal)"
        if c.readable {
            text += "\nreadable: the interval excludes 0 — \(c.difference > 0 ? c.a.label : c.b.label) scores higher on these items"
        } else {
            text += "\nnot readable at n = \(c.pairs.count): the interval includes 0 — more items would tell"
        }
        if c.scorer == .arena { text += "\n(per-item win shares against the baseline; each bench's table gives its Bradley–Terry rate)" }
        if c.unpaired > 0 { text += "\nnote: \(c.unpaired) item(s) scored for only one of them are left out" }
        return text
    }
}
