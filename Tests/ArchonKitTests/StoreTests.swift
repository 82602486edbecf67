// The session store on real SQLite files.

import ArchonKit
import ArchonTestSupport
import GRDB
import XCTest

final class StoreTests: XCTestCase {
    var dir: TempDir!
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    func testSessionsCellsAndCallsRoundTrip() throws {
        let path = dir.path("nested/folder/s.sqlite")
        let store = try SessionStore(path: path)
        let sid = try store.openSession(kind: "test", title: "t")
        let cell = try store.beginCell(session: sid, number: 1, source: "ask x \"hi\"")
        let call = CallRecord(modelName: "x", provider: "local", model: "smollm2", request: "{\"a\":1}",
                              response: "{}", content: "hello", promptTokens: 3, completionTokens: 5, latency: 0.25)
        try store.recordCall(call, session: sid, cell: cell)
        try store.finishCell(cell, status: "ok", output: "hello")
        try store.closeSession(sid)

        // A second connection (as another process would) sees everything, committed.
        let again = try SessionStore(path: path)
        let s = try again.session(sid)
        XCTAssertEqual(s.cells, 1)
        XCTAssertEqual(s.calls, 1)
        XCTAssertEqual(s.promptTokens, 3)
        XCTAssertEqual(s.completionTokens, 5)
        XCTAssertNotNil(s.endedAt)
        let c = try again.cell(session: sid, number: 1)
        XCTAssertEqual(c.status, "ok")
        XCTAssertEqual(c.output, "hello")
        let calls = try again.calls(cell: c.id!)
        XCTAssertEqual(calls.map(\.content), ["hello"])
        XCTAssertEqual(calls.first?.latency, 0.25)
        XCTAssertThrowsError(try again.cell(session: sid, number: 9)) { e in
            XCTAssertEqual("\(e)", "session \(sid) has no cell 9 — `archon show \(sid)` lists its cells")
        }
    }

    func testWALMode() throws {
        let path = dir.path("w.sqlite")
        _ = try SessionStore(path: path)
        let q = try DatabaseQueue(path: path)
        XCTAssertEqual(try q.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
    }

    func testNotADatabaseIsRefusedAndUntouched() throws {
        let path = dir.path("notes.sqlite")
        let content = Data("these are my notes, not a database\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: content)
        XCTAssertThrowsError(try SessionStore(path: path)) { e in
            XCTAssertTrue("\(e)".contains("is not an archon session database"), "\(e)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), content)
    }

    func testNewerSchemaIsRefusedAndUntouched() throws {
        let path = dir.path("future.sqlite")
        _ = try SessionStore(path: path)
        let q = try DatabaseQueue(path: path)
        try q.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')") }
        try q.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try q.close()
        let before = FileManager.default.contents(atPath: path)
        XCTAssertThrowsError(try SessionStore(path: path)) { e in
            XCTAssertTrue("\(e)".contains("written by a newer archon"), "\(e)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), before)
    }

    func testCellsAreCommittedAsTheyHappen() throws {
        let path = dir.path("live.sqlite")
        let store = try SessionStore(path: path)
        let sid = try store.openSession(kind: "test")
        _ = try store.beginCell(session: sid, number: 1, source: "models")
        // Read through an independent connection while the session is still open.
        let q = try DatabaseQueue(path: path)
        XCTAssertEqual(try q.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM cell WHERE status = 'running'") }, 1)
    }
}
