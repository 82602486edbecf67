// The SQLite session store: sessions, cells and calls, each committed as it happens.

import Foundation
import GRDB

/// Persists every session, cell and model call to one SQLite file (WAL mode, migrations).
///
/// For example:
/// ```swift
/// let store = try SessionStore(path: "sessions/archon.sqlite")
/// let session = try store.openSession(kind: "repl")
/// ```
public final class SessionStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// The default database: `ARCHON_DB`, else `sessions/archon.sqlite` under the current folder.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = environment["ARCHON_DB"], !p.isEmpty { return p }
        return "sessions/archon.sqlite"
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// - Throws: ``StoreError/notADatabase(path:)`` for a file that is not SQLite,
    ///   ``StoreError/newerSchema(path:)`` for one written by a newer version. Neither is modified.
    public convenience init(path: String) throws {
        // Two processes opening a new database at once race to create its schema and switch it to
        // WAL; the loser sees SQLITE_BUSY/LOCKED before any busy timeout applies. Try again briefly.
        // Creating and migrating the schema happens under an exclusive lock on PATH.lock, so two
        // processes opening one new database cannot both run the same migration.
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let lock = open(path + ".lock", O_CREAT | O_RDWR, 0o644)
        if lock >= 0 { flock(lock, LOCK_EX) }
        defer {
            if lock >= 0 {
                flock(lock, LOCK_UN)
                close(lock)
            }
        }
        var attempt = 0
        while true {
            do {
                try self.init(opening: path)
                return
            } catch let e as DatabaseError where (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED) && attempt < 50 {
                attempt += 1
                usleep(100_000)
            } catch let StoreError.cannotOpen(_, reason) where (reason.contains("SQLITE_BUSY") || reason.contains("locked")) && attempt < 50 {
                attempt += 1
                usleep(100_000)
            }
        }
    }

    private init(opening path: String) throws {
        self.path = path
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !dir.isEmpty, !fm.fileExists(atPath: dir) {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create folder \(dir)")
            }
        }
        if let header = fm.contents(atPath: path)?.prefix(16), !header.isEmpty,
           header != Data("SQLite format 3\0".utf8) {
            throw StoreError.notADatabase(path: path)
        }
        // Check an existing file's schema through a read-only connection first, so a database
        // from a newer version is refused without a single byte of it being written.
        if let size = (try? fm.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            var readOnly = Configuration()
            readOnly.readonly = true
            do {
                let queue = try DatabaseQueue(path: path, configuration: readOnly)
                let superseded = try queue.read { try Self.migrator.hasBeenSuperseded($0) }
                try queue.close()
                if superseded { throw StoreError.newerSchema(path: path) }
            } catch let error as StoreError {
                throw error
            } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
                throw StoreError.notADatabase(path: path)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "\(error)")
            }
        }
        // A new database is the user's alone (answers, prompts and costs): made empty with mode 600
        // before SQLite opens it, so its -wal and -shm files get the same mode.
        if !fm.fileExists(atPath: path) {
            _ = fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        let migrator = Self.migrator
        let superseded = try pool.read { try migrator.hasBeenSuperseded($0) }
        if superseded { throw StoreError.newerSchema(path: path) }
        try migrator.migrate(pool)
        try markInterruptedCells()
    }

    /// Cells left `running` by a process that no longer exists (killed) become `interrupted`.
    func markInterruptedCells() throws {
        let running = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, pid FROM cell WHERE status = 'running'").map { (id: $0["id"] as Int64, pid: $0["pid"] as Int64?) }
        }
        let dead = running.filter { cell in
            guard let pid = cell.pid else { return true }
            return pid != Int64(getpid()) && !ProcessLiveness.isAlive(pid)
        }
        guard !dead.isEmpty else { return }
        try pool.write { db in
            for cell in dead {
                try db.execute(sql: """
                    UPDATE cell SET status = 'interrupted', finishedAt = ?,
                    output = CASE WHEN output = '' THEN 'interrupted: the process running this cell ended before it finished' ELSE output END
                    WHERE id = ? AND status = 'running'
                    """, arguments: [Date(), cell.id])
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("kind", .text).notNull()
                t.column("title", .text)
            }
            try db.create(table: "cell") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("session", onDelete: .cascade).notNull()
                t.column("number", .integer).notNull()
                t.column("source", .text).notNull()
                t.column("status", .text).notNull()
                t.column("output", .text).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.uniqueKey(["sessionId", "number"])
            }
            try db.create(table: "call") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("session", onDelete: .cascade).notNull()
                t.belongsTo("cell", onDelete: .cascade)
                t.column("modelName", .text).notNull()
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("request", .text).notNull()
                t.column("response", .text)
                t.column("content", .text)
                t.column("promptTokens", .integer)
                t.column("completionTokens", .integer)
                t.column("latency", .double).notNull()
                t.column("error", .text)
                t.column("attempts", .integer).notNull()
                t.column("layer", .integer)
                t.column("technique", .text)
                t.column("sampleIndex", .integer).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("cached", .boolean).notNull()
            }
        }
        m.registerMigration("v2-layer-traces") { db in
            try db.create(table: "layerTrace") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("cell", onDelete: .cascade).notNull()
                t.column("layer", .integer).notNull()
                t.column("technique", .text).notNull()
                t.column("trace", .text).notNull()
            }
        }
        m.registerMigration("v3-cost-attempts") { db in
            try db.alter(table: "call") { t in
                t.add(column: "cost", .double)
                t.add(column: "attemptLog", .text)
            }
        }
        m.registerMigration("v4-response-cache") { db in
            try db.alter(table: "call") { t in t.add(column: "cacheKey", .text) }
            try db.create(index: "call_cacheKey", on: "call", columns: ["cacheKey"])
        }
        m.registerMigration("v5-cell-seconds") { db in
            try db.alter(table: "cell") { t in t.add(column: "seconds", .double) }
        }
        m.registerMigration("v6-bench-items") { db in
            try db.create(table: "benchItem") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("benchKey", .text).notNull()
                t.belongsTo("session", onDelete: .cascade).notNull()
                t.belongsTo("cell", onDelete: .cascade)
                t.column("itemId", .text).notNull()
                t.column("category", .text).notNull()
                t.column("answer", .text).notNull()
                t.column("score", .double).notNull()
                t.column("detail", .text).notNull()
            }
            try db.create(index: "benchItem_key", on: "benchItem", columns: ["benchKey", "itemId"])
        }
        m.registerMigration("v7-bench-judgement") { db in
            try db.alter(table: "benchItem") { t in t.add(column: "judgement", .text) }
        }
        m.registerMigration("v8-item-claims-cell-pid") { db in
            // One row per item of a bench: two processes that ran the same bench at once left two.
            try db.execute(sql: "DELETE FROM benchItem WHERE id NOT IN (SELECT MIN(id) FROM benchItem GROUP BY benchKey, itemId)")
            try db.drop(index: "benchItem_key")
            try db.create(index: "benchItem_key", on: "benchItem", columns: ["benchKey", "itemId"], unique: true)
            // Which process is answering an item, so a second process does not pay for it again.
            try db.create(table: "benchClaim") { t in
                t.column("benchKey", .text).notNull()
                t.column("itemId", .text).notNull()
                t.column("pid", .integer).notNull()
                t.column("claimedAt", .datetime).notNull()
                t.primaryKey(["benchKey", "itemId"])
            }
            // The process running a cell, so a cell whose process died can be marked interrupted.
            try db.alter(table: "cell") { t in t.add(column: "pid", .integer) }
        }
        m.registerMigration("v9-bench-runs") { db in
            // What a bench measures, with its identity: one row per resume key.
            try db.create(table: "benchRun") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()
                t.column("label", .text).notNull()
                t.column("targetKind", .text).notNull()
                t.column("target", .text).notNull()
                t.column("dataset", .text).notNull()
                t.column("scorer", .text)
                t.column("title", .text).notNull()
                t.column("spec", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("sessionId", .integer)
                t.column("cellId", .integer)
                t.column("n", .integer).notNull().defaults(to: 0)
                t.column("score", .double)
                t.column("low", .double)
                t.column("high", .double)
            }
            try db.alter(table: "benchItem") { t in
                t.add(column: "runId", .integer).references("benchRun", onDelete: .cascade)
                t.add(column: "calls", .integer)
                t.add(column: "promptTokens", .integer)
                t.add(column: "completionTokens", .integer)
                t.add(column: "cost", .double)
                t.add(column: "unpricedCalls", .integer)
                t.add(column: "seconds", .double)
            }
            try db.alter(table: "call") { t in
                t.add(column: "itemId", .text)
                t.add(column: "benchRunId", .integer)
            }
            try db.create(index: "call_benchRun", on: "call", columns: ["benchRunId", "itemId"])
            try LegacyBenchRuns.derive(db)
        }
        m.registerMigration("v10-item-grading") { db in
            try db.alter(table: "benchItem") { t in
                t.add(column: "grading", .text)
                t.add(column: "parseFailures", .integer)
                t.add(column: "candidates", .text)
            }
            // Chart data a cell produced (an ablation study's), for the HTML notebook.
            try db.create(table: "figure") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("cellId", .integer).notNull().references("cell", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("data", .text).notNull()
            }
        }
        m.registerMigration("v11-search") { db in
            // Architecture searches and every trial they evaluated.
            try createSearchTables(db)
        }
        return m
    }

    // MARK: Writing

    /// Starts a session and returns its id.
    public func openSession(kind: String, title: String? = nil) throws -> Int64 {
        try pool.write { db in
            let row = SessionRow(id: nil, startedAt: Date(), endedAt: nil, kind: kind, title: title)
            try row.insert(db)
            return db.lastInsertedRowID
        }
    }

    public func closeSession(_ id: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE session SET endedAt = ? WHERE id = ?", arguments: [Date(), id])
        }
    }

    /// Records a cell as running and returns its row id.
    public func beginCell(session: Int64, number: Int, source: String) throws -> Int64 {
        try pool.write { db in
            let text = Secrets.redact(source)
            let row = CellRow(id: nil, sessionId: session, number: number, source: text, status: "running",
                              output: "", startedAt: Date(), finishedAt: nil)
            try row.insert(db)
            let id = db.lastInsertedRowID
            try db.execute(sql: "UPDATE cell SET pid = ? WHERE id = ?", arguments: [Int64(getpid()), id])
            // SQLite's text functions end a string at a NUL: such a source is kept as UTF-8 bytes, which
            // read back whole.
            if text.utf8.contains(0) {
                try db.execute(sql: "UPDATE cell SET source = ? WHERE id = ?", arguments: [Data(text.utf8), id])
            }
            return id
        }
    }

    /// Records how a cell ended; `seconds` is its duration as reported (a replay reports the recorded one).
    public func finishCell(_ id: Int64, status: String, output: String, seconds: Double? = nil) throws {
        try pool.write { db in
            // SQLite's text functions end a string at a NUL: such an output is kept as UTF-8 bytes.
            let text = Secrets.redact(output)
            let stored: DatabaseValueConvertible = text.utf8.contains(0) ? Data(text.utf8) : text
            try db.execute(sql: "UPDATE cell SET status = ?, output = ?, finishedAt = ?, seconds = ? WHERE id = ?",
                           arguments: [status, stored, Date(), seconds, id])
        }
    }

    /// Writes one call row.
    @discardableResult
    public func recordCall(_ call: CallRecord, session: Int64, cell: Int64?) throws -> Int64 {
        try pool.write { db in try Self.insert(call, session: session, cell: cell, db) }
    }

    /// Writes calls of possibly different cells in one transaction (a batch of finished calls).
    public func recordCalls(_ calls: [(CallRecord, Int64?)], session: Int64) throws {
        guard !calls.isEmpty else { return }
        try pool.write { db in for (c, cell) in calls { _ = try Self.insert(c, session: session, cell: cell, db) } }
    }

    /// Writes several call rows in one transaction (an offline replay's calls, at the end of a cell).
    public func recordCalls(_ calls: [CallRecord], session: Int64, cell: Int64?) throws {
        guard !calls.isEmpty else { return }
        try pool.write { db in for c in calls { _ = try Self.insert(c, session: session, cell: cell, db) } }
    }

    /// What stands in a stored response body for its answer, which the `content` column holds.
    static let contentMark = #"{"archon_stored_once":"content"}"#

    /// A response body whose answer text appears in it exactly as JSON would write it is stored with
    /// that text replaced by `contentMark`, so a long answer is stored once (in `content`); reading
    /// puts it back byte for byte. Bodies where it does not appear so are stored whole.
    static func compact(response: String?, content: String?) -> String? {
        guard let response, let content, content.utf8.count >= 256, !response.contains(contentMark) else { return response }
        for options: JSONSerialization.WritingOptions in [[.withoutEscapingSlashes], []] {
            guard let data = try? JSONSerialization.data(withJSONObject: [content], options: options) else { continue }
            let quoted = String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
            if let range = response.range(of: quoted), response.range(of: quoted, range: range.upperBound..<response.endIndex) == nil {
                return response.replacingCharacters(in: range, with: contentMark + (options.isEmpty ? "e" : "s"))
            }
        }
        return response
    }

    /// The stored body with its answer put back.
    static func expand(response: String?, content: String?) -> String? {
        guard let response, let content, let mark = response.range(of: contentMark) else { return response }
        let kind = response[mark.upperBound...].first
        let options: JSONSerialization.WritingOptions = kind == "s" ? [.withoutEscapingSlashes] : []
        guard let data = try? JSONSerialization.data(withJSONObject: [content], options: options) else { return response }
        let quoted = String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        let end = kind == nil ? mark.upperBound : response.index(after: mark.upperBound)
        return response.replacingCharacters(in: mark.lowerBound..<end, with: quoted)
    }

    static func insert(_ call: CallRecord, session: Int64, cell: Int64?, _ db: Database) throws -> Int64 {
        let row = CallRow(id: nil, sessionId: session, cellId: cell, modelName: call.modelName,
                          provider: call.provider, model: call.model, request: Secrets.redact(call.request),
                          response: Secrets.redact(compact(response: call.response, content: call.content)),
                          content: Secrets.redact(call.content),
                          promptTokens: call.promptTokens,
                          completionTokens: call.completionTokens, latency: call.latency, error: Secrets.redact(call.error),
                          attempts: call.attempts, layer: call.layer, technique: call.technique,
                          sampleIndex: call.sampleIndex, startedAt: call.startedAt, cached: call.cached,
                          cost: call.cost, attemptLog: Secrets.redact(call.attemptLog), cacheKey: call.cacheKey,
                          itemId: call.item?.item, benchRunId: call.item?.run)
        try row.insert(db)
        let id = db.lastInsertedRowID
        if call.content?.utf8.contains(0) == true || call.response?.utf8.contains(0) == true {
            try db.execute(sql: "UPDATE call SET content = ?, response = ? WHERE id = ?",
                           arguments: [row.content.map { Data($0.utf8) }, row.response.map { Data($0.utf8) }, id])
        }
        return id
    }

    /// Writes what one layer of an architecture did in a cell: its number, technique and trace (JSON).
    public func recordLayer(_ layer: StoredLayer, cell: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO layerTrace (cellId, layer, technique, trace) VALUES (?, ?, ?, ?)",
                           arguments: [cell, layer.layer, layer.technique, layer.trace])
        }
    }

    // MARK: Reading

    /// The layers a cell recorded, in order.
    public func layers(cell: Int64) throws -> [StoredLayer] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT layer, technique, trace FROM layerTrace WHERE cellId = ? ORDER BY layer", arguments: [cell])
                .map { StoredLayer(layer: $0["layer"], technique: $0["technique"], trace: $0["trace"]) }
        }
    }

    public func sessions() throws -> [SessionSummary] {
        try pool.read { db in
            try SessionSummary.fetchAll(db, sql: """
                SELECT s.id, s.startedAt, s.endedAt, s.kind, s.title,
                  (SELECT COUNT(*) FROM cell c WHERE c.sessionId = s.id) AS cells,
                  (SELECT COUNT(*) FROM call k WHERE k.sessionId = s.id) AS calls,
                  (SELECT COALESCE(SUM(promptTokens), 0) FROM call k WHERE k.sessionId = s.id) AS promptTokens,
                  (SELECT COALESCE(SUM(completionTokens), 0) FROM call k WHERE k.sessionId = s.id) AS completionTokens,
                  (SELECT COUNT(*) FROM cell c WHERE c.sessionId = s.id AND c.status != 'ok') AS errors,
                  (SELECT COALESCE(SUM(cost), 0) FROM call k WHERE k.sessionId = s.id AND NOT k.cached) AS cost,
                  (SELECT COUNT(*) FROM call k WHERE k.sessionId = s.id AND k.cost IS NULL AND NOT k.cached
                     AND k.error IS NULL) AS unpricedCalls,
                  (SELECT COUNT(*) FROM call k WHERE k.sessionId = s.id AND k.cached) AS cachedCalls,
                  (SELECT COALESCE(SUM(COALESCE(promptTokens, 0) + COALESCE(completionTokens, 0)), 0)
                     FROM call k WHERE k.sessionId = s.id AND k.cached) AS savedTokens,
                  (SELECT COALESCE(SUM(cost), 0) FROM call k WHERE k.sessionId = s.id AND k.cached) AS savedCost
                FROM session s ORDER BY s.id
                """)
        }
    }

    public func sessionRow(_ id: Int64) throws -> SessionRow {
        guard let row = try pool.read({ try SessionRow.fetchOne($0, key: id) }) else { throw StoreError.noSuchSession(id) }
        return row
    }

    /// Writes an imported session in one transaction and returns its new id.
    public func importSession(header: (startedAt: Date, endedAt: Date?, kind: String, title: String?),
                              cells: [(number: Int, source: String, status: String, output: String, startedAt: Date,
                                       finishedAt: Date?, seconds: Double?, layers: [StoredLayer])],
                              calls: [(cell: Int?, row: CallRow, runKey: String?)], benchItems: [(cell: Int?, row: BenchItemRow)] = [],
                              benchRuns: [BenchRunRow] = [], figures: [(cell: Int, kind: String, data: String)] = []) throws -> Int64 {
        try pool.write { db in
            try SessionRow(id: nil, startedAt: header.startedAt, endedAt: header.endedAt, kind: header.kind, title: header.title).insert(db)
            let sid = db.lastInsertedRowID
            var ids: [Int: Int64] = [:]
            for c in cells {
                try CellRow(id: nil, sessionId: sid, number: c.number, source: c.source, status: c.status, output: c.output,
                            startedAt: c.startedAt, finishedAt: c.finishedAt, seconds: c.seconds).insert(db)
                let cid = db.lastInsertedRowID
                ids[c.number] = cid
                for l in c.layers {
                    try db.execute(sql: "INSERT INTO layerTrace (cellId, layer, technique, trace) VALUES (?, ?, ?, ?)",
                                   arguments: [cid, l.layer, l.technique, l.trace])
                }
            }
            for f in figures {
                guard let cid = ids[f.cell] else { continue }  // the importer refuses a figure without its cell
                try Self.insertFigure(db, cell: cid, kind: f.kind, data: f.data)
            }
            // A run's `cellId` is the cell's number in the file; it becomes the new cell's id.
            for run in benchRuns {
                var r = run
                r.sessionId = sid
                r.cellId = run.cellId.flatMap { ids[Int($0)] }
                try r.insert(db, onConflict: .ignore)
            }
            // Runs by key (the file's, or one this database already had).
            var runIDs: [String: Int64] = [:]
            for key in Set(benchRuns.map(\.key) + calls.compactMap(\.runKey) + benchItems.map(\.row.benchKey)) {
                runIDs[key] = try Int64.fetchOne(db, sql: "SELECT id FROM benchRun WHERE key = ?", arguments: [key])
            }
            for (cell, row, runKey) in calls {
                var r = row
                r.sessionId = sid
                r.cellId = cell.flatMap { ids[$0] }
                r.benchRunId = r.itemId == nil ? nil : runKey.flatMap { runIDs[$0] }
                try r.insert(db)
            }
            for (cell, row) in benchItems {
                var r = row
                r.sessionId = sid
                r.cellId = cell.flatMap { ids[$0] }
                r.runId = runIDs[r.benchKey]
                try r.insert(db, onConflict: .ignore)
            }
            // Files written before bench runs were stored: their runs are derived from the bench lines.
            try LegacyBenchRuns.derive(db)
            return sid
        }
    }

    public func session(_ id: Int64) throws -> SessionSummary {
        guard let s = try sessions().first(where: { $0.id == id }) else { throw StoreError.noSuchSession(id) }
        return s
    }

    public func cells(session: Int64) throws -> [CellRow] {
        try pool.read { db in
            try CellRow.filter(Column("sessionId") == session).order(Column("number")).fetchAll(db)
        }
    }

    public func cell(session: Int64, number: Int) throws -> CellRow {
        let row = try pool.read { db in
            try CellRow.filter(Column("sessionId") == session && Column("number") == number).fetchOne(db)
        }
        guard let row else { throw StoreError.noSuchCell(session: session, cell: number) }
        return row
    }

    public func cellRow(id: Int64) throws -> CellRow? {
        try pool.read { db in try CellRow.fetchOne(db, key: id) }
    }

    public func calls(cell: Int64) throws -> [CallRow] {
        try pool.read { db in try Self.wholeText(try CallRow.filter(Column("cellId") == cell).order(Column("id")).fetchAll(db), db) }
    }

    public func calls(session: Int64) throws -> [CallRow] {
        try pool.read { db in try Self.wholeText(try CallRow.filter(Column("sessionId") == session).order(Column("id")).fetchAll(db), db) }
    }

    /// Calls whose answer held a NUL were stored as UTF-8 bytes: read those columns whole.
    static func wholeText(_ rows: [CallRow], _ db: Database) throws -> [CallRow] {
        let rows = rows.map { row in
            var r = row
            r.response = expand(response: r.response, content: r.content)
            return r
        }
        let blobs = try Row.fetchAll(db, sql: "SELECT id, content, response FROM call WHERE typeof(content) = 'blob' OR typeof(response) = 'blob'")
        guard !blobs.isEmpty else { return rows }
        var byID: [Int64: (String?, String?)] = [:]
        for b in blobs {
            func text(_ c: String) -> String? {
                let v: DatabaseValue = b[c]
                if case let .blob(d) = v.storage { return String(decoding: d, as: UTF8.self) }
                return b[c]
            }
            byID[b["id"]] = (text("content"), expand(response: text("response"), content: text("content")))
        }
        return rows.map { row in
            guard let id = row.id, let whole = byID[id] else { return row }
            var r = row
            (r.content, r.response) = whole
            return r
        }
    }
}

