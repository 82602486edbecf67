// What a bench result costs per query as a live run would pay it: cached calls counted at the price
// and latency of the call that first paid for them, judges apart.

import Foundation

public struct QueryCost: Sendable, Equatable {
    public var calls = 0.0
    public var tokens = 0.0
    public var dollars = 0.0
    /// Calls without a price (summed, not per query).
    public var unpriced = 0
    /// Seconds along the critical path per query.
    public var criticalPath = 0.0

    /// The mean over `result`'s items of what each item's calls cost.
    public static func of(_ result: BenchResult, store: SessionStore) throws -> QueryCost {
        let profiles = try result.run.id.map { try store.callProfiles(run: $0) } ?? [:]
        let mine = result.items.compactMap { profiles[$0.itemId] }
        let n = Double(max(1, result.items.count))
        return QueryCost(calls: Double(mine.map(\.calls).reduce(0, +)) / n, tokens: Double(mine.map(\.tokens).reduce(0, +)) / n,
                         dollars: mine.map(\.cost).reduce(0, +) / n, unpriced: mine.map(\.unpriced).reduce(0, +),
                         criticalPath: mine.map(\.criticalPath).reduce(0, +) / n)
    }
}
