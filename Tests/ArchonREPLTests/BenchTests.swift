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
        XCTAssertEqual(r.status, 1, "mt_bench without a judge fails its cell")
        XCTAssertTrue(r.stdout.contains("[2] bench tiny · math scorer · 3 scored now, 0 resumed · 3 calls"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[3] bench tiny · math scorer · 0 scored now, 3 resumed · 0 calls"), r.stdout)
        XCTAssertTrue(r.stdout.contains("math500[0:3]  3"), r.stdout)
        XCTAssertTrue(r.stdout.contains("note: n = 3 is small"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[4] bench tiny · code scorer · 2 scored now"), r.stdout)
        XCTAssertTrue(r.stdout.contains("error: bench mt_bench needs judge=MODEL (its judge scorer asks a model to grade)"), r.stdout)
        let store = try SessionStore(path: db)
        XCTAssertEqual(try store.session(1).calls, 5, "the resumed bench paid for nothing")
    }

    /// Starts archon on `script` and kills it with SIGKILL as soon as `ready()` holds (or `within` seconds pass).
    func killArchon(running script: String, within seconds: Double, when ready: () -> Bool) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: archonBinary)
        p.arguments = ["--db", db]
        p.currentDirectoryURL = repositoryRoot
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        let deadline = Date().addingTimeInterval(seconds)
        while !ready(), Date() < deadline { usleep(100_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    func testKill9MidBenchThenResume() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let script = "model f = compatible/echo base_url=\(server.baseURL("slow-300")) max_concurrency=2\nbench f math500[0:20]\n"
        try killArchon(running: script, within: 20) { (try? SessionStore(path: self.db).calls(session: 1).count) ?? 0 >= 6 }
        let calls = try SessionStore(path: db).calls(session: 1).count
        XCTAssertLessThan(calls, 20)
        let before = try server.stats().requests
        let again = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(again.status, 0, again.stdout)
        XCTAssertTrue(again.stdout.contains("math500[0:20]  20"), again.stdout)
        XCTAssertEqual(try server.stats().requests - before, 20 - calls, "finished items and calls were not paid for again")
    }

    /// Judged benchmarks against the fake server's judge modes, so verdicts are known in advance.
    func testJudgedBenchmarksWithAScriptedJudge() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let script = """
        model ans = compatible/a base_url=\(server.baseURL("judge"))
        model j = compatible/j base_url=\(server.baseURL("judge"))
        model late = compatible/l base_url=\(server.baseURL("judge-late"))
        model never = compatible/n base_url=\(server.baseURL("judge-never"))
        bench ans mt_bench[0:3] judge=j
        bench ans mt_bench[category=math,0:2] judge=late
        bench ans mt_bench[3:5] judge=never
        bench ans alpaca_eval[0:4] judge=j
        bench ans arena_hard[0:3] judge=j baseline=ans
        bench ans mt_bench[0:3] judge=j
        bench reference mt_bench[category=math,0:2] judge=j
        bench ans mt_bench[0:2]
        bench ans math500[0:2] judge=j
        bench ans arena_hard[0:2] judge=j
        bench reference arena_hard[0:2] judge=j
        bench ans mt_bench[0:2] judge=ans2
        bench ans alpaca_eval[0:2] judge=j samples=2
        bench ans mixeval_hard[500:503] judge=j

        """
        let r = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        let out = r.stdout
        // MT-Bench: both turns rated; the judge's "Rating: [[7]]" read; 2 answers + 2 judgings per item.
        XCTAssertTrue(out.contains("mt_bench[0:3]  3  7.00          7.00 – 7.00               7.00    7.00"), out)
        XCTAssertTrue(out.contains("[5] bench ans · judge scorer · judge j · 3 scored now, 0 resumed · 12 calls"), out)
        // A judge that answers only when asked again: scored, and every follow-up is a recorded call.
        XCTAssertTrue(out.contains("mt_bench[0:2,category=math]  2  7.00"), out)
        XCTAssertTrue(out.contains("[6] bench ans · judge scorer · judge late · 2 scored now, 0 resumed · 12 calls"), out)
        // A judge that never answers in form: unscored, said so, never a made-up score.
        XCTAssertTrue(out.contains("mt_bench[3:5]: no item scored"), out)
        XCTAssertTrue(out.contains("note: 2 item(s) unscored and left out"), out)
        XCTAssertTrue(out.contains("[7] bench ans · judge scorer · judge never · 2 scored now, 0 resumed · 16 calls"), out)
        // Pairwise in both orders: a judge that always prefers A shows its position bias as 50%.
        XCTAssertNotNil(out.firstMatch(of: #/alpaca_eval\[0:4\] +4 +50\.0%/#), out)
        XCTAssertTrue(out.contains("games (both orders): 4 won · 0 tied · 4 lost · same verdict in both orders on 0 of 4 items"), out)
        XCTAssertTrue(out.contains("[8] bench ans · pairwise scorer · judge j · 4 scored now, 0 resumed · 12 calls"), out)
        XCTAssertNotNil(out.firstMatch(of: #/arena_hard\[0:3\] +3 +50\.0%/#), out)
        XCTAssertTrue(out.contains("win rate vs ans (Bradley–Terry)"), out)
        // Resumed: nothing paid twice.
        XCTAssertTrue(out.contains("[10] bench ans · judge scorer · judge j · 0 scored now, 3 resumed · 0 calls"), out)
        XCTAssertTrue(out.contains("[11] bench reference · judge scorer · judge j · 2 scored now, 0 resumed · 4 calls"), out)
        XCTAssertTrue(out.contains("error: bench mt_bench needs judge=MODEL"), out)
        XCTAssertTrue(out.contains("error: judge= does not apply to math500"), out)
        XCTAssertTrue(out.contains("error: arena_hard has no bundled baseline answer"), out)
        XCTAssertTrue(out.contains("error: reference has no gold answers in arena_hard[0:2] — Arena-Hard has none"), out)
        XCTAssertTrue(out.contains("error: no model named 'ans2' for judge= — did you mean 'ans'?"), out)
        XCTAssertTrue(out.contains("error: samples=2 is for benchmarks scored right or wrong"), out)

        // What the judge was shown: MT-Bench's own prompts, the reference answer for math, the second
        // turn asked with the first turn's answer in the conversation.
        let store = try SessionStore(path: db)
        let session = try store.cells(session: 1)
        let mathCell = try XCTUnwrap(session.first { $0.number == 6 })
        let calls = try store.calls(cell: mathCell.id!)
        let judgeCalls = calls.filter { $0.technique == "judge" }
        XCTAssertEqual(judgeCalls.count, 8)
        XCTAssertTrue(judgeCalls.contains { $0.request.contains("[The Start of Reference Answer]") }, "turn 1 with the reference")
        XCTAssertTrue(judgeCalls.contains { $0.request.contains("### Reference answer:") }, "turn 2 with both references")
        XCTAssertTrue(judgeCalls.contains { $0.request.contains("Your reply did not end with a verdict") })
        let secondTurns = calls.filter { $0.technique == nil && $0.request.contains("\"assistant\"") }
        XCTAssertEqual(secondTurns.count, 2, "each item's second turn carries the first answer")
        let rows = try store.benchItems(cell: mathCell.id!)
        XCTAssertEqual(rows.count, 2)
        for row in rows { XCTAssertNotNil(Judgement.from(row.judgement), "the judgement is stored with the item") }
        // An answer that only repeats the options chose none; the judge is asked which it chose.
        let choices = try store.benchItems(cell: try XCTUnwrap(session.first { $0.number == 18 }).id!)
        XCTAssertEqual(choices.count, 3)
        for row in choices { XCTAssertTrue(row.detail.hasSuffix("no option could be read from the answer; judge read the choice as (A)"), row.detail) }
    }

    /// The real local model on a few items of every dataset (and a user's file): each bench prints its
    /// table, stores every item (judged ones with their judgement), and a second run pays for nothing.
    func testTheLocalModelOnEveryDatasetThenResume() throws {
        try #"{"q": "What is 3+4?", "a": "7"}"#.write(toFile: dir.path("mine.jsonl"), atomically: true, encoding: .utf8)
        let benches = ["mt_bench[0:1] judge=judge", "alpaca_eval[0:1] judge=judge", "arena_hard[0:1] judge=judge baseline=tiny",
                       "mixeval_hard[0:2]", "math500[0:1]", "aime[0:1]", "humaneval[0:1]", "mbpp[0:1]", "mine"]
        // The judge is SmolLM2 too, held to the verdict form by a llama.cpp grammar.
        let script = "model tiny = local/smollm2 temperature=0 max_tokens=48\n"
            + "model judge = local/smollm2 temperature=0 max_tokens=448 verdict_grammar=on\ndataset mine = \"\(dir.path("mine.jsonl"))\" prompt=q answer=a\n"
            + benches.map { "bench tiny \($0)\n" }.joined()
        let r = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let scorers = ["judge", "pairwise", "arena", "mixeval", "math", "math", "code", "code", "match"]
        for (i, scorer) in scorers.enumerated() {
            XCTAssertTrue(r.stdout.contains("[\(i + 4)] bench tiny · \(scorer) scorer"), "bench \(benches[i]):\n" + r.stdout)
        }
        let store = try SessionStore(path: db)
        let cells = try store.cells(session: 1)
        for (i, expected) in [1, 1, 1, 2, 1, 1, 1, 1, 1].enumerated() {
            let cell = try XCTUnwrap(cells.first { $0.number == i + 4 })
            let rows = try store.benchItems(cell: cell.id!)
            XCTAssertEqual(rows.count, expected, benches[i])
            if i < 3 {
                let j = try XCTUnwrap(Judgement.from(rows.first?.judgement), "judged items keep their judgement")
                // The grammar makes every reply end in its verdict: one call per turn or game, all scored.
                XCTAssertEqual(j.attempts, 2, benches[i])
                XCTAssertEqual(j.problems, [], benches[i])
                XCTAssertTrue(j.scored, benches[i])
                XCTAssertEqual(j.ratings?.compactMap { $0 }.count ?? j.games?.compactMap(\.outcome).count, 2, benches[i])
            }
        }
        let paid = try store.session(1).calls
        let again = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        for i in benches.indices { XCTAssertTrue(again.stdout.contains("[\(i + 4)] bench tiny · \(scorers[i]) scorer"), again.stdout) }
        XCTAssertTrue(again.stdout.contains("[4] bench tiny · judge scorer · judge judge · 0 scored now, 1 resumed · 0 calls"), again.stdout)
        XCTAssertEqual(try store.session(2).calls, 0, "the second run resumed every bench: \(paid) calls were not paid again")
    }

    /// `compare` reads two stored results on the same items; it calls nothing.
    func testCompareReadsThePairedDifference() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let script = """
        model f = compatible/echo base_url=\(server.baseURL())
        compare reference f math500[0:30]
        bench reference math500[0:30]
        bench f math500[0:30]
        compare reference f math500[0:30]
        compare f reference math500[0:5]
        compare f f math500[0:30]
        results
        results mt_bench

        """
        let r = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        let out = r.stdout
        XCTAssertTrue(out.contains("error: reference has no stored results on math500[0:30] with these options — run `bench reference math500[0:30]` first"), out)
        XCTAssertTrue(out.contains("math500[0:30] · math scorer · items scored for both: 30"), out)
        XCTAssertTrue(out.contains("difference reference − f: +100.0% (95% CI +100.0% – +100.0%"), out)
        XCTAssertTrue(out.contains("reference better on 30 item(s), f better on 0, equal on 0"), out)
        XCTAssertTrue(out.contains("readable: the interval excludes 0 — reference scores higher on these items"), out)
        // A sub-slice of what was benched is read from the same stored items.
        XCTAssertTrue(out.contains("math500[0:5] · math scorer · items scored for both: 5"), out)
        XCTAssertTrue(out.contains("difference f − reference: -100.0%"), out)
        XCTAssertTrue(out.contains("error: compare needs two different targets"), out)
        // results lists what this database has measured.
        XCTAssertNotNil(out.firstMatch(of: #/bench reference math500 +30 +100\.0% +100\.0% – 100\.0% +session 1, cell 3/#), out)
        XCTAssertNotNil(out.firstMatch(of: #/bench f math500 +30 +0\.0% +0\.0% – 0\.0% +session 1, cell 4/#), out)
        XCTAssertTrue(out.contains("no stored results on mt_bench — bench something first"), out)
        let shell = try archon(["results", "math500", "--db", db])
        XCTAssertEqual(shell.status, 0, shell.stderr)
        XCTAssertEqual(shell.stdout.components(separatedBy: "\nbench ").count - 1, 2, "archon results from the shell:\n" + shell.stdout)
        let json = try archon(["results", "--json", "--db", db])
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.count, 2)
        XCTAssertEqual(list.first?["bench"] as? String, "bench reference math500")
        XCTAssertEqual(list.first?["label"] as? String, "reference")
        XCTAssertEqual(list.first?["score"] as? Double, 1)
        XCTAssertEqual(list.last?["score"] as? Double, 0)
        XCTAssertEqual(list.first?["n"] as? Int, 30)
        let store = try SessionStore(path: db)
        XCTAssertEqual(try store.session(1).calls, 30, "only the bench of f called a model")
    }

    /// An item whose calls fail is reported and left for the next run; the rest are scored. When every
    /// item fails from the start (a wrong key), the bench stops instead of failing 500 times.
    func testFailedItemsAreReportedAndRetriedOnTheNextRun() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let script = """
        model f = compatible/echo base_url=\(server.baseURL("flaky-3")) retries=0 max_concurrency=1
        bench f math500[0:10]
        bench f math500[0:10]
        model bad = compatible/echo base_url=\(server.baseURL("status-401"))
        bench bad math500[0:100]

        """
        let r = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        let out = r.stdout
        XCTAssertTrue(out.contains("math500[0:10]  7"), out)
        XCTAssertTrue(out.contains("note: 3 item(s) failed and are not scored — "), out)
        XCTAssertTrue(out.contains("HTTP 503"), out)
        XCTAssertTrue(out.contains("run the same bench again to retry them"), out)
        XCTAssertTrue(out.contains("[2] bench f · math scorer · 7 scored now, 3 failed, 0 resumed · 10 calls"), out)
        XCTAssertTrue(out.contains("[3] bench f · math scorer · 3 scored now, 7 resumed · 3 calls"), out)
        XCTAssertTrue(out.contains("math500[0:10]  10"), out)
        XCTAssertTrue(out.contains("error: bench bad stopped: its first 5 items all failed — HTTP 401"), out)
        XCTAssertEqual(r.status, 1, "the bench that could not start fails its cell")
        let store = try SessionStore(path: db)
        let badCell = try store.cells(session: 1).first { $0.number == 5 }!
        XCTAssertLessThan(try store.calls(cell: badCell.id!).count, 100, "it stopped early, not after 100 failures")
    }

    /// The same bench in two fresh databases, cache off, items in flight at once — the second after
    /// other requests and in another order: the same answers.
    func testABenchOnTheLocalModelIsRepeatable() throws {
        let model = "set cache off\nmodel tiny = local/smollm2 temperature=0 max_tokens=96\n"
        let scripts = [model + "bench tiny math500[0:6]\n",
                       model + "ask tiny \"Write a haiku about rivers.\"\nbench tiny math500[3:6]\nbench tiny math500[0:6]\n"]
        var answers: [[String: String]] = []
        for (i, script) in scripts.enumerated() {
            let path = dir.path("run\(i).sqlite")
            let r = try archon(["--db", path], stdin: script, directory: repositoryRoot.path)
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            let rows = try SessionStore(path: path).benchItems(session: 1)
            answers.append(Dictionary(rows.map { ($0.itemId, $0.answer) }, uniquingKeysWith: { a, _ in a }))
        }
        XCTAssertEqual(answers[0].count, 6)
        XCTAssertEqual(answers[0], answers[1], "temperature 0 gives the same text on every run")
    }

    /// The real local model: kill -9 in the middle of a bench, then the same bench resumes from the
    /// items that were stored and pays only for the rest.
    func testKill9MidBenchOnTheLocalModelThenResume() throws {
        let script = "model tiny = local/smollm2 temperature=0 max_tokens=16\nbench tiny mixeval_hard[500:524]\n"
        try killArchon(running: script, within: 60) { (try? SessionStore(path: self.db).benchItems(session: 1).count) ?? 0 >= 4 }
        let stored = try SessionStore(path: db).benchItems(session: 1).count
        XCTAssertGreaterThanOrEqual(stored, 4)
        XCTAssertLessThan(stored, 24, "killed mid-bench")
        let again = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertTrue(again.stdout.contains("[2] bench tiny · mixeval scorer · \(24 - stored) scored now, \(stored) resumed · \(24 - stored) calls"), again.stdout)
        XCTAssertNotNil(again.stdout.firstMatch(of: #/mixeval_hard\[500:524\] +24 /#), again.stdout)
    }

    /// Issue 11's reproduction: a bench that failed because its dataset was not defined yet, then
    /// rerun once it was. `results` names it by what it measures, and finds it by its dataset.
    func testARerunBenchIsListedByWhatItMeasures() throws {
        try (#"{"q": "What is 2+2?", "a": "4"}"# + "\n" + #"{"q": "What is 3+3?", "a": "6"}"# + "\n").write(toFile: dir.path("mine.jsonl"), atomically: true, encoding: .utf8)
        let script = "bench reference mine\ndataset mine = \"\(dir.path("mine.jsonl"))\" prompt=q answer=a\nrerun 1\nresults\nresults mine\n"
        let r = try archon(["--db", db], stdin: script, directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 1, "the first line fails")
        XCTAssertTrue(r.stdout.contains("[3] bench reference · match scorer · 2 scored now"), r.stdout)
        XCTAssertFalse(r.stdout.contains("rerun 1 "), "results names the bench, not the line that reran it:\n" + r.stdout)
        XCTAssertFalse(r.stdout.contains("no stored results on mine"), r.stdout)
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("bench reference mine") }
        XCTAssertEqual(rows.count, 2, "listed by `results` and by `results mine`:\n" + r.stdout)
        XCTAssertNotNil(rows.first?.firstMatch(of: #/bench reference mine +2 +100\.0% .* session 1, cell 3/#), r.stdout)
    }

    /// `show` of a bench cell gives each item's calls, tokens, dollars and time.
    func testShowOfABenchCellGivesEachItemsCost() throws {
        let server = try FakeServer()
        defer { server.stop() }
        try #"{"compatible/echo": {"input": 1000000, "output": 2000000}}"#.write(toFile: dir.path("prices.json"), atomically: true, encoding: .utf8)
        let script = "model f = compatible/echo base_url=\(server.baseURL("ok"))\nbench f math500[0:3]\nshow 2\n"
        let r = try archon(["--db", db], stdin: script, environment: ["ARCHON_PRICES": dir.path("prices.json")], directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertNotNil(r.stdout.firstMatch(of: #/items scored in this cell \(3\): 3 calls, \d+ tokens, \$[0-9.]+; per item 1\.0 calls, \d+ tokens/#), r.stdout)
        let perItem = r.stdout.matches(of: #/\n      1 call · (\d+) tokens · \$([0-9.]+) · [0-9.]+ m?s/#)
        XCTAssertEqual(perItem.count, 3, r.stdout)
        // Each item's figures are its own call's: tokens and dollars at 1 and 2 dollars a token.
        let store = try SessionStore(path: db)
        let calls = try store.calls(session: 1)
        for row in try store.benchItems(session: 1) {
            let mine = calls.filter { $0.itemId == row.itemId }
            XCTAssertEqual(mine.count, 1, row.itemId)
            XCTAssertEqual(row.promptTokens, mine[0].promptTokens)
            XCTAssertEqual(row.cost ?? -1, Double(mine[0].promptTokens!) + 2 * Double(mine[0].completionTokens!), accuracy: 1e-6)
        }
    }
}
