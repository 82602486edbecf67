// Replay: offline from the recording (byte for byte, no network), live with differences shown,
// the shipped tour session, and replay, rerun and fork inside the REPL.

import ArchonKit
import ArchonTestSupport
import XCTest

final class ReplayTests: XCTestCase {
    var dir: TempDir!
    var db: String { dir.path("r.sqlite") }
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    /// Runs `args` with no network at all (a new network namespace) when the kernel allows it.
    func withoutNetwork(_ args: [String], environment: [String: String]) throws -> ProcessOutput {
        let probe = try runProcess("/usr/bin/unshare", ["-n", "true"])
        guard probe.status == 0 else { throw XCTSkip("unshare -n is not permitted here") }
        var env = environment
        env["ARCHON_HISTORY"] = dir.path("h")
        return try runProcess("/usr/bin/unshare", ["-n", archonBinary] + args, environment: env, directory: dir.url.path)
    }

    func testTheShippedTourSessionReplaysOfflineWithNoNetworkAndNoModel() throws {
        let shipped = repositoryRoot.appendingPathComponent("sessions/tour.jsonl").path
        let imported = try archon(["import", shipped, "--db", db])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        // The archive is lossless, scored benchmark items included.
        let text = try String(contentsOfFile: shipped, encoding: .utf8)
        XCTAssertTrue(text.contains(#""kind":"benchItem""#), "the shipped session carries its bench items")
        XCTAssertEqual(try archon(["export", "1", "--format", "jsonl", "--db", db]).stdout, text, "import → export gives the file back")
        XCTAssertEqual(try SessionStore(path: db).benchItems(session: 1).count, 4, "3 MATH500 items and 1 MT-Bench item")
        // A format-1 archive (before bench items were exported) still imports.
        let old = text.split(separator: "\n").filter { !$0.contains(#""kind":"benchItem""#) && !$0.contains(#""kind":"benchRun""#) }
            .joined(separator: "\n").replacingOccurrences(of: #""format":3"#, with: #""format":1"#)
        try old.write(toFile: dir.path("old.jsonl"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try archon(["import", dir.path("old.jsonl"), "--db", dir.path("old.sqlite")]).status, 0)
        // Runs, and calls tied to items, travel with the session.
        let runs = try SessionStore(path: db).benchRuns()
        XCTAssertEqual(runs.map(\.title), ["bench tiny math500", "bench tiny mt_bench judge=judge"])
        XCTAssertEqual(try SessionStore(path: db).calls(session: 1).filter { $0.itemId != nil }.count, 3 + 4, "3 MATH500 answers, MT-Bench's 2 answers and 2 judgements")
        // The format-2 file shipped before runs were stored imports, its runs derived from its bench lines.
        let format2 = repositoryRoot.appendingPathComponent("Tests/Fixtures/databases/tour-format2.jsonl").path
        XCTAssertEqual(try archon(["import", format2, "--db", dir.path("f2.sqlite")]).status, 0)
        let derived = try SessionStore(path: dir.path("f2.sqlite")).benchRuns()
        XCTAssertEqual(derived.map(\.title), ["bench tiny math500", "bench tiny mt_bench judge=judge"])
        XCTAssertEqual(derived.map(\.scorer), ["math", "judge"])
        XCTAssertEqual(derived.map(\.key), runs.map(\.key), "the same identity as the runs stored today")
        let r = try withoutNetwork(["replay", "1", "--offline", "--db", db], environment: ["ARCHON_VENV": dir.path("no-venv")])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("(offline): 16 identical, 0 different"), r.stdout)
        XCTAssertTrue(r.stdout.contains("bench tiny · math scorer · 3 scored now"), "the bench cell replayed:\n\(r.stdout)")
        XCTAssertFalse(r.stdout.contains("≠"))
    }

    func testOfflineReplayIsByteIdenticalAndLiveReplayShowsDifferences() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let script = """
            model tiny = local/smollm2 temperature=0 max_tokens=24
            model c = compatible/echo base_url=\(server.baseURL("counter"))
            ask tiny "Name a planet."
            arch a = gen(tiny) + gen(c, samples=2) | rank(tiny, top_k=2) | fuse(tiny)
            ask a "Name a colour."
            show 5
            ask c "count me"
            aks typo
            help

            """
        let recorded = try archon(["--db", db], stdin: script)
        XCTAssertEqual(recorded.status, 1, "the typo fails, the rest runs")
        let offline = try withoutNetwork(["replay", "1", "--offline", "--db", db], environment: ["ARCHON_VENV": dir.path("no-venv")])
        XCTAssertEqual(offline.status, 0, offline.stdout + offline.stderr)
        XCTAssertTrue(offline.stdout.contains("replayed 9 cells of session 1 as session 2 (offline): 9 identical, 0 different"), offline.stdout)
        let store = try SessionStore(path: db)
        XCTAssertEqual(try store.cells(session: 1).map(\.output), try store.cells(session: 2).map(\.output), "byte for byte")
        XCTAssertEqual(try store.session(2).calls, try store.session(1).calls)

        let live = try archon(["replay", "1", "--db", db])
        XCTAssertEqual(live.status, 1, "the counter model answers differently now")
        XCTAssertTrue(live.stdout.contains("≠ differs from the recording — line 1: recorded echo: count me #"), live.stdout)
        XCTAssertTrue(live.stdout.contains("different"), live.stdout)
        XCTAssertTrue(try store.calls(session: 3).allSatisfy { !$0.cached }, "a live replay calls the models")
    }

    func testAnOfflineCallThatWasNeverRecordedIsAClearError() throws {
        let server = try FakeServer()
        defer { server.stop() }
        _ = try archon(["--db", db], stdin: "model c = compatible/echo base_url=\(server.baseURL())\nask c \"one\"\nask c \"two\"\n")
        // Drop the second call from an export, then replay that copy offline.
        let jsonl = try archon(["export", "1", "--format", "jsonl", "--db", db]).stdout
        let lines = jsonl.split(separator: "\n").filter { !$0.contains("\"content\":\"echo: two\"") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.path("cut.jsonl"), atomically: true, encoding: .utf8)
        let other = dir.path("cut.sqlite")
        XCTAssertEqual(try archon(["import", dir.path("cut.jsonl"), "--db", other]).status, 0)
        server.stop()
        let r = try archon(["replay", "1", "--offline", "--db", other])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("error: cell 3: offline replay: a call to c (compatible/echo, sample 1) asking \"two\" was never recorded"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 different"), r.stdout)
    }

    func testReplayRerunAndForkInsideTheREPL() throws {
        let server = try FakeServer()
        defer { server.stop() }
        _ = try archon(["--db", db], stdin: "model c = compatible/echo base_url=\(server.baseURL("counter"))\nask c \"a\"\nask c \"b\"\n")
        let before = try server.stats().requests
        let r = try archon(["--db", db], stdin: """
            replay 1
            fork 1:2
            models
            ask c "after the fork"
            rerun 2
            set cache refresh
            rerun 2

            """)
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("replayed 3 cells of session 1 as session 3 (offline): 3 identical, 0 different"), r.stdout)
        XCTAssertTrue(r.stdout.contains("forked session 1 at cell 2 into session 4: 2 cell(s) replayed offline; continuing live there"), r.stdout)
        XCTAssertTrue(r.stdout.contains("c     compatible/echo"), "the fork brought the model definition:\n\(r.stdout)")
        XCTAssertTrue(r.stdout.contains("echo: after the fork #"), r.stdout)
        XCTAssertEqual(try server.stats().requests - before, 2, "replay and fork served the recording; the live ask and the refreshed rerun called")
        let store = try SessionStore(path: db)
        let fork = try store.session(4)
        XCTAssertEqual(fork.kind, "fork")
        XCTAssertEqual(try store.cells(session: 4).map(\.source), ["model c = compatible/echo base_url=\(server.baseURL("counter"))", "ask c \"a\"",
                                                                  "models", "ask c \"after the fork\"", "rerun 2", "set cache refresh", "rerun 2"])
    }
}
