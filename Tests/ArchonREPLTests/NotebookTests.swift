// Sessions outside the REPL: export to Markdown/HTML/JSONL, import, two processes on one database,
// and kill -9 in the middle of a cell.

import ArchonKit
import ArchonTestSupport
import XCTest

final class NotebookTests: XCTestCase {
    var dir: TempDir!
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    func testExportImportRoundTripAndNotebooksCarryNoKeys() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let secret = "sk-export-\(UUID().uuidString)"
        let db = dir.path("a.sqlite")
        let script = """
            model tiny = local/smollm2 temperature=0 max_tokens=16
            model f = compatible/echo base_url=\(server.baseURL()) api_key_env=EXPORT_KEY
            ask tiny "Say hi."
            arch a = gen(f, samples=2) | rank(tiny, top_k=1)
            ask a "<b>bold & html</b>"
            aks typo

            """
        let run = try archon(["--db", db], stdin: script, environment: ["EXPORT_KEY": secret])
        XCTAssertEqual(run.status, 1, run.stdout)
        let jsonl = try archon(["export", "1", "--format", "jsonl", "--db", db])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        XCTAssertEqual(jsonl.stdout.split(separator: "\n").count, 1 + 6 + 4, "header, 6 cells, 4 calls")
        let file = dir.path("s.jsonl")
        try jsonl.stdout.write(toFile: file, atomically: true, encoding: .utf8)

        let other = dir.path("b.sqlite")
        let imported = try archon(["import", file, "--db", other])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stdout, "imported \(file) as session 1: 6 cells, 4 calls\n")
        let again = try archon(["export", "1", "--format", "jsonl", "--db", other])
        XCTAssertEqual(again.stdout, jsonl.stdout, "export → import → export is lossless")
        let shownA = try archon(["show", "1:5", "--db", db]).stdout
        let shownB = try archon(["show", "1:5", "--db", other]).stdout
        XCTAssertEqual(shownA, shownB)

        let md = try archon(["export", "1", "--format", "md", "--db", db]).stdout
        XCTAssertTrue(md.hasPrefix("# Session 1\n"), md)
        XCTAssertTrue(md.contains("## [3] ok\n\n```\nask tiny \"Say hi.\"\n```"), md)
        XCTAssertTrue(md.contains("<details><summary>layer traces</summary>"))
        XCTAssertTrue(md.contains("## [6] error"))
        let htmlFile = dir.path("s.html")
        let html = try archon(["export", "1", "--format", "html", "-o", htmlFile, "--db", db])
        XCTAssertEqual(html.status, 0, html.stderr)
        let page = try String(contentsOfFile: htmlFile, encoding: .utf8)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("&lt;b&gt;bold &amp; html&lt;/b&gt;"), "outputs are escaped")
        XCTAssertFalse(page.contains("<script"))
        XCTAssertFalse(page.contains("src=") || page.contains("<link"), "self-contained")
        for text in [jsonl.stdout, md, page] { XCTAssertFalse(text.contains(secret), "an export holds the key") }

        try "not json\n".write(toFile: dir.path("bad.jsonl"), atomically: true, encoding: .utf8)
        let bad = try archon(["import", dir.path("bad.jsonl"), "--db", other])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("bad.jsonl:1: not an archon session export"), bad.stderr)
        XCTAssertEqual(try SessionStore(path: other).sessions().count, 1, "a failed import adds nothing")
        let missing = try archon(["export", "9", "--db", db])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no session 9"), missing.stderr)
    }

    func testTwoProcessesShareOneDatabase() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let db = dir.path("shared.sqlite")
        let script = "model f = compatible/echo base_url=\(server.baseURL("slow-20"))\narch a = gen(f, samples=40)\nask a \"x\"\nask f \"y\"\n"
        let group = DispatchGroup()
        let results = PieceBoxes()
        for n in 0..<2 {
            group.enter()
            DispatchQueue.global().async {
                let r = try? archon(["--db", db], stdin: script.replacingOccurrences(of: "\"x\"", with: "\"x\(n)\""))
                results.set(n, r)
                group.leave()
            }
        }
        group.wait()
        for n in 0..<2 { XCTAssertEqual(results.get(n)?.status, 0, results.get(n)?.stdout ?? "no result") }
        let sessions = try SessionStore(path: db).sessions()
        XCTAssertEqual(sessions.count, 2)
        XCTAssertEqual(sessions.map(\.calls), [41, 41])
    }

    func testKill9MidCellKeepsFinishedCallsAndTheRerunDoesNotPayForThem() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let db = dir.path("k.sqlite")
        let script = "model f = compatible/echo base_url=\(server.baseURL("slow-300")) max_concurrency=1\narch a = gen(f, samples=8)\nask a \"long job\"\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: archonBinary)
        p.arguments = ["--db", db]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        let deadline = Date().addingTimeInterval(20)
        var recorded = 0
        while recorded < 3, Date() < deadline {
            usleep(100_000)
            recorded = (try? SessionStore(path: db).sessions().first?.calls) ?? 0
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let store = try SessionStore(path: db)
        let calls = try store.calls(session: 1)
        XCTAssertGreaterThanOrEqual(calls.count, 3)
        XCTAssertLessThan(calls.count, 8, "killed before the cell finished")
        XCTAssertTrue(calls.allSatisfy { $0.response != nil && $0.error == nil }, "every recorded call is complete")
        XCTAssertEqual(try store.cells(session: 1).last?.status, "interrupted", "the next process to open the database marks the killed cell interrupted")
        let before = try server.stats().requests

        let rerun = try archon(["--db", db], stdin: script)
        XCTAssertEqual(rerun.status, 0, rerun.stdout)
        XCTAssertTrue(rerun.stdout.contains("\(calls.count) from cache"), rerun.stdout)
        XCTAssertEqual(try server.stats().requests - before, 8 - calls.count, "only the calls that never finished were paid for")
    }
}

final class PieceBoxes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: ProcessOutput] = [:]
    func set(_ n: Int, _ v: ProcessOutput?) { lock.withLock { values[n] = v } }
    func get(_ n: Int) -> ProcessOutput? { lock.withLock { values[n] } }
}
