// `space` and `search` through the built binary against the simulated model pool (a fake server
// whose models answer a gold-answer dataset right with known probabilities): the issue's lines,
// determinism, resuming after kill -9, `results` and the HTML charts.

import ArchonKit
import ArchonTestSupport
import XCTest

final class SearchREPLTests: XCTestCase {
    var dir: TempDir!
    var db: String { dir.path("s.sqlite") }
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    /// The pool (latency per call in ms) and the lines that define its three models and dataset.
    func pool(latency: Int = 0) throws -> (FakeServer, String) {
        let data = dir.path("pool.jsonl"), config = dir.path("pool.json")
        _ = try runProcess("/usr/bin/env", ["python3", repositoryRoot.appendingPathComponent("Tests/ArchonTestSupport/model_pool.py").path, "--write-dataset", data, "60"])
        try Data(#"{"models": {"m1": 0.62, "m2": 0.5, "m3": 0.35}, "latency_ms": \#(latency)}"#.utf8).write(to: URL(fileURLWithPath: config))
        let server = try FakeServer(script: "model_pool.py", arguments: [config])
        let base = "http://127.0.0.1:\(server.port)/v1"
        let head = (1...3).map { "model \(["a", "b", "c"][$0 - 1]) = compatible/m\($0) base_url=\(base) seed=1\n" }.joined()
            + "dataset pool = \"\(data)\" prompt=question answer=answer scorer=math\n"
        return (server, head)
    }

    /// The issue's lines (pool[0:40] standing for math500[0:40]: the pool's models answer its own items).
    func testTheIssuesLinesOnTheSimulatedPool() throws {
        let (server, head) = try pool()
        defer { server.stop() }
        let best = dir.path("best.json")
        let lines = """
            space s1 = generators(a, b, c) samples(1..3) fuse_layers(0..2) fusers(1..3) ranker(off|on top_k=3) critic(off|on)
            space s1
            search s1 pool[0:40] optimizer=random budget=12 seed=1
            search s1 pool[0:40] optimizer=bo budget=12 seed=1 lambda=0.01 cost=calls
            search s1 pool[0:40] optimizer=greedy budget=12
            search s1 pool[0:40] optimizer=halving budget=24
            export archon s1_best "\(best)"
            results
            search s1 pool[0:40] optimizer=random budget=12 seed=1
            """
        let r = try archon(["--db", db], stdin: head + lines + "\n", directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let out = r.stdout
        XCTAssertTrue(out.contains("raw size 324 · valid 221"), out)
        XCTAssertTrue(out.contains("cost per query (estimated as explain does): 1–"), out)
        XCTAssertTrue(out.contains("split (seed 1): dev 20 items, test 20 items, disjoint"), out)
        XCTAssertTrue(out.contains("objective = score − 0.01 × calls per query"), out)
        XCTAssertTrue(out.contains("models on dev, best first (generators take the top k): "), out)
        for (n, opt) in [(7, "random"), (8, "bo"), (9, "greedy")] {
            XCTAssertTrue(out.contains("[\(n)] search s1 · 12 trials"), "\(opt): \(out)")
        }
        XCTAssertTrue(out.contains("rungs: 14 on 5 items → 7 on 10 items → 3 on 20 items"), out)
        XCTAssertTrue(out.contains("[10] search s1 · 24 trials"), out)
        XCTAssertTrue(out.contains("best: s1_best = gen("), out)
        XCTAssertTrue(out.contains("on 20 held-out items — the score to report"), out)
        XCTAssertTrue(out.contains("finalists re-scored on test:"), out)
        // The best is an architecture of the session: exported as Archon JSON.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: best))) as? [String: Any]
        XCTAssertNotNil(json?["layers"], "best.json holds the layers")
        XCTAssertTrue(out.contains("searches:"), out)
        XCTAssertTrue(out.contains("s1 on pool[0:40]  halving"), out)
        // The same line again: the same trials, nothing paid.
        let cells = out.components(separatedBy: "search s1 on pool[0:40] · optimizer random · budget 12 · seed 1 ")
        XCTAssertEqual(cells.count, 3)
        func table(_ s: String) -> String { s.components(separatedBy: "▲ best so far")[0] }
        XCTAssertEqual(table(cells[1]), table(cells[2]), "a seeded search proposes the same trials")
        XCTAssertTrue(out.contains("[13] search s1 · 12 trials (12 resumed from the store) · 0 calls paid"), out)
        // The HTML notebook draws the convergence curve and score against cost.
        let page = dir.path("n.html")
        let export = try archon(["export", "1", "--format", "html", "-o", page, "--db", db])
        XCTAssertEqual(export.status, 0, export.stderr)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("class=\"chart convergence\""))
        XCTAssertTrue(html.contains("class=\"step\""))
        XCTAssertEqual(html.components(separatedBy: "class=\"trial\"").count - 1, 12 * 4 + 24, "one dot per trial")
        // The charts travel with the session: exported as JSONL, imported elsewhere, the notebook draws them again.
        let jsonl = try archon(["export", "1", "--format", "jsonl", "--db", db])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        XCTAssertEqual(jsonl.stdout.components(separatedBy: "\"kind\":\"figure\"").count - 1, 5, "one figure per search cell")
        let file = dir.path("s.jsonl")
        try jsonl.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let other = dir.path("other.sqlite")
        XCTAssertEqual(try archon(["import", file, "--db", other]).status, 0)
        XCTAssertEqual(try archon(["export", "1", "--format", "jsonl", "--db", other]).stdout, jsonl.stdout, "export → import → export is lossless")
        let again = dir.path("again.html")
        XCTAssertEqual(try archon(["export", "1", "--format", "html", "-o", again, "--db", other]).status, 0)
        let redrawn = try String(contentsOfFile: again, encoding: .utf8)
        XCTAssertEqual(redrawn.components(separatedBy: "class=\"trial\"").count - 1, 12 * 4 + 24, "the imported session draws every trial")
        // A figure whose cell the file does not have is refused, naming the line.
        let orphan = #"{"cell":99,"data":"{}","figure":"search","kind":"figure"}"#
        let exported = jsonl.stdout.split(separator: "\n").map(String.init)
        try ([exported[0], orphan] + exported.dropFirst()).joined(separator: "\n").write(toFile: dir.path("orphan.jsonl"), atomically: true, encoding: .utf8)
        let refused = try archon(["import", dir.path("orphan.jsonl"), "--db", dir.path("third.sqlite")])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("orphan.jsonl:2: a figure of cell 99, which no earlier cell line has"), refused.stderr)
    }

