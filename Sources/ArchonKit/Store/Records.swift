// Rows of the session store as plain values.

import Foundation
import GRDB

/// A session: one run of the REPL, a piped script or a recipe.
public struct SessionRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"
    public var id: Int64?
    public var startedAt: Date
    public var endedAt: Date?
    /// `repl`, `piped`, `run`, `replay`.
    public var kind: String
    /// The recipe file, or another short description.
    public var title: String?
}

/// A cell: one command of a session, its output and status.
public struct CellRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cell"
    public var id: Int64?
    public var sessionId: Int64
    public var number: Int
    public var source: String
    /// `running`, `ok`, `error`, `cancelled`.
    public var status: String
    public var output: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// How long the cell ran, as reported in its output.
    public var seconds: Double? = nil

    public init(id: Int64?, sessionId: Int64, number: Int, source: String, status: String, output: String,
                startedAt: Date, finishedAt: Date?, seconds: Double? = nil) {
        (self.id, self.sessionId, self.number, self.source, self.status) = (id, sessionId, number, source, status)
        (self.output, self.startedAt, self.finishedAt, self.seconds) = (output, startedAt, finishedAt, seconds)
    }

    /// Text with a NUL is stored as UTF-8 bytes (SQLite's text functions stop at a NUL): read both kinds whole.
    public init(row: Row) throws {
        func text(_ column: String) -> String {
            let value: DatabaseValue = row[column]
            if case let .blob(data) = value.storage { return String(decoding: data, as: UTF8.self) }
            return row[column] ?? ""
        }
        id = row["id"]
        sessionId = row["sessionId"]
        number = row["number"]
        source = text("source")
        status = row["status"]
        output = text("output")
        startedAt = row["startedAt"]
        finishedAt = row["finishedAt"]
        seconds = row["seconds"]
    }
}

/// A call: one request to a model and what came back.
public struct CallRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "call"
    public var id: Int64?
    public var sessionId: Int64
    public var cellId: Int64?
    public var modelName: String
    public var provider: String
    public var model: String
    public var request: String
    public var response: String?
    public var content: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var latency: Double
    public var error: String?
    public var attempts: Int
    public var layer: Int?
    public var technique: String?
    public var sampleIndex: Int
    public var startedAt: Date
    public var cached: Bool
    public var cost: Double?
    public var attemptLog: String?
    public var cacheKey: String?
}

/// A session with its totals, as `archon sessions` lists it.
public struct SessionSummary: Codable, Sendable, FetchableRecord {
    public var id: Int64
    public var startedAt: Date
    public var endedAt: Date?
    public var kind: String
    public var title: String?
    public var cells: Int
    public var calls: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var errors: Int
    /// USD over the calls with a known price.
    public var cost: Double
    /// Calls whose cost is unknown.
    public var unpricedCalls: Int
    /// Calls served from the response cache, and the tokens and dollars they saved.
    public var cachedCalls: Int
    public var savedTokens: Int
    public var savedCost: Double
}
