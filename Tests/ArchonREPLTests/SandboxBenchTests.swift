// The reproductions of the sandbox defects through the real binary: a scripted model answers with
// hostile code, `bench` scores it, and only the answer that passes its tests scores.

import ArchonKit
import ArchonTestSupport
import XCTest

final class SandboxBenchTests: XCTestCase {
    func testEarlyExitsAndRewritingOtherItemsScoreZero() throws {
        try CodeSandbox.requireAvailable()
        let dir = TempDir()
        defer { dir.remove() }
        let server = try FakeServer()
        defer { server.stop() }
        let answers: [(String, String)] = [
            ("ok", "def solve():\n    return 42"),
            ("exit", "import os\nos._exit(0)"),
            ("atexit", "import atexit, os\natexit.register(lambda: os._exit(0))\ndef solve():\n    return 0"),
            ("sysexit", "import sys\nsys.exit(0)"),
            ("rewrite", "import glob\nfor p in glob.glob('/tmp/**/*.py', recursive=True):\n    open(p, 'w').write('pass')\ndef solve():\n    return 0"),
            ("selfkill", "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)"),
        ]
        // The echo model answers with the prompt: each prompt is the code it should answer with.
        var lines: [String] = []
        for (id, code) in answers {
            let row: [String: String] = ["id": id, "q": "```python\n" + code + "\n```", "t": "assert solve() == 42"]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.path("h.jsonl"), atomically: true, encoding: .utf8)
        let db = dir.path("s.sqlite")
        let r = try archon(["--db", db], stdin: """
            model x = compatible/echo base_url=\(server.baseURL())
            dataset h = "\(dir.path("h.jsonl"))" prompt=q tests=t
            bench x h

            """)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let rows = try SessionStore(path: db).benchItems(session: 1)
        XCTAssertEqual(rows.count, answers.count)
        XCTAssertEqual(rows.filter { $0.score == 1 }.count, 1, rows.map { "\($0.itemId): \($0.detail)" }.joined(separator: "\n"))
        XCTAssertTrue(r.stdout.contains("h      6  16.7%"), r.stdout)
        XCTAssertTrue(rows.contains { $0.detail == "tests failed: the program exited before its tests finished" })
    }

    /// Eight hanging answers under a 3 s deadline: the cell ends at its deadline, not after the runs' 10 s.
    func testADeadlineStopsHangingCode() throws {
        try CodeSandbox.requireAvailable()
        let dir = TempDir()
        defer { dir.remove() }
        let server = try FakeServer()
        defer { server.stop() }
        var lines: [String] = []
        for i in 0..<8 {
            let row: [String: String] = ["q": "```python\nimport time\ntime.sleep(60)  # \(i)\n```", "t": "assert True"]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.path("h.jsonl"), atomically: true, encoding: .utf8)
        let start = Date()
        let r = try archon(["--db", dir.path("s.sqlite")], stdin: """
            model x = compatible/echo base_url=\(server.baseURL())
            dataset h = "\(dir.path("h.jsonl"))" prompt=q tests=t
            set concurrency 8
            set deadline 3
            bench x h

            """)
        XCTAssertTrue(r.stdout.contains("deadline of 3 s was reached"), r.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(start), 7, "the hanging runs were killed at the deadline")
    }
}
