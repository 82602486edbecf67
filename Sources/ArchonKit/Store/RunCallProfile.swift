// What a bench run's items cost as a live run would pay it: every call of the item counted (calls
// the cache served at the price and latency of the call that first paid for them), judges apart.

import Foundation
import GRDB

/// One item's calls in a bench run, as if none had come from the cache.
public struct ItemCallProfile: Sendable, Equatable {
    public var calls = 0
    public var tokens = 0
    /// USD of the priced calls, cached ones at their original price.
    public var cost = 0.0
    public var unpriced = 0
    /// Seconds along the critical path: per layer the slowest call, layers one after another.
    public var criticalPath = 0.0
}

extension SessionStore {
    /// The answering calls (not the judge's) of bench run `run`, item by item: those of the session that
    /// stored the item (a run killed mid-item left calls that the run that finished it made again, from the cache).
    public func callProfiles(run: Int64) throws -> [String: ItemCallProfile] {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.itemId, c.layer, c.cost, c.promptTokens, c.completionTokens, c.error,
                       CASE WHEN c.cached THEN COALESCE((SELECT o.latency FROM call o WHERE o.cacheKey = c.cacheKey
                            AND NOT o.cached AND o.error IS NULL ORDER BY o.id LIMIT 1), 0) ELSE c.latency END AS paidLatency
                FROM call c JOIN benchItem b INDEXED BY benchItem_run ON b.runId = c.benchRunId AND b.itemId = c.itemId
                WHERE c.benchRunId = ? AND c.itemId IS NOT NULL AND b.sessionId = c.sessionId
                  AND (c.technique IS NULL OR c.technique != 'judge')
                """, arguments: [run])
        }
        var profiles: [String: ItemCallProfile] = [:]
        var slowest: [String: [Int: Double]] = [:]
        for row in rows {
            let item: String = row["itemId"]
            var p = profiles[item] ?? ItemCallProfile()
            p.calls += 1
            p.tokens += (row["promptTokens"] as Int? ?? 0) + (row["completionTokens"] as Int? ?? 0)
            if let cost: Double = row["cost"] { p.cost += cost } else if (row["error"] as String?) == nil { p.unpriced += 1 }
            profiles[item] = p
            let layer: Int = row["layer"] ?? 0
            slowest[item, default: [:]][layer] = max(slowest[item]?[layer] ?? 0, row["paidLatency"] ?? 0)
        }
        for (item, layers) in slowest { profiles[item]?.criticalPath = layers.values.reduce(0, +) }
        return profiles
    }
}
