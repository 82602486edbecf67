// `bench` through the real binary: the reference model checks the harness, the local model runs a
// small slice, a second run resumes, and a kill -9 mid-bench loses nothing that finished.

import ArchonKit
import ArchonTestSupport
import XCTest

final class BenchTests: XCTestCase {
    var dir: TempDir!
    var db: String { dir.path("b.sqlite") }
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    func testTheReferenceModelScoresFullMarksOnMathAndHumanEval() throws {
        let r = try archon(["--db", db], stdin: "bench reference math500\nbench reference aime\nbench reference humaneval\nbench reference mixeval_hard[0:1000]\n",
                           directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("math500  311  100.0%  100.0% – 100.0%"), r.stdout)
        XCTAssertTrue(r.stdout.contains("aime        45  100.0%"), r.stdout)
        XCTAssertTrue(r.stdout.contains("humaneval  164  100.0%"), r.stdout)
        XCTAssertTrue(r.stdout.contains("mixeval_hard[0:1000]  1000  100.0%"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[1] bench reference · math scorer · 311 scored now, 0 resumed · 0 calls"), r.stdout)
    }

    func testTheLocalModelOnASliceThenResume() throws {
        let script = "model tiny = local/smollm2 temperature=0 max_tokens=64\nbench tiny math500[0:3]\nbench tiny math500[0:3]\nbench tiny humaneval[0:2]\nbench tiny mt_bench[0:2]\n"
        let r = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 1, "mt_bench has no scorer yet")
        XCTAssertTrue(r.stdout.contains("[2] bench tiny · math scorer · 3 scored now, 0 resumed · 3 calls"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[3] bench tiny · math scorer · 0 scored now, 3 resumed · 0 calls"), r.stdout)
        XCTAssertTrue(r.stdout.contains("math500[0:3]  3"), r.stdout)
        XCTAssertTrue(r.stdout.contains("note: n = 3 is small"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[4] bench tiny · code scorer · 2 scored now"), r.stdout)
        XCTAssertTrue(r.stdout.contains("error: bench mt_bench needs the mt_bench_judge scorer, which is not built yet"), r.stdout)
        let store = try SessionStore(path: db)
        XCTAssertEqual(try store.session(1).calls, 5, "the resumed bench paid for nothing")
    }

    func testKill9MidBenchThenResume() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let script = "model f = compatible/echo base_url=\(server.baseURL("slow-300")) max_concurrency=2\nbench f math500[0:20]\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: archonBinary)
        p.arguments = ["--db", db]
        p.currentDirectoryURL = repositoryRoot
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        var scored = 0
        let deadline = Date().addingTimeInterval(20)
        while scored < 6, Date() < deadline {
            usleep(100_000)
            scored = (try? SessionStore(path: db).calls(session: 1).count) ?? 0
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let calls = try SessionStore(path: db).calls(session: 1).count
        XCTAssertLessThan(calls, 20)
        let before = try server.stats().requests
        let again = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(again.status, 0, again.stdout)
        XCTAssertTrue(again.stdout.contains("math500[0:20]  20"), again.stdout)
        XCTAssertEqual(try server.stats().requests - before, 20 - calls, "finished items and calls were not paid for again")
    }
}
