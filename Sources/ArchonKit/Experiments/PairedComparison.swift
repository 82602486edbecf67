// Two bench results on the same items: paired scores, each side's mean and interval, and whether
// their difference can be read at this n (a paired bootstrap over the items both have).

import Foundation

/// A comparison of two results item by item.
public struct PairedComparison: Sendable {
    public struct Side: Sendable {
        public var label: String
        public var mean: Double
        public var low: Double
        public var high: Double
    }

    public var a: Side
    public var b: Side
    public var scorer: ScorerKind
    /// Items scored for both: (item, a's score, b's score), in the first result's order.
    public var pairs: [(item: String, a: Double, b: Double)]
    /// Items scored for only one of them (left out).
    public var unpaired: Int
    /// Mean of a − b over the pairs, with its 95% paired-bootstrap interval.
    public var difference: Double
    public var differenceLow: Double
    public var differenceHigh: Double
    /// Items where a scored higher, lower, the same.
    public var aBetter: Int
    public var bBetter: Int
    public var equal: Int { pairs.count - aBetter - bBetter }

    /// Whether the interval of the difference excludes 0.
    public var readable: Bool { differenceLow > 0 || differenceHigh < 0 }

    /// Pairs `first` and `second` by item id; throws when no item is scored for both.
    public init(_ first: BenchResult, _ second: BenchResult, labels: (String, String)? = nil) throws(ScriptError) {
        let (la, lb) = labels ?? (first.run.label, second.run.label)
        let sa = first.scores, sb = second.scores
        var pairs: [(item: String, a: Double, b: Double)] = []
        var unpaired = 0
        var seen: Set<String> = []
        for id in (first.items + second.items).map(\.itemId) where seen.insert(id).inserted {
            switch (sa[id], sb[id]) {
            case let (x?, y?): pairs.append((id, x, y))
            case (nil, nil): break
            default: unpaired += 1
            }
        }
        guard !pairs.isEmpty else {
            throw ScriptError("no item of \(first.slice) is scored for both \(la) and \(lb) — finish both benches first")
        }
        func side(_ label: String, _ values: [Double]) -> Side {
            let ci = Statistics.bootstrapCI(values)
            return Side(label: label, mean: Statistics.mean(values), low: ci.low, high: ci.high)
        }
        a = side(la, pairs.map(\.a))
        b = side(lb, pairs.map(\.b))
        let diffs = pairs.map { $0.a - $0.b }
        let ci = Statistics.bootstrapCI(diffs)
        (difference, differenceLow, differenceHigh) = (Statistics.mean(diffs), ci.low, ci.high)
        aBetter = diffs.filter { $0 > 0 }.count
        bBetter = diffs.filter { $0 < 0 }.count
        scorer = first.scorer
        self.pairs = pairs
        self.unpaired = unpaired
    }
}
