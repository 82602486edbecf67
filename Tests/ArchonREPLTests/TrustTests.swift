// The reproductions of hostile testing through the real binary: hangs, unbounded work, what the
// terminal and the database receive, and durability across processes and kills.

import ArchonKit
import ArchonTestSupport
import Foundation
import XCTest

final class TrustTests: XCTestCase {
    var dir: TempDir!
    var server: FakeServer!
    var db: String { dir.path("t.sqlite") }

    override func setUpWithError() throws {
        dir = TempDir()
        server = try FakeServer()
    }

    override func tearDown() {
        server.stop()
        dir.remove()
    }

    /// Starts archon reading from a pipe this test writes to.
    func startPiped(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, FileHandle, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: archonBinary)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ARCHON_HISTORY"] = dir.path("history")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = output
        try p.run()
        return (p, input.fileHandleForWriting, output)
    }

    func waitForExit(_ p: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning, Date() < deadline { usleep(50_000) }
        return !p.isRunning
    }

    // MARK: Hangs and unbounded work

    func testPipedModeExitsAtEndOfInputAfterACtrlC() throws {
        let (p, input, output) = try startPiped(["--db", db])
        input.write(Data("model x = compatible/e base_url=\(server.baseURL("hang"))\nask x \"hi\"\n".utf8))
        usleep(1_500_000)
        kill(p.processIdentifier, SIGINT)
        usleep(500_000)
        input.write(Data("model y = compatible/e base_url=\(server.baseURL())\nask y \"after\"\n".utf8))
        try input.close()
        let exited = waitForExit(p, seconds: 10)
        if !exited { p.terminate() }
        XCTAssertTrue(exited, "archon exits at the end of its input after a Ctrl-C")
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(text.contains("echo: after"), text)
    }

    func testAForkMayNotIncludeItselfOrCellsThatDoNotExist() throws {
        let r = try archon(["--db", db], stdin: "model x = compatible/e base_url=\(server.baseURL())\nfork 1:2\nfork 1:99999\nfork 1:1\n")
        XCTAssertTrue(r.stdout.contains("error: fork 1:2 — session 1 has cells 1–1 before this one"), r.stdout)
        XCTAssertTrue(r.stdout.contains("error: fork 1:99999 — session 1 has cells 1–2 before this one"), r.stdout)
        XCTAssertTrue(r.stdout.contains("forked session 1 at cell 1 into session 2"), r.stdout)
        XCTAssertEqual(try SessionStore(path: db).sessions().count, 2, "no recursion: one fork, one new session")
    }

    func testAbsurdSampleCountsAreRefusedAtDefinition() throws {
        let r = try archon(["--db", db], stdin: """
            model x = compatible/e base_url=\(server.baseURL())
            arch a = gen(x, samples=99999999999)
            arch b = gen(x, samples=2000000)
            bench x math500[0:2] samples=99999999999

            """)
        XCTAssertTrue(r.stdout.contains("samples=99999999999 is not valid — samples takes a whole number from 1 to 1000 (the cap; raise it with ARCHON_MAX_SAMPLES)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("samples=2000000 is not valid"), r.stdout)
        XCTAssertTrue(r.stdout.contains("samples= takes a whole number from 1 to 1000"), r.stdout)
        XCTAssertEqual(try SessionStore(path: db).session(1).calls, 0)
        let raised = try archon(["--db", dir.path("r.sqlite")], stdin: "model x = compatible/e base_url=\(server.baseURL())\narch a = gen(x, samples=2000)\n",
                                environment: ["ARCHON_MAX_SAMPLES": "5000"])
        XCTAssertEqual(raised.status, 0, raised.stdout)
    }

    func testAnOversizedResponseIsARecordedErrorStoredNowhere() throws {
        let r = try archon(["--db", db], stdin: "model x = compatible/e base_url=\(server.baseURL("huge-3")) retries=0\nask x \"big\"\n",
                           environment: ["ARCHON_MAX_RESPONSE_MB": "1"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("the response is larger than 1 MB, the cap — raise it with ARCHON_MAX_RESPONSE_MB"), r.stdout)
        let size = (try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
        XCTAssertLessThan(size + wal, 1 << 20, "the body was not stored")
        let calls = try SessionStore(path: db).calls(session: 1)
        XCTAssertEqual(calls.count, 1)
        XCTAssertNotNil(calls[0].error)
    }

    /// A long answer is stored once: the call's body keeps a mark where the answer was, and reading
    /// puts it back byte for byte.
    func testALongAnswerIsStoredOnce() throws {
        let r = try archon(["--db", db], stdin: "model x = compatible/e base_url=\(server.baseURL("huge-2"))\nask x \"big\"\n")
        XCTAssertEqual(r.status, 0, String(r.stdout.suffix(300)))
        let call = try XCTUnwrap(try SessionStore(path: db).calls(session: 1).first)
        XCTAssertEqual(call.content?.count, 2 << 20)
        let body = try XCTUnwrap(call.response)
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let message = ((json?["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
        XCTAssertEqual(message?["content"] as? String, call.content, "the body reads back whole")
        let stored = try runProcess("/usr/bin/env", ["python3", "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select length(response) from call').fetchone()[0])", db]).stdout
        XCTAssertLessThan(Int(stored.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max, 2000, "the answer is not stored twice")
        let size = (try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
        XCTAssertLessThan(size + wal, 5 << 20, "content and the cell's output: about 4 MB, not 6")
        let replay = try archon(["replay", "1", "--offline", "--db", db])
        XCTAssertTrue(replay.stdout.contains("2 identical, 0 different"), String(replay.stdout.suffix(300)))
    }

    func testAWrongTypedContentIsAnError() throws {
        let r = try archon(["--db", db], stdin: "model x = compatible/e base_url=\(server.baseURL("wrongtype"))\nask x \"n\"\n")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("choices[0].message.content is"), r.stdout)
        XCTAssertNotNil(try SessionStore(path: db).calls(session: 1).first?.error)
    }

    // MARK: What the terminal and the database receive

    func testControlSequencesAreStoredAsTheyCameAndShownEscaped() throws {
        let hostile = "\u{1B}]0;owned\u{07}\u{1B}[2J\u{1B}]52;c;aGk=\u{07} hi"
        let r = try archon(["--db", db], stdin: "model x = compatible/e base_url=\(server.baseURL())\nask x \"\(hostile)\"\n")
        XCTAssertFalse(r.stdout.contains("\u{1B}"), "no raw escape reaches the output")
        XCTAssertFalse(r.stdout.contains("\u{07}"))
        XCTAssertTrue(r.stdout.contains("echo: \\x1b]0;owned\\x07\\x1b[2J\\x1b]52;c;aGk=\\x07 hi"), r.stdout)
        XCTAssertEqual(try SessionStore(path: db).calls(session: 1).first?.content, "echo: " + hostile, "stored as it came")
    }

    func testKeysEchoedByAServerAreRedactedEverywhere() throws {
        let secret = "sk-test-\(UUID().uuidString)"
        let env = ["ARCHON_TEST_SECRET_KEY": secret]
        let r = try archon(["--db", db], stdin: "model x = compatible/e base_url=\(server.baseURL("leaky-401")) api_key_env=ARCHON_TEST_SECRET_KEY retries=0\nask x \"hi\"\n",
                           environment: env)
        XCTAssertTrue(r.stdout.contains("[redacted ARCHON_TEST_SECRET_KEY]"), r.stdout)
        XCTAssertFalse((r.stdout + r.stderr).contains(secret))
        for format in ["md", "jsonl", "html"] {
            let e = try archon(["export", "1", "--format", format, "--db", db], environment: env)
            XCTAssertFalse(e.stdout.contains(secret), format)
        }
        let show = try archon(["show", "1:2", "--db", db], environment: env)
        XCTAssertFalse(show.stdout.contains(secret))
        XCTAssertFalse(try Data(contentsOf: URL(fileURLWithPath: db)).contains(Data(secret.utf8)))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: db + "-wal"))) ?? Data()
        XCTAssertFalse(wal.contains(Data(secret.utf8)))
    }

    func testAKeyTypedInlineIsRefusedAndNotRecorded() throws {
        let r = try archon(["--db", db], stdin: """
            model x = compatible/e base_url=http://user:sk-inline-0123456789@127.0.0.1:9/v1
            model y = openai/gpt-4o api_key=sk-inline-abcdefghij

            """)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("a user:key@ in a URL puts a key into the session's record"), r.stdout)
        XCTAssertTrue(r.stdout.contains("api_key= puts a key into the session's record — keys are read from the environment"), r.stdout)
        XCTAssertFalse(r.stdout.contains("sk-inline"))
        let cells = try SessionStore(path: db).cells(session: 1)
        XCTAssertFalse(cells.contains { $0.source.contains("sk-inline") || $0.output.contains("sk-inline") })
    }

    func testANulInAPromptIsStoredWhole() throws {
        let source = "ask x \"before\u{0}after\""
        let r = try archon(["--db", db], stdin: "model x = compatible/e base_url=\(server.baseURL())\n" + source + "\n")
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertEqual(try SessionStore(path: db).cell(session: 1, number: 2).source, source)
        let replay = try archon(["replay", "1", "--offline", "--db", db])
        XCTAssertTrue(replay.stdout.contains("2 identical, 0 different"), replay.stdout)
    }

    func testErrorsCutLongInput() throws {
        let r = try archon(["--db", db], stdin: "bench x \"" + String(repeating: "q", count: 1_400_000) + "\n")
        XCTAssertLessThan(r.stdout.count + r.stderr.count, 2000, "the error does not repeat the 1.4 MB line")
        XCTAssertTrue(r.stdout.contains("unterminated string"), String(r.stdout.prefix(300)))
    }

    // MARK: Durability and accounting

    func testTwoProcessesOnOneBenchStoreOneRowPerItemAndPayOnce() throws {
        let script = "model f = compatible/echo base_url=\(server.baseURL("slow-200")) max_concurrency=4\nbench f math500[0:24]\n"
        let first = try startPiped(["--db", db])
        let second = try startPiped(["--db", db])
        for (_, input, _) in [first, second] {
            input.write(Data(script.utf8))
            try input.close()
        }
        XCTAssertTrue(waitForExit(first.0, seconds: 60))
        XCTAssertTrue(waitForExit(second.0, seconds: 60))
        let store = try SessionStore(path: db)
        let runs = try store.benchRuns()
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(try store.benchItems(run: runs[0].id!).count, 24, "one row per item")
        let calls = try store.calls(session: 1).count + store.calls(session: 2).count
        XCTAssertEqual(calls, 24, "each item paid for once")
        let results = try archon(["results", "--db", db])
        XCTAssertTrue(results.stdout.contains(" 24 "), results.stdout)
    }

    func testACellOfAKilledProcessIsMarkedInterrupted() throws {
        let (p, input, _) = try startPiped(["--db", db])
        input.write(Data("model x = compatible/e base_url=\(server.baseURL("hang"))\nask x \"hi\"\n".utf8))
        usleep(1_500_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(try SessionStore(path: db).cell(session: 1, number: 2).status, "interrupted", "the next open marks it")
        let show = try archon(["show", "1", "--db", db])
        XCTAssertTrue(show.stdout.contains("interrupted"), show.stdout)
    }

    func testSIGTERMFinishesTheCellThenExits() throws {
        for signal in [SIGTERM, SIGHUP] {
            let path = dir.path("sig\(signal).sqlite")
            let (p, input, _) = try startPiped(["--db", path])
            input.write(Data("model x = compatible/e base_url=\(server.baseURL("hang"))\nask x \"hi\"\n".utf8))
            usleep(1_500_000)
            kill(p.processIdentifier, signal)
            XCTAssertTrue(waitForExit(p, seconds: 10))
            XCTAssertEqual(p.terminationStatus, 128 + signal)
            let cell = try SessionStore(path: path).cell(session: 1, number: 2)
            XCTAssertEqual(cell.status, "cancelled", "recorded as it ended, not left running")
            XCTAssertNotNil(try SessionStore(path: path).sessions().first?.endedAt)
        }
    }

    func testABenchWithFailedItemsExitsNonZero() throws {
        let r = try archon(["--db", db], stdin: "model f = compatible/echo base_url=\(server.baseURL("flaky-3")) retries=0 max_concurrency=1\nbench f math500[0:10]\n")
        XCTAssertTrue(r.stdout.contains("note: 3 item(s) failed"), r.stdout)
        XCTAssertEqual(r.status, 1, "an incomplete bench fails a piped run")
    }

    func testMalformedSlicesAreRefused() throws {
        let r = try archon(["--db", db], stdin: "model f = compatible/echo base_url=\(server.baseURL())\nbench f math500[,,,]\nbench f math500[0:2,0:3]\n")
        XCTAssertTrue(r.stdout.contains("has an empty part"), r.stdout)
        XCTAssertTrue(r.stdout.contains("gives two ranges — keep one"), r.stdout)
        XCTAssertEqual(try SessionStore(path: db).session(1).calls, 0)
    }
}

/// Replay says only true things: timings and environment notes are not differences, and a replay
/// writes no files unless asked.
final class ReplayTruthTests: XCTestCase {
    func testLiveReplayIgnoresLatencyAndOfflineReplayIgnoresKeyNotes() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let server = try FakeServer()
        defer { server.stop() }
        let db = dir.path("r.sqlite")
        let recorded = try archon(["--db", db], stdin: """
            model x = compatible/e base_url=\(server.baseURL("slow-120"))
            ask x "hi"
            model g = openai/gpt-4o
            models

            """, environment: ["OPENAI_API_KEY": "sk-recorded-key-000"])
        XCTAssertEqual(recorded.status, 0, recorded.stdout)
        let offline = try runProcess("/usr/bin/env", ["-u", "OPENAI_API_KEY", archonBinary, "replay", "1", "--offline", "--db", db])
        XCTAssertTrue(offline.stdout.contains("4 identical, 0 different"), offline.stdout)
        let live = try archon(["replay", "1", "--db", db], environment: ["OPENAI_API_KEY": "sk-recorded-key-000"])
        XCTAssertTrue(live.stdout.contains("4 identical, 0 different"), "only the latency differs:\n\(live.stdout)")
    }

    func testReplayWritesNoFilesUnlessAsked() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let db = dir.path("w.sqlite")
        let target = dir.path("out/trio.json")
        let r = try archon(["--db", db], stdin: """
            model t = compatible/e base_url=http://127.0.0.1:9/v1
            arch a = gen(t) | fuse(t)
            export archon a "\(target)"

            """)
        XCTAssertEqual(r.status, 0, r.stdout)
        try FileManager.default.removeItem(atPath: target)
        let replay = try archon(["replay", "1", "--offline", "--db", db])
        XCTAssertTrue(replay.stdout.contains("3 identical, 0 different"), replay.stdout)
        XCTAssertTrue(replay.stdout.contains("replay: \(target) not written"), replay.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "the replay wrote nothing")
        let writing = try archon(["replay", "1", "--offline", "--write-files", "--db", db])
        XCTAssertTrue(writing.stdout.contains("3 identical, 0 different"), writing.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: target), "--write-files writes it")
    }
}
