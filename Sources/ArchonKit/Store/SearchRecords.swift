// Searches and their trials, stored as each trial finishes: what was searched, every configuration
// evaluated (on which items, what it scored and cost), and the best found.

import Foundation
import GRDB

/// One `search` line's run: its identity (key) and settings, and the best once it finished.
public struct SearchRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "search"
    public var id: Int64?
    public var key: String
    public var sessionId: Int64?
    public var cellId: Int64?
    public var space: String
    public var definition: String
    public var dataset: String
    public var slice: String
    public var optimizer: String
    public var seed: Int
    public var budget: Int
    public var lambda: Double
    public var cost: String
    /// The dev and test item ids (JSON object).
    public var split: String
    public var status: String
    public var best: String?
    public var bestDev: Double?
    public var bestTest: Double?
    public var createdAt: Date
    public var updatedAt: Date
}

/// One evaluation of a search: a configuration on some items (`phase`: models, search or test).
public struct SearchTrialRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "searchTrial"
    public var id: Int64?
    public var searchId: Int64
    public var phase: String
    public var number: Int
    public var config: String
    public var notation: String
    public var rung: Int?
    public var items: Int
    public var score: Double
    public var calls: Double
    public var tokens: Double
    public var dollars: Double
    public var objective: Double
    public var benchKey: String
}

extension SessionStore {
    static func createSearchTables(_ db: Database) throws {
        try db.create(index: "benchItem_run", on: "benchItem", columns: ["runId", "itemId"])
        try db.create(table: "search") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("key", .text).notNull().unique()
            t.column("sessionId", .integer)
            t.column("cellId", .integer)
            t.column("space", .text).notNull()
            t.column("definition", .text).notNull()
            t.column("dataset", .text).notNull()
            t.column("slice", .text).notNull()
            t.column("optimizer", .text).notNull()
            t.column("seed", .integer).notNull()
            t.column("budget", .integer).notNull()
            t.column("lambda", .double).notNull()
            t.column("cost", .text).notNull()
            t.column("split", .text).notNull()
            t.column("status", .text).notNull()
            t.column("best", .text)
            t.column("bestDev", .double)
            t.column("bestTest", .double)
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "searchTrial") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("searchId", .integer).notNull().references("search", onDelete: .cascade)
            t.column("phase", .text).notNull()
            t.column("number", .integer).notNull()
            t.column("config", .text).notNull()
            t.column("notation", .text).notNull()
            t.column("rung", .integer)
            t.column("items", .integer).notNull()
            t.column("score", .double).notNull()
            t.column("calls", .double).notNull()
            t.column("tokens", .double).notNull()
            t.column("dollars", .double).notNull()
            t.column("objective", .double).notNull()
            t.column("benchKey", .text).notNull()
            t.uniqueKey(["searchId", "phase", "number"])
        }
    }

    /// The search stored under `row.key` (now running again, in `row`'s session and cell), or a new one.
    public func openSearch(_ row: SearchRow) throws -> SearchRow {
        try pool.write { db in
            if var existing = try SearchRow.filter(Column("key") == row.key).fetchOne(db) {
                (existing.sessionId, existing.cellId, existing.status, existing.updatedAt) = (row.sessionId, row.cellId, "running", Date())
                try existing.update(db)
                return existing
            }
            var r = row
            try r.insert(db)
            r.id = db.lastInsertedRowID
            return r
        }
    }

    /// Keeps a trial (replacing the one stored with the same phase and number).
    public func recordSearchTrial(_ row: SearchTrialRow) throws {
        try pool.write { db in
            try row.insert(db, onConflict: .replace)
        }
    }

    /// Marks a search finished with its best configuration.
    public func finishSearch(_ id: Int64, best: String, dev: Double, test: Double?) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE search SET status = 'done', best = ?, bestDev = ?, bestTest = ?, updatedAt = ? WHERE id = ?",
                           arguments: [best, dev, test, Date(), id])
        }
    }

    /// Every stored search, oldest first.
    public func searches() throws -> [SearchRow] {
        try pool.read { db in try SearchRow.order(Column("id")).fetchAll(db) }
    }

    /// A search's trials, phase by phase in the order they were numbered.
    public func searchTrials(_ search: Int64) throws -> [SearchTrialRow] {
        try pool.read { db in try SearchTrialRow.fetchAll(db, sql: """
            SELECT * FROM searchTrial WHERE searchId = ?
            ORDER BY CASE phase WHEN 'models' THEN 0 WHEN 'search' THEN 1 ELSE 2 END, number
            """, arguments: [search]) }
    }
}
