// The real `archon` binary run as a process: piped stdin, recipes, the store subcommands.

import ArchonKit
import ArchonTestSupport
import XCTest

final class PipedTests: XCTestCase {
    var dir: TempDir!
    var db: String { dir.path("e2e.sqlite") }
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }
    /// The repository's datasets, for recipes run from another directory.
    var datasets: [String: String] { ["ARCHON_DATASETS": repositoryRoot.appendingPathComponent("datasets").path] }

    static let tour = """
        # comments start with #
        model tiny = local/smollm2 temperature=0 max_tokens=64
        ask tiny "Name three primary colors."
        models
        show 2
        help
        help ask

        """

    func testTourLinesPipedThenListedAndShown() throws {
        let r = try archon(["--db", db], stdin: Self.tour)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertFalse(r.stdout.contains("archon>"), "no prompt when stdin is not a terminal")
        XCTAssertFalse(r.stdout.contains("\u{1B}["), "no colours when stdout is not a terminal")
        XCTAssertTrue(r.stdout.contains("defined model tiny → local/smollm2"))
        XCTAssertTrue(r.stdout.contains("[2] tiny · local/smollm2 · "))
        XCTAssertTrue(r.stdout.contains("cell 2 · ok"))
        XCTAssertTrue(r.stdout.contains("calls (1, "))
        XCTAssertTrue(r.stdout.contains("ask TARGET \"PROMPT\""))
        XCTAssertTrue(r.stdout.contains("commands (help COMMAND"))

        let json = try archon(["sessions", "--json", "--db", db])
        XCTAssertEqual(json.status, 0, json.stderr)
        let sessions = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(sessions.count, 1)
        XCTAssertEqual(sessions[0]["id"] as? Int, 1)
        XCTAssertEqual(sessions[0]["cells"] as? Int, 6)
        XCTAssertEqual(sessions[0]["calls"] as? Int, 1)
        XCTAssertEqual(sessions[0]["kind"] as? String, "piped")

        let table = try archon(["sessions", "--db", db])
        XCTAssertTrue(table.stdout.hasPrefix("id  started"), table.stdout)
        let cell = try archon(["show", "1:2", "--db", db])
        XCTAssertEqual(cell.status, 0, cell.stderr)
        XCTAssertTrue(cell.stdout.hasPrefix("cell 2 · ok"), cell.stdout)
        XCTAssertTrue(cell.stdout.contains("local/smollm2"))
        let whole = try archon(["show", "1", "--db", db])
        XCTAssertTrue(whole.stdout.hasPrefix("session 1 · piped"), whole.stdout)
        XCTAssertTrue(whole.stdout.contains("\n\ncell 6 · ok"), whole.stdout)
        XCTAssertTrue(whole.stdout.contains("\n> help ask\n"), whole.stdout)
        XCTAssertFalse(whole.stdout.contains("cell 7 ·"))
    }

    func testAFailingCommandMakesTheExitStatusNonZeroButTheRestRuns() throws {
        let r = try archon(["--db", db], stdin: "aks tiny \"x\"\nhelp ask\n")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("error: unknown command 'aks' — did you mean 'ask'?\n  aks tiny \"x\"\n  ^^^"), r.stdout)
        XCTAssertTrue(r.stdout.contains("ask TARGET"), "later commands still run")
    }

    func testRecipeStopsAtFirstErrorUnlessKeepGoing() throws {
        let recipe = dir.path("r.archon")
        try "help ask\nshow 99\nmodels\n".write(toFile: recipe, atomically: true, encoding: .utf8)
        let stop = try archon(["run", recipe, "--db", db])
        XCTAssertEqual(stop.status, 1)
        XCTAssertTrue(stop.stdout.contains("[2] archon> show 99"))
        XCTAssertFalse(stop.stdout.contains("[3] archon> models"), stop.stdout)
        let keep = try archon(["run", recipe, "--keep-going", "--db", db])
        XCTAssertEqual(keep.status, 1)
        XCTAssertTrue(keep.stdout.contains("[3] archon> models"), keep.stdout)
        XCTAssertTrue(keep.stdout.contains("no models defined"))
        let missing = try archon(["run", dir.path("nope.archon"), "--db", db])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot read recipe"), missing.stderr)
    }

    func testTheShippedTourRecipeRuns() throws {
        let r = try archon(["run", repositoryRoot.appendingPathComponent("recipes/tour.archon").path, "--db", db],
                           directory: dir.url.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("[2] archon> ask tiny"))
        XCTAssertTrue(r.stdout.contains("[10] trio · 3 layers · 5 calls · "), r.stdout)
        XCTAssertTrue(r.stdout.contains("layer 2 · ranker · 3 → 2 candidates"), r.stdout)
        XCTAssertTrue(r.stdout.contains("loaded trio_again from sessions/trio.json: 3 layers"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[14] bench tiny · math scorer · 3 scored now"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[16] bench tiny · judge scorer · judge judge · 1 scored now"), r.stdout)

        let paper = try archon(["run", repositoryRoot.appendingPathComponent("recipes/paper-architectures.archon").path, "--db", db],
                               directory: repositoryRoot.path)
        XCTAssertEqual(paper.status, 0, paper.stdout + paper.stderr)
        XCTAssertEqual(paper.stdout.components(separatedBy: "\nloaded ").count - 1, 5)
    }

    /// The reproduction recipe: a paper configuration with the reference's prompts, routed to the local
    /// model, explained, asked and benched; its export keeps every key of the source.
    func testTheShippedReproduceRecipeRuns() throws {
        try FileManager.default.createSymbolicLink(at: dir.url.appendingPathComponent("recipes"),
                                                   withDestinationURL: repositoryRoot.appendingPathComponent("recipes"))
        let r = try archon(["run", "recipes/reproduce.archon", "--db", db], directory: dir.url.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("loaded mixeval from recipes/configs/paper/mixeval_hard-sonnet-gpt4o-critic-rank-fuse.json: 4 layers"), r.stdout)
        XCTAssertTrue(r.stdout.contains("mixeval: 4 layers · ≤ 9 calls per query"), r.stdout)
        XCTAssertTrue(r.stdout.contains("prompts=reference"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[6] mixeval · 4 layers · 9 calls · "), r.stdout)
        XCTAssertTrue(r.stdout.contains("[8] bench mixeval · mixeval scorer · 2 scored now, 0 resumed · 18 calls"), r.stdout)
        XCTAssertNotNil(r.stdout.firstMatch(of: #/items scored in this cell \(2\): 18 calls, \d+ tokens, \$0; per item 9\.0 calls/#), r.stdout)
        let sent = try SessionStore(path: db).calls(session: 1).map(\.request)
        XCTAssertTrue(sent.contains { $0.contains("You are a critical evaluator.") && $0.contains("I will provide you with 6 responses") }, "the reference's critic prompt")
        let source = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent(
            "recipes/configs/paper/mixeval_hard-sonnet-gpt4o-critic-rank-fuse.json"))) as? [String: Any])
        let exported = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.url.appendingPathComponent(
            "sessions/mixeval-reproduced.json"))) as? [String: Any])
        XCTAssertEqual(NSDictionary(dictionary: exported["layers"].map { ["layers": $0] } ?? [:]),
                       NSDictionary(dictionary: source["layers"].map { ["layers": $0] } ?? [:]), "the file comes back out as it went in")
    }

    func testTheShippedHarnessCheckRecipeRuns() throws {
        let r = try archon(["run", repositoryRoot.appendingPathComponent("recipes/harness-check.archon").path, "--db", db],
                           directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        for line in ["math500  311  100.0%", "aime        45  100.0%", "humaneval  164  100.0%", "mbpp   500  99.8%", "mixeval_hard     1000  100.0%",
                     "sample        3  100.0%"] {
            XCTAssertTrue(r.stdout.contains(line), "\(line):\n" + r.stdout)
        }
        for scorer in ["judge", "pairwise", "arena", "mixeval"] {
            XCTAssertTrue(r.stdout.contains("· \(scorer) scorer · judge judge · "), "\(scorer):\n" + r.stdout)
        }
        XCTAssertFalse(r.stdout.contains("unscored"), "the grammar-held judge gave every verdict:\n" + r.stdout)
        // A recorded target: only the judge is called (two turns, two calls).
        XCTAssertTrue(r.stdout.contains("answers qwen: 80 from datasets/recorded/mt_bench/Qwen2-72B-Instruct.jsonl · fastchat format"), r.stdout)
        XCTAssertNotNil(r.stdout.firstMatch(of: #/bench qwen · judge scorer · judge judge · 1 scored now, 0 resumed · 2 calls · \d+ → \d+ tokens · \$0 \(judge: 2 calls/#), r.stdout)
    }

    func testTheShippedPublishedOutputsRecipeRuns() throws {
        let r = try archon(["run", repositoryRoot.appendingPathComponent("recipes/published.archon").path, "--db", db],
                           directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("answers archon: 805 from datasets/recorded/alpaca_eval/archon-1-110F-2-110M.json · alpaca_eval format · archon-1-110F-2-110M · matched to items by instruction"), r.stdout)
        XCTAssertTrue(r.stdout.contains("win rate 39.6% ± 1.4, length-controlled 47.9% — for context: another judge and all 805 items"), r.stdout)
        XCTAssertNotNil(r.stdout.firstMatch(of: #/\[3\] bench archon · pairwise scorer · judge judge · 2 scored now, 0 resumed · 4 calls · \d+ → \d+ tokens · \$0 \(judge: 4 calls/#),
                        "the published side costs judge calls only:\n" + r.stdout)
        XCTAssertTrue(r.stdout.contains("items scored for both: 2"), r.stdout)
        XCTAssertTrue(r.stdout.contains("difference archon − tiny: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("win rate vs archon"), r.stdout)
        // The published answers reached the judge as they are in the file.
        let file = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent(
            "datasets/recorded/alpaca_eval/archon-1-110F-2-110M.json"))) as? [[String: Any]])
        let first = try XCTUnwrap(file.first?["output"] as? String)
        let sent = try SessionStore(path: db).calls(session: 1).map(\.request)
        XCTAssertTrue(sent.contains { $0.contains(String(first.prefix(100))) }, "the recorded output is in a judge prompt")
    }

    func testTheShippedAblationRecipeRuns() throws {
        let r = try archon(["run", repositoryRoot.appendingPathComponent("recipes/ablation.archon").path, "--db", db],
                           directory: repositoryRoot.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        for target in ["tiny", "rf", "ranked"] {
            XCTAssertTrue(r.stdout.contains("bench \(target) · mixeval scorer · 20 scored now"), r.stdout)
        }
        XCTAssertTrue(r.stdout.contains("[8] bench ranked · mixeval scorer · 20 scored now, 0 resumed · 80 calls"), r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "items scored for both: 20").count - 1, 2, r.stdout)
        XCTAssertTrue(r.stdout.contains("difference rf − tiny: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("difference rf − ranked: "), r.stdout)
        // The ranked-only variant shares rf's first two layers: every one of its calls came from the cache.
        let store = try SessionStore(path: db)
        let ranked = try store.cells(session: 1).first { $0.number == 8 }!
        XCTAssertTrue(try store.calls(cell: ranked.id!).allSatisfy(\.cached))
    }

    /// The four ablation recipes on the local model: each study runs, pays shared calls once and
    /// reports its table, frontier and diagnosis.
    func testTheShippedAblationStudyRecipesRun() throws {
        let expected: [(recipe: String, header: String, variant: String)] = [
            ("ablation-selfmoa", "ablation of mix on mixeval_hard[500:512] · mixeval scorer · 2 variant(s)", "mix~1.gen = gen(warm, samples=3) | fuse(tiny)"),
            ("ablation-critic", "ablation of rc on mixeval_hard[500:512] · mixeval scorer · 2 variant(s)", "rc~critic = gen(tiny) + gen(warm, samples=2) | rank(tiny, top_k=1)"),
            ("ablation-length", "ablation of lf on mixeval_hard[500:512] · mixeval scorer · 2 variant(s)", "lf~length_control = gen(tiny) + gen(warm, samples=2) | fuse(tiny, length_control=true)"),
            ("ablation-temperature", "ablation of tv on mixeval_hard[500:512] · mixeval scorer · 3 variant(s)", "tv~temperature0.4 = gen(s, samples=3, temperature=0.4) | fuse(s)"),
        ]
        for (i, e) in expected.enumerated() {
            let db = dir.path("study-\(i).sqlite")
            let r = try archon(["run", repositoryRoot.appendingPathComponent("recipes/\(e.recipe).archon").path, "--db", db],
                               directory: repositoryRoot.path)
            XCTAssertEqual(r.status, 0, e.recipe + ":\n" + r.stdout + r.stderr)
            XCTAssertTrue(r.stdout.contains(e.header), e.recipe + ":\n" + r.stdout)
            XCTAssertTrue(r.stdout.contains(e.variant), e.recipe + ":\n" + r.stdout)
            XCTAssertTrue(r.stdout.contains("readable: the paired interval excludes 0"), r.stdout)
            XCTAssertTrue(r.stdout.contains("★"), "a frontier:\n" + r.stdout)
            XCTAssertTrue(r.stdout.contains("diagnosis of "), r.stdout)
            let m = r.stdout.firstMatch(of: #/ablate \w+ · \d+ variants on 12 items · (\d+) calls paid, (\d+) from the cache/#)
            XCTAssertNotNil(m, r.stdout)
            XCTAssertGreaterThan(Int(m?.2 ?? "0") ?? 0, 0, "variants share calls with the full architecture:\n" + r.stdout)
        }
        // The default study and diagnose on the local model too.
        let store = try SessionStore(path: dir.path("study-2.sqlite"))
        XCTAssertTrue(try store.cells(session: 1).contains { $0.source == "ablate lf mixeval_hard[500:512]" && $0.output.contains("lf~gen1 = gen(warm, samples=2) | fuse(tiny)") })
        let critic = try SessionStore(path: dir.path("study-1.sqlite"))
        XCTAssertTrue(try critic.cells(session: 1).contains { $0.source.hasPrefix("diagnose rc") && $0.output.contains("diagnosis of rc on 12 item(s)") && $0.status == "ok" })
    }

    /// The search recipe on the local model: models ranked on dev, four trials (three random, one chosen by the process), the best exported and
    /// re-scored on test; run again, every trial resumes from the store and nothing is paid.
    func testTheShippedSearchRecipeRunsAndResumes() throws {
        let recipe = repositoryRoot.appendingPathComponent("recipes/search.archon").path
        let r = try archon(["run", recipe, "--db", db], environment: datasets, directory: dir.url.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("split (seed 1): dev 6 items, test 6 items, disjoint"), r.stdout)
        XCTAssertTrue(r.stdout.contains("models on dev, best first (generators take the top k): "), r.stdout)
        XCTAssertTrue(r.stdout.contains("[5] search local · 4 trials (0 resumed from the store)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("best: local_best = gen("), r.stdout)
        XCTAssertTrue(r.stdout.contains("on 6 held-out items — the score to report"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path("local_best.json")))
        let again = try archon(["run", recipe, "--db", db], environment: datasets, directory: dir.url.path)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertTrue(again.stdout.contains("[5] search local · 4 trials (4 resumed from the store) · 0 calls paid"), again.stdout)
    }

    /// The evaluation axis with unit tests: the trial that has them pays the test writer's and the
    /// judge's calls, as many per query as the space estimated.
    func testASearchOverUnitTestEvaluationPaysItsTestCalls() throws {
        let script = """
            model t0 = local/smollm2 temperature=0.9 seed=3 max_tokens=40
            space code = generators(t0) samples(1..2) fuse_layers(0) evaluation(none|unit_tests)
            space code
            search code mixeval_hard[520:524] optimizer=random budget=3 seed=1 test=0.5

            """
        let r = try archon(["--db", db], stdin: script, environment: datasets, directory: dir.url.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("raw size 4 · valid 3"), r.stdout)
        XCTAssertTrue(r.stdout.contains("search code · 3 trials (0 resumed from the store)"), r.stdout)
        let store = try SessionStore(path: db)
        let trials = try store.searchTrials(1).filter { $0.phase == "search" }
        XCTAssertEqual(trials.count, 3)
        let tested = trials.filter { $0.config.contains("unit_tests") }
        XCTAssertEqual(tested.count, 2, "1 and 2 samples, each with unit tests")
        for t in tested {
            // gen × s, one test writer, one judgement per candidate — as the space estimated.
            let samples = t.config.hasPrefix("1 gen × 2") ? 2 : 1
            XCTAssertEqual(t.calls, Double(samples + 1 + samples), accuracy: 1e-9, t.notation)
        }
        let techniques = Set(try store.calls(session: 1).compactMap(\.technique))
        XCTAssertEqual(techniques, ["generator", "unit_test_evaluator", "unit_test_generator"], "the unit-test layers called the model")
    }

    func testThousandGarbledLinesNeverCrashTheProcess() throws {
        var rng = LineRNG(state: 2026)
        let words = ["model", "ask", "show", "help", "models", "set", "=", "\"", "\\", "|", "[", "local/", "🙂", "é",
                     "temperature=", "-1", "1e999", "\t", "#", "\u{1B}[A", "\u{7}", "sessions", "x", "\"\"\""]
        var lines: [String] = []
        for _ in 0..<1000 {
            let n = Int(rng.next() % 9)
            lines.append((0..<n).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " "))
        }
        // Keep the stream free of an 'exit' and of an open multi-line string at the very end.
        let r = try archon(["--db", db], stdin: lines.joined(separator: "\n") + "\n\"\"\"\nhelp\n")
        XCTAssertFalse(r.signalled, "archon crashed: \(r.stderr)")
        XCTAssertEqual(r.status, 1, "some lines are errors, so the status is 1")
        let sessions = try SessionStore(path: db).sessions()
        XCTAssertEqual(sessions.count, 1)
        XCTAssertGreaterThan(sessions[0].cells, 300)
    }

    func testBadDatabaseAndMissingVenvSayWhatToDo() throws {
        let notes = dir.path("notes.txt")
        try "my notes".write(toFile: notes, atomically: true, encoding: .utf8)
        let r = try archon(["--db", notes], stdin: "help\n")
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("is not an archon session database"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "my notes")

        let noVenv = try archon(["--db", db], stdin: "model t = local/smollm2\nask t \"hi\"\n",
                                environment: ["ARCHON_VENV": dir.path("no-venv")])
        XCTAssertEqual(noVenv.status, 1)
        XCTAssertTrue(noVenv.stdout.contains("ARCHON_VENV=\(dir.path("no-venv")) has no bin/python — create it with: python3 -m venv .venv"),
                      noVenv.stdout)
    }

    func testAPIKeysNeverReachTheDatabase() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let secret = "sk-test-\(UUID().uuidString)"
        let input = "model f = compatible/echo base_url=\(server.baseURL()) api_key_env=ARCHON_TEST_KEY\nask f \"hi\"\nmodels\nshow 2\n"
        let r = try archon(["--db", db], stdin: input, environment: ["ARCHON_TEST_KEY": secret])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("echo: hi"))
        XCTAssertTrue(r.stdout.contains("ARCHON_TEST_KEY set"))
        XCTAssertFalse(r.stdout.contains(secret))
        for file in [db, db + "-wal"] {
            if let data = FileManager.default.contents(atPath: file) {
                XCTAssertNil(data.range(of: Data(secret.utf8)), "the key is in \(file)")
            }
        }
    }

    /// Starts archon on a pipe, asks the local model once and waits for the answer; archon keeps running.
    func startArchonAfterOneAsk() throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: archonBinary)
        p.arguments = ["--db", db]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("model t = local/smollm2 temperature=0 max_tokens=8\nask t \"hi\"\n".utf8))
        var seen = Data()
        let deadline = Date().addingTimeInterval(60)
        while !String(decoding: seen, as: UTF8.self).contains("[2] t · "), Date() < deadline {
            seen.append(output.fileHandleForReading.availableData)
        }
        return (p, input)
    }

    func testDeadlineCancelsAHangingCellAndModelsShowsKeysAndPrices() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let input = """
            model h = compatible/echo base_url=\(server.baseURL("hang")) retries=0
            model c = anthropic/claude-3-5-sonnet-20240620 max_tokens=100
            model g = openai/gpt-4o-mini
            set deadline 1
            ask h "wait forever"
            models
            show 5
            set deadline off
            set dedline 3

            """
        let start = Date()
        let r = try archon(["--db", db], stdin: input, environment: ["ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "sk-visible-only-as-set"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("error: the cell's deadline of 1 s was reached"), r.stdout)
        XCTAssertTrue(r.stdout.contains("ANTHROPIC_API_KEY not set"), r.stdout)
        XCTAssertTrue(r.stdout.contains("OPENAI_API_KEY set"), r.stdout)
        XCTAssertFalse(r.stdout.contains("sk-visible-only-as-set"))
        XCTAssertTrue(r.stdout.contains("$3 / $15"), "the built-in price of Claude 3.5 Sonnet:\n\(r.stdout)")
        XCTAssertTrue(r.stdout.contains("cell 5 · error"), r.stdout)
        XCTAssertTrue(r.stdout.contains("error: cancelled"), "the hanging call is recorded as cancelled:\n\(r.stdout)")
        XCTAssertTrue(r.stdout.contains("unknown setting 'dedline' — did you mean 'deadline'?"), r.stdout)
    }

    func testLocalServerStopsWhenArchonExits() throws {
        let (p, input) = try startArchonAfterOneAsk()
        XCTAssertEqual(localServers(ownedBy: p.processIdentifier).count, 1, "the server runs while archon does")
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(localServers(ownedBy: p.processIdentifier), [], "no orphan server after exit")
    }

    func testLocalServerDiesWithArchonEvenAfterKill9() throws {
        let (p, _) = try startArchonAfterOneAsk()
        let pid = p.processIdentifier
        XCTAssertEqual(localServers(ownedBy: pid).count, 1)
        kill(pid, SIGKILL)
        p.waitUntilExit()
        let gone = Date().addingTimeInterval(5)
        while !localServers(ownedBy: pid).isEmpty, Date() < gone { usleep(100_000) }
        XCTAssertEqual(localServers(ownedBy: pid), [], "the server noticed its parent died")
        // The call that finished before the kill is in the database.
        let sessions = try SessionStore(path: db).sessions()
        XCTAssertEqual(sessions.first?.calls, 1)
    }
}

struct LineRNG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
