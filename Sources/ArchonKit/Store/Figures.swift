// Chart data kept with the cell that produced it (JSON), read back by the HTML notebook.

import Foundation
import GRDB

extension SessionStore {
    /// Keeps a figure's data (`kind` says what it is, e.g. `ablation`) with cell `cell`.
    public func recordFigure(cell: Int64, kind: String, data: String) throws {
        try pool.write { db in try Self.insertFigure(db, cell: cell, kind: kind, data: data) }
    }

    static func insertFigure(_ db: Database, cell: Int64, kind: String, data: String) throws {
        try db.execute(sql: "INSERT INTO figure (cellId, kind, data) VALUES (?, ?, ?)", arguments: [cell, kind, data])
    }

    /// The figures of a cell, in the order they were kept.
    public func figures(cell: Int64) throws -> [(kind: String, data: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, data FROM figure WHERE cellId = ? ORDER BY id", arguments: [cell]).map { ($0["kind"], $0["data"]) }
        }
    }

    /// The figures of every cell of a session, by cell id, each cell's in the order they were kept.
    public func figures(session: Int64) throws -> [Int64: [(kind: String, data: String)]] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.cellId, f.kind, f.data FROM figure f JOIN cell c ON c.id = f.cellId
                WHERE c.sessionId = ? ORDER BY f.id
                """, arguments: [session])
            return Dictionary(grouping: rows, by: { $0["cellId"] as Int64 }).mapValues { $0.map { ($0["kind"], $0["data"]) } }
        }
    }
}
