// What a bench returns: per-item scores and judgements with what each item cost, and the summary.

import Foundation

/// An item whose calls failed (after the provider's retries): reported, left for the next run.
public struct ItemFailure: Sendable, Equatable {
    public var item: String
    public var error: String
}

/// A bench's outcome on its slice.
public struct BenchResult: Sendable {
    /// The stored run (its identity: key, label, dataset, scorer; summary over every stored item).
    public var run: BenchRunRow
    public var slice: Slice
    public var scorer: ScorerKind
    public var samples: Int
    /// The slice's scored items, in slice order: score, detail, answer, judgement, and calls, tokens,
    /// dollars and seconds per item.
    public var items: [BenchItemRow]
    /// Items scored by this evaluation, and items already stored (resumed).
    public var scoredNow = 0
    public var resumed = 0
    public var failures: [ItemFailure] = []
    /// What this evaluation spent, and the part spent on judges.
    public var spend = Spend()
    public var judgeSpend = Spend()
    public var seconds = 0.0
    public var notes: [String] = []

    /// n, the score and its 95% interval over the slice's scored items.
    public var summary: BenchSummary? { BenchSummary.of(items, scorer: scorer) }
    public var n: Int { summary?.n ?? 0 }
    public var mean: Double? { summary?.score }

    /// Scores by item id (items a judge could not rate left out).
    public var scores: [String: Double] {
        Dictionary(items.filter { Judgement.from($0.judgement)?.scored ?? true }.map { ($0.itemId, $0.score) }, uniquingKeysWith: { a, _ in a })
    }
}

/// Progress of a bench, as it happens (the REPL draws it; ArchonKit draws nothing).
public struct BenchProgress: Sendable, Equatable {
    public var total: Int
    /// Items already stored when the bench started.
    public var resumed: Int
    /// Items finished by this run so far (scored or failed).
    public var done: Int
    public var failed: Int
    public var elapsed: Double
    /// What this run has spent so far.
    public var spend: Spend
    /// What is counted (`items`; a search counts `trials`).
    public var unit = "items"
    /// A line drawn after the count (a search's best so far and spend).
    public var note: String?

    /// Seconds left at the pace so far (nil before the first item).
    public var eta: Double? {
        done > 0 ? elapsed / Double(done) * Double(total - resumed - done) : nil
    }
}
