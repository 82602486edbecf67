// Chart data kept with the cell that produced it (JSON), read back by the HTML notebook.

import Foundation
import GRDB

extension SessionStore {
    /// Keeps a figure's data (`kind` says what it is, e.g. `ablation`) with cell `cell`.
    public func recordFigure(cell: Int64, kind: String, data: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO figure (cellId, kind, data) VALUES (?, ?, ?)", arguments: [cell, kind, data])
        }
    }

    /// The figures of a cell, in the order they were kept.
    public func figures(cell: Int64) throws -> [(kind: String, data: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, data FROM figure WHERE cellId = ? ORDER BY id", arguments: [cell]).map { ($0["kind"], $0["data"]) }
        }
    }
}