extension SessionStore: ResponseCache {
    /// The newest successful answer recorded for `key`, in any session of this database.
    public func lookup(_ key: String) -> CachedResponse? {
        let row = try? pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT response, content, promptTokens, completionTokens, cost FROM call
                WHERE cacheKey = ? AND error IS NULL AND response IS NOT NULL ORDER BY id DESC LIMIT 1
                """, arguments: [key])
        }
        guard let row else { return nil }
        let content: String = row["content"] ?? ""
        let response = ChatResponse(content: content, promptTokens: row["promptTokens"],
                                    completionTokens: row["completionTokens"], raw: Self.expand(response: row["response"], content: content) ?? "")
        return CachedResponse(response: response, cost: row["cost"])
    }
}

extension CallRecord {
    /// The record a stored call row was written from (for replay).
    public init(row k: CallRow) {
        self.init(modelName: k.modelName, provider: k.provider, model: k.model, request: k.request, response: k.response,
                  content: k.content, promptTokens: k.promptTokens, completionTokens: k.completionTokens, latency: k.latency,
                  error: k.error, attempts: k.attempts, layer: k.layer, technique: k.technique, sampleIndex: k.sampleIndex,
                  startedAt: k.startedAt, cached: k.cached)
        cost = k.cost
        attemptLog = k.attemptLog
        cacheKey = k.cacheKey
    }
}

/// One scored benchmark item, as stored (so a bench run again with the same key resumes).
public struct BenchItemRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "benchItem"
    public var id: Int64?
    public var benchKey: String
    public var sessionId: Int64
    public var cellId: Int64?
    public var itemId: String
    public var category: String
    public var answer: String
    public var score: Double
    public var detail: String
    /// What a judge said (JSON of `Judgement`); nil for scorers without a judge.
    public var judgement: String?
    /// The bench run it belongs to.
    public var runId: Int64? = nil
    /// What answering and judging it cost: calls, tokens, dollars (unpriced calls counted apart) and
    /// its wall time. Nil for items stored before this was kept.
    public var calls: Int? = nil
    public var promptTokens: Int? = nil
    public var completionTokens: Int? = nil
    public var cost: Double? = nil
    public var unpricedCalls: Int? = nil
    public var seconds: Double? = nil
    /// Who graded it where a rule may leave answers to a judge (MixEval, match); nil elsewhere.
    public var grading: Grading? = nil
    /// An architecture's parse fallbacks on the item (all samples), and what each layer put out on
    /// its first sample (JSON of `[ItemLayer]`), for diagnostics; nil for other targets.
    public var parseFailures: Int? = nil
    public var candidates: String? = nil

    /// Each layer's output (see `candidates`).
    public var layers: [ItemLayer]? {
        candidates.flatMap { try? JSONDecoder().decode([ItemLayer].self, from: Data($0.utf8)) }
    }
}

/// What one layer of an architecture put out on a bench item: its candidates' texts, and for a
/// unit-test evaluator its verdicts per input candidate and test.
public struct ItemLayer: Codable, Sendable, Equatable {
    public var out: [String]
    public var verdicts: [[Bool?]]?

    public init(out: [String], verdicts: [[Bool?]]? = nil) {
        self.out = out
        self.verdicts = verdicts
    }
}

extension SessionStore {
    public func recordBenchItem(_ row: BenchItemRow) throws {
        var row = row
        row.answer = Secrets.redact(row.answer)
        row.detail = Secrets.redact(row.detail)
        let stored = row
        try pool.write { db in
            // One row per item: a row another process stored first is kept.
            try stored.insert(db, onConflict: .ignore)
            try db.execute(sql: "DELETE FROM benchClaim WHERE benchKey = ? AND itemId = ?", arguments: [stored.benchKey, stored.itemId])
        }
    }

    /// The run stored under `row.key`, created from `row` when there is none; an existing run takes
    /// `row`'s label, title, session and cell (where it was evaluated last).
    public func openBenchRun(_ row: BenchRunRow) throws -> BenchRunRow {
        try pool.write { db in
            if var existing = try BenchRunRow.filter(Column("key") == row.key).fetchOne(db) {
                (existing.label, existing.title, existing.updatedAt) = (row.label, row.title, Date())
                (existing.sessionId, existing.cellId) = (row.sessionId, row.cellId ?? existing.cellId)
                if existing.scorer == nil { existing.scorer = row.scorer }
                if existing.targetKind == "unknown" { (existing.targetKind, existing.target, existing.spec) = (row.targetKind, row.target, row.spec) }
                try existing.update(db)
                return existing
            }
            var r = row
            try r.insert(db)
            r.id = db.lastInsertedRowID
            return r
        }
    }

    /// The run stored under `key`.
    public func benchRun(key: String) throws -> BenchRunRow? {
        try pool.read { db in try BenchRunRow.filter(Column("key") == key).fetchOne(db) }
    }

    /// Every stored run, oldest first.
    public func benchRuns() throws -> [BenchRunRow] {
        try pool.read { db in try BenchRunRow.order(Column("id")).fetchAll(db) }
    }

    /// The items stored in a run, in the order they finished.
    public func benchItems(run: Int64) throws -> [BenchItemRow] {
        try pool.read { db in try BenchItemRow.filter(Column("runId") == run).order(Column("id")).fetchAll(db) }
    }

    /// Keeps a run's summary over every stored item.
    public func updateBenchRunSummary(_ run: Int64, _ summary: BenchSummary?) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE benchRun SET n = ?, score = ?, low = ?, high = ?, updatedAt = ? WHERE id = ?",
                           arguments: [summary?.n ?? 0, summary?.score, summary?.low, summary?.high, Date(), run])
        }
    }

    /// Who answers an item of a bench.
    public enum Claim: Sendable, Equatable {
        /// This process answers it.
        case mine
        /// Already stored.
        case done
        /// Another live process is answering it.
        case taken(pid: Int32)
    }

    /// Claims an item for this process unless it is stored or a live process has claimed it.
    public func claimBenchItem(key: String, item: String) throws -> Claim {
        try pool.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM benchItem WHERE benchKey = ? AND itemId = ?", arguments: [key, item]) != nil {
                return .done
            }
            let me = Int64(getpid())
            if let other = try Int64.fetchOne(db, sql: "SELECT pid FROM benchClaim WHERE benchKey = ? AND itemId = ?", arguments: [key, item]),
               other != me, ProcessLiveness.isAlive(other) {
                return .taken(pid: Int32(other))
            }
            try db.execute(sql: "INSERT OR REPLACE INTO benchClaim (benchKey, itemId, pid, claimedAt) VALUES (?, ?, ?, ?)",
                           arguments: [key, item, me, Date()])
            return .mine
        }
    }

    /// Gives up this process's claim on an item (its calls failed, or the bench was cancelled).
    public func releaseBenchItem(key: String, item: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM benchClaim WHERE benchKey = ? AND itemId = ? AND pid = ?",
                           arguments: [key, item, Int64(getpid())])
        }
    }

    /// Items scored in a session, in the order they finished.
    public func benchItems(session: Int64) throws -> [BenchItemRow] {
        try pool.read { db in try BenchItemRow.filter(Column("sessionId") == session).order(Column("id")).fetchAll(db) }
    }

    /// Items scored in one cell, in the order they finished.
    public func benchItems(cell: Int64) throws -> [BenchItemRow] {
        try pool.read { db in try BenchItemRow.filter(Column("cellId") == cell).order(Column("id")).fetchAll(db) }
    }

    /// Items already scored under `key`, by item id (the newest wins).
    public func benchItems(key: String) throws -> [String: BenchItemRow] {
        let rows = try pool.read { db in
            try BenchItemRow.filter(Column("benchKey") == key).order(Column("id")).fetchAll(db)
        }
        var out: [String: BenchItemRow] = [:]
        for r in rows { out[r.itemId] = r }
        return out
    }
}