    /// Killed mid-search, the same line resumes: trials finished before are not paid again, and the
    /// search proposes what an uninterrupted one does.
    func testKill9MidSearchThenTheSameLineResumes() throws {
        let (server, head) = try pool(latency: 40)
        defer { server.stop() }
        let line = "search s2 pool[0:30] optimizer=bo budget=10 seed=2 lambda=0.005\n"
        let space = "space s2 = generators(a, b, c) samples(1..2) fuse_layers(0..1) fusers(1..2) ranker(off|on top_k=2)\n"
        let script = head + space + line
        let p = Process()
        p.executableURL = URL(fileURLWithPath: archonBinary)
        p.arguments = ["--db", db]
        p.environment = ProcessInfo.processInfo.environment.merging(["ARCHON_HISTORY": dir.path("h")]) { $1 }
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        let deadline = Date().addingTimeInterval(120)
        func finished() -> Int {
            guard let store = try? SessionStore(path: db), let s = try? store.searches().first else { return 0 }
            return (try? store.searchTrials(s.id!).filter { $0.phase == "search" }.count) ?? 0
        }
        while finished() < 4, Date() < deadline { usleep(100_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let before = finished()
        XCTAssertGreaterThanOrEqual(before, 4)
        XCTAssertLessThan(before, 10, "killed mid-search")
        let again = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        let footer = try XCTUnwrap(again.stdout.components(separatedBy: "\n").first { $0.hasPrefix("[6] search s2 · 10 trials (") })
        let resumed = Int(footer.components(separatedBy: "trials (")[1].components(separatedBy: " ")[0]) ?? 0
        XCTAssertGreaterThanOrEqual(resumed, before, "trials finished before the kill are not paid again: \(footer)")
        // An uninterrupted run in a fresh database proposes the same trials.
        let fresh = try archon(["--db", dir.path("fresh.sqlite")], stdin: script, directory: repositoryRoot.path)
        func table(_ s: String) -> String { s.components(separatedBy: "▲ best so far")[0].components(separatedBy: "#   configuration").last ?? "" }
        XCTAssertEqual(table(again.stdout), table(fresh.stdout))
    }
}
