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
    /// The benchmark item this call answered or judged, and its bench run.
    public var itemId: String? = nil
    public var benchRunId: Int64? = nil
}

/// One layer of an architecture as a cell recorded it: its number, technique and trace (JSON).
public struct StoredLayer: Sendable, Equatable {
    public var layer: Int
    public var technique: String
    public var trace: String

    public init(layer: Int, technique: String, trace: String) {
        (self.layer, self.technique, self.trace) = (layer, technique, trace)
    }
}

/// What a bench measures — target, dataset, scorer and options — under one resume key, with the
/// summary of the items stored so far.
public struct BenchRunRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "benchRun"
    public var id: Int64?
    /// SHA-256 of what is measured: items stored under it are resumed.
    public var key: String
    /// How the target was named (`tiny`, `trio`, `reference`, or a generated variant's name).
    public var label: String
    /// `model`, `architecture`, `reference` or `recorded`.
    public var targetKind: String
    /// The target's full definition.
    public var target: String
    public var dataset: String
    /// The scorer's name (`ScorerKind`); nil when a database written before runs were stored does not tell.
    public var scorer: String?
    /// The bench line without its slice: `bench tiny math500 samples=3`.
    public var title: String
    /// The spec as JSON: target definition, judge, baseline, samples, seed.
    public var spec: String
    public var createdAt: Date
    public var updatedAt: Date
    /// Where it was last evaluated.
    public var sessionId: Int64?
    public var cellId: Int64?
    /// The summary over every stored item: n, score and its 95% interval.
    public var n: Int = 0
    public var score: Double?
    public var low: Double?
    public var high: Double?

    public var scorerKind: ScorerKind? { scorer.flatMap(ScorerKind.init(rawValue:)) }
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
