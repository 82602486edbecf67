// The experiments engine from the library API: architectures nobody named are benched, resumed and
// compared; calls are tied to items with their cost; old databases migrate; scheduling puts items
// under way first and a throttled model's waits outside the global slots. Scripted in-process
// provider: the replies' words do not matter here, the requests and rows do.

import ArchonKit
import ArchonTestSupport
import Foundation
import GRDB
import XCTest

final class EngineTests: XCTestCase {
    var dir: TempDir!
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    static let model = ModelSpec(name: "s", provider: "scripted", model: "s", parameters: GenerationParameters(temperature: 0))
    static let prices = Pricing(table: ["scripted/s": .init(input: 1_000_000, output: 2_000_000)])

    /// A dataset of `n` arithmetic questions scored by match; the scripted model answers with the
    /// number after "is" when the question's id is even.
    static func dataset(_ n: Int) -> Dataset {
        Dataset(name: "sums", items: (0..<n).map { i in
            BenchmarkItem(id: "q\(i)", category: i % 2 == 0 ? "even" : "odd", turns: ["What is \(i) + \(i)?"], targets: ["\(2 * i)"])
        }, scorer: .match, source: "test")
    }

    static func reply(_ r: ChatRequest, _: ModelSpec) -> String {
        let text = r.messages.map(\.content).joined(separator: "\n")
        guard let m = text.firstMatch(of: /What is (\d+) \+/), let i = Int(m.1) else { return "I rank the first best." }
        return i % 2 == 0 ? "\(2 * i)" : "no idea"
    }

    /// gen(s, samples=3) | fuse(s), built as a value with no workspace name.
    static func architecture(samples: Int = 3) throws -> Architecture {
        var gen = Component(kind: .generator, model: model)
        try gen.set("samples", String(samples))
        return Architecture(name: "", layers: [Layer([gen]), Layer([Component(kind: .fuser, model: model)])])
    }

    func open() throws -> (SessionStore, Int64, ScriptedProvider, ModelClient) {
        let store = try SessionStore(path: dir.path("engine.sqlite"))
        let session = try store.openSession(kind: "test")
        let provider = ScriptedProvider(reply: Self.reply)
        let client = ModelClient(provider: { _ in provider }, recorder: StoreRecorder(store: store, session: session),
                                 pricing: Self.prices, cache: store)
        return (store, session, provider, client)
    }

    func testAnUnnamedArchitectureIsBenchedResumedAndCompared() async throws {
        let (store, session, provider, client) = try open()
        let arch = try Self.architecture()
        let evaluator = Evaluator(client: client, store: store, session: session)
        let first = try BenchSpec(label: "variant-1", target: .architecture(arch), dataset: Self.dataset(8),
                                  slice: Slice(dataset: "sums", range: 0..<4))
        let r1 = try await evaluator.run(first)
        XCTAssertEqual(r1.scoredNow, 4)
        XCTAssertEqual(r1.items.map(\.itemId), ["q0", "q1", "q2", "q3"])
        XCTAssertEqual(r1.spend.calls, 16, "4 items × (3 generator samples + 1 fuser)")
        XCTAssertEqual(provider.requests.count, 16)
        // Every item carries its own calls, tokens, dollars and time, and they add up to the run's.
        for row in r1.items {
            XCTAssertEqual(row.calls, 4, row.itemId)
            XCTAssertGreaterThan(row.promptTokens ?? 0, 0)
            XCTAssertGreaterThan(row.cost ?? 0, 0)
            XCTAssertNotNil(row.seconds)
            XCTAssertEqual(row.runId, r1.run.id)
        }
        XCTAssertEqual(r1.items.compactMap(\.calls).reduce(0, +), r1.spend.calls)
        XCTAssertEqual(r1.items.compactMap(\.cost).reduce(0, +), r1.spend.cost, accuracy: 1e-9)
        // Every call row names its item and run.
        let calls = try store.calls(session: session)
        XCTAssertEqual(calls.count, 16)
        XCTAssertEqual(Set(calls.compactMap(\.itemId)), ["q0", "q1", "q2", "q3"])
        XCTAssertTrue(calls.allSatisfy { $0.benchRunId == r1.run.id })
        XCTAssertEqual(Dictionary(grouping: calls, by: { $0.itemId! }).mapValues(\.count), ["q0": 4, "q1": 4, "q2": 4, "q3": 4])

        // A wider slice resumes the four stored items and asks only the new ones; the cache is not needed.
        client.cacheMode = .off
        let wider = try BenchSpec(label: "variant-1", target: .architecture(arch), dataset: Self.dataset(8),
                                  slice: Slice(dataset: "sums", range: 0..<8))
        let r2 = try await evaluator.run(wider)
        XCTAssertEqual(r2.resumed, 4)
        XCTAssertEqual(r2.scoredNow, 4)
        XCTAssertEqual(provider.requests.count, 32)
        XCTAssertEqual(r2.n, 8)
        XCTAssertEqual(r2.mean ?? -1, 0.5, accuracy: 1e-9, "even items right, odd wrong")
        XCTAssertEqual(r2.run.id, r1.run.id, "one run per spec")
        XCTAssertEqual(try store.benchRuns().count, 1)

        // Another architecture (one more sample) is another run; the two compare item by item.
        let other = try BenchSpec(label: "variant-2", target: .architecture(try Self.architecture(samples: 4)),
                                  dataset: Self.dataset(8), slice: Slice(dataset: "sums", range: 0..<8))
        XCTAssertNotEqual(other.key, wider.key)
        _ = try await evaluator.run(other)
        let stored = try evaluator.stored(other)
        XCTAssertEqual(stored.items.count, 8)
        let comparison = try PairedComparison(r2, stored)
        XCTAssertEqual(comparison.pairs.count, 8)
        XCTAssertEqual(comparison.difference, 0, accuracy: 1e-9)
        XCTAssertFalse(comparison.readable)
        XCTAssertEqual(comparison.a.label, "variant-1")
        XCTAssertEqual(try store.benchRuns().map(\.label), ["variant-1", "variant-2"])
    }

    func testProgressEventsCountEveryItemAndTheSpend() async throws {
        let (store, session, _, client) = try open()
        let spec = try BenchSpec(label: "s", target: .model(Self.model), dataset: Self.dataset(6), slice: Slice(dataset: "sums"))
        let seen = LockedValue<[BenchProgress]>([])
        _ = try await Evaluator(client: client, store: store, session: session).run(spec) { p in seen.withLock { $0.append(p) } }
        let events = seen.value
        XCTAssertEqual(events.first?.done, 0)
        XCTAssertEqual(events.last?.done, 6)
        XCTAssertEqual(events.last?.spend.calls, 6)
        XCTAssertEqual(events.map(\.done), Array(0...6))
    }

    func testRecordedAnswersAreATarget() async throws {
        let (store, session, provider, client) = try open()
        let recorded = RecordedAnswers(name: "published", answers: ["q0": ["0"], "q1": ["2"], "q2": ["5"]])
        let spec = try BenchSpec(label: "published", target: .recorded(recorded), dataset: Self.dataset(5), slice: Slice(dataset: "sums"))
        XCTAssertEqual(spec.notes, ["published: 2 of 5 items have no recorded answer and are left out"])
        let r = try await Evaluator(client: client, store: store, session: session).run(spec)
        XCTAssertEqual(r.items.map(\.score), [1, 1, 0])
        XCTAssertEqual(provider.requests.count, 0)
        XCTAssertEqual(try store.benchRuns().first?.targetKind, "recorded")
    }

    /// Both published formats are read and matched: AlpacaEval outputs by instruction (spacing aside),
    /// FastChat answers by question id with the same number of turns; items without one are counted.
    func testRecordedAnswerFilesMatchTheirItems() async throws {
        try #"[{"instruction": "Name  a colour.\n", "output": "Blue.", "generator": "pub"}, {"instruction": "Other", "output": "x", "generator": "pub"}]"#
            .write(toFile: dir.path("outputs.json"), atomically: true, encoding: .utf8)
        try "Model,win_rate,standard_error,n_total,length_controlled_winrate\npub,41.5,1.2,805,50.25\n"
            .write(toFile: dir.path("leaderboard.csv"), atomically: true, encoding: .utf8)
        let alpaca = try RecordedAnswers.load(name: "pub", path: "outputs.json", format: nil, relativeTo: dir.url)
        XCTAssertEqual(alpaca.format, .alpacaEval)
        XCTAssertEqual(alpaca.generator, "pub")
        XCTAssertEqual(alpaca.leaderboard?.winRate ?? 0, 0.415, accuracy: 1e-9)
        XCTAssertEqual(alpaca.leaderboard?.lengthControlled ?? 0, 0.5025, accuracy: 1e-9)
        let items = [BenchmarkItem(id: "0", category: "", turns: ["Name a colour."], baseline: "Red."),
                     BenchmarkItem(id: "1", category: "", turns: ["Unknown"], baseline: "y")]
        XCTAssertEqual(alpaca.answer(for: items[0]), ["Blue."])
        XCTAssertNil(alpaca.answer(for: items[1]))
        let spec = try BenchSpec(label: "pub", target: .recorded(alpaca), dataset: Dataset(name: "ae", items: items, scorer: .pairwise, source: "t"),
                                 slice: Slice(dataset: "ae"), judge: Self.model)
        XCTAssertEqual(spec.items.map(\.id), ["0"])
        XCTAssertEqual(spec.notes, ["pub: 1 of 2 items have no recorded answer and are left out"])

        try #"{"question_id": 81, "model_id": "m", "choices": [{"index": 0, "turns": ["one", "two"]}]}"#
            .write(toFile: dir.path("answers.jsonl"), atomically: true, encoding: .utf8)
        let fastchat = try RecordedAnswers.load(name: "m", path: "answers.jsonl", format: nil, relativeTo: dir.url)
        XCTAssertEqual(fastchat.format, .fastchat)
        XCTAssertEqual(fastchat.answer(for: BenchmarkItem(id: "81", category: "", turns: ["a", "b"])), ["one", "two"])
        XCTAssertNil(fastchat.answer(for: BenchmarkItem(id: "81", category: "", turns: ["a"])), "a one-turn item whose id happens to match")
        XCTAssertThrowsError(try RecordedAnswers.load(name: "x", path: "outputs.json", format: .fastchat, relativeTo: dir.url)) {
            XCTAssertTrue("\($0)".contains("outputs.json line 1 has no question_id and choices[0].turns"), "\($0)")
        }
        XCTAssertNotEqual(BenchTarget.recorded(alpaca).definition, BenchTarget.recorded(fastchat).definition)
    }

    /// MixEval free-form: the rule grades final answers only; what it cannot decide goes to the judge,
    /// and the table counts rule-graded, judge-graded and undecided items apart.
    func testFreeFormItemsTheRuleCannotDecideGoToTheJudge() async throws {
        let store = try SessionStore(path: dir.path("grading.sqlite"))
        let session = try store.openSession(kind: "test")
        let provider = ScriptedProvider { _, _ in "The model's answer names another city. [[0]]" }
        let client = ModelClient(provider: { _ in provider }, recorder: StoreRecorder(store: store, session: session), cache: store)
        let items = [("a", "Paris"), ("b", "Paris"), ("c", "367"), ("d", "Paris")].map { id, target in
            BenchmarkItem(id: id, category: "", turns: ["Which city, or how many?"], targets: [target])
        }
        let data = Dataset(name: "ff", items: items, scorer: .mixeval, source: "test")
        let recorded = RecordedAnswers(name: "published", answers: [
            "a": ["Let me see. The answer is Paris."],                       // the final answer is the target
            "b": ["Paris is what many say, but the city is Lyon."],          // a mention, concluding otherwise
            "c": ["There were 42 more."],                                    // a different number
            "d": ["Paris comes to mind first.\nOn reflection, it is Lyon."], // a mention on an earlier line
        ])
        let evaluator = Evaluator(client: client, store: store, session: session)
        let ruleOnly = try await evaluator.run(try BenchSpec(label: "published", target: .recorded(recorded), dataset: data, slice: Slice(dataset: "ff")))
        XCTAssertEqual(ruleOnly.items.map(\.score), [1, 0, 0, 0], "no credit for a mention")
        XCTAssertEqual(ruleOnly.items.map(\.grading), [.rule, .undecided, .rule, .undecided])
        XCTAssertEqual(provider.requests.count, 0)
        let table = BenchTable.render(rows: ruleOnly.items, slice: ruleOnly.slice, scorer: .mixeval, samples: 1, baseline: nil)
        XCTAssertTrue(table.contains("graded: 2 by rule, 0 by the judge, 2 undecided by rule and scored 0 (judge=MODEL grades them)"), table)

        let judge = ModelSpec(name: "j", provider: "scripted", model: "j", parameters: GenerationParameters(temperature: 0))
        let judged = try await evaluator.run(try BenchSpec(label: "published", target: .recorded(recorded), dataset: data,
                                                           slice: Slice(dataset: "ff"), judge: judge))
        XCTAssertEqual(judged.items.map(\.grading), [.rule, .judge, .rule, .judge])
        XCTAssertEqual(provider.requests.count, 2, "only the undecided items were judged")
        XCTAssertTrue(provider.requests.allSatisfy { $0.request.messages.map(\.content).joined().contains("Which city, or how many?") })
        let judgedTable = BenchTable.render(rows: judged.items, slice: judged.slice, scorer: .mixeval, samples: 1, baseline: nil)
        XCTAssertTrue(judgedTable.contains("graded: 2 by rule, 2 by the judge"), judgedTable)
        XCTAssertEqual(try store.benchItems(key: judged.run.key).values.compactMap(\.grading).count, 4, "the grading is stored")
    }

    func testSpecsAreCheckedBeforeAnyCall() throws {
        let judged = Dataset(name: "mt", items: [BenchmarkItem(id: "1", category: "", turns: ["hi"])], scorer: .judge, source: "t")
        XCTAssertThrowsError(try BenchSpec(label: "s", target: .model(Self.model), dataset: judged, slice: Slice(dataset: "mt"))) {
            XCTAssertTrue("\($0)".contains("needs judge=MODEL"), "\($0)")
        }
        XCTAssertThrowsError(try BenchSpec(label: "a", target: .architecture(try Self.architecture()), dataset: Self.dataset(2),
                                           slice: Slice(dataset: "sums"), samples: 3)) {
            XCTAssertTrue("\($0)".contains("an architecture's generators set its own samples"), "\($0)")
        }
        XCTAssertThrowsError(try BenchSpec(label: "s", target: .model(Self.model), dataset: Self.dataset(2), slice: Slice(dataset: "sums"),
                                           baseline: .bundled)) {
            XCTAssertTrue("\($0)".contains("baseline= applies to pairwise benchmarks"), "\($0)")
        }
        // A seed is part of what is measured.
        let a = try BenchSpec(label: "s", target: .model(Self.model), dataset: Self.dataset(2), slice: Slice(dataset: "sums"))
        let b = try BenchSpec(label: "s", target: .model(Self.model), dataset: Self.dataset(2), slice: Slice(dataset: "sums"), seed: 7)
        XCTAssertNotEqual(a.key, b.key)
        XCTAssertEqual(a.key, try BenchSpec(label: "renamed", target: .model(Self.model), dataset: Self.dataset(2), slice: Slice(dataset: "sums", range: 0..<1)).key,
                       "the label and the slice are not part of the key")
    }

    /// A database written by the previous release (sessions/tour.jsonl imported, the rerun reproduction
    /// of issue 11, two reference benches) migrates: every stored result gets a run with its dataset,
    /// scorer and target, `results` names them, and they resume.
    func testADatabaseOfThePreviousVersionMigrates() throws {
        let path = dir.path("v8.sqlite")
        let sql = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/databases/main-v8.sql"), encoding: .utf8)
        var config = Configuration()
        config.foreignKeysEnabled = false  // the dump creates tables in alphabetical order
        let queue = try DatabaseQueue(path: path, configuration: config)
        // The dump (Python's sqlite3 iterdump) wraps itself in a transaction; GRDB brings its own.
        let statements = sql.replacingOccurrences(of: "BEGIN TRANSACTION;", with: "").replacingOccurrences(of: "\nCOMMIT;", with: "\n")
        try queue.write { try $0.execute(sql: statements) }
        try queue.close()
        let store = try SessionStore(path: path)
        let runs = try store.benchRuns()
        XCTAssertEqual(runs.map(\.title), ["bench tiny math500", "bench tiny mt_bench judge=judge", "bench reference mine", "bench reference math500"])
        XCTAssertEqual(runs.map(\.scorer), ["math", "judge", "match", "math"])
        XCTAssertEqual(runs.map(\.targetKind), ["model", "model", "reference", "reference"])
        XCTAssertEqual(runs[0].target, "local/smollm2 temperature=0 max_tokens=64")
        XCTAssertEqual(runs.map(\.n), [3, 1, 3, 3])
        for run in runs { XCTAssertFalse(try store.benchItems(run: run.id!).isEmpty) }
        let text = try ResultsReport.render(store, dataset: "mine")
        XCTAssertTrue(text.contains("bench reference mine      3  100.0%"), text)
        XCTAssertFalse(text.contains("rerun"), text)
        // The migrated tiny run resumes under the same key a new spec derives.
        let tiny = ModelSpec(name: "tiny", provider: "local", model: "smollm2", parameters: GenerationParameters(temperature: 0, maxTokens: 64))
        let math = Dataset(name: "math500", items: (0..<3).map { BenchmarkItem(id: "m\($0)", category: "", turns: ["x"], reference: "1") },
                           scorer: .math, source: "t")
        XCTAssertEqual(try BenchSpec(label: "tiny", target: .model(tiny), dataset: math, slice: Slice(dataset: "math500")).key, runs[0].key)
    }

    func testWaitingCallsOfEarlierItemsGoFirst() async throws {
        let gate = AsyncSemaphore(limit: 1)
        try await gate.acquire()
        let order = LockedValue<[Int]>([])
        await withTaskGroup(of: Void.self) { group in
            for p in [5, 1, 3, 0, 4, 2] {
                group.addTask {
                    try? await gate.acquire(priority: Double(p))
                    order.withLock { $0.append(p) }
                    await gate.release()
                }
                // Let each waiter queue before the next one arrives.
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            await gate.release()
        }
        XCTAssertEqual(order.value, [0, 1, 2, 3, 4, 5])
    }

    /// A model at its own `max_concurrency` waits without holding a global slot: another model's calls
    /// go on while it waits.
    func testAThrottledModelDoesNotHoldGlobalSlots() async throws {
        let provider = ScriptedProvider(latency: 0.1)
        let client = ModelClient(provider: { _ in provider }, recorder: nil, concurrency: 2)
        let slow = ModelSpec(name: "slow", provider: "scripted", model: "slow", maxConcurrency: 1)
        let fast = ModelSpec(name: "fast", provider: "scripted", model: "fast")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<4 { group.addTask { _ = try await client.complete(model: slow, messages: [.user("s\(i)")]) } }
            try await Task.sleep(nanoseconds: 30_000_000)
            for i in 0..<4 { group.addTask { _ = try await client.complete(model: fast, messages: [.user("f\(i)")]) } }
            try await group.waitForAll()
        }
        let slowEnds = provider.requests.filter { $0.model == "slow" }.compactMap(\.ended)
        let fastEnds = provider.requests.filter { $0.model == "fast" }.compactMap(\.ended)
        XCTAssertEqual(fastEnds.count, 4)
        // One slot for the slow model (its own limit), the other for the fast one: the fast calls finish
        // while slow ones still wait (before: 2 waiting slow calls held both slots until the slow model drained).
        XCTAssertLessThan(fastEnds.max()!, slowEnds.max()!, "fast: \(fastEnds), slow: \(slowEnds)")
        XCTAssertEqual(provider.maxInFlight, 2)
    }

    /// Cache and replay are decorators: a cached or replayed call never reaches the provider, and is
    /// recorded as such; an offline replay missing a call says which.
    func testCacheAndReplayDecoratorsServeWithoutTheProvider() async throws {
        let (store, session, provider, client) = try open()
        let question: [ChatMessage] = [.user("What is 2 + 2?")]
        let live = try await client.complete(model: Self.model, messages: question)
        let cached = try await client.complete(model: Self.model, messages: question)
        XCTAssertEqual(cached.content, live.content)
        XCTAssertEqual(provider.requests.count, 1)
        let rows = try store.calls(session: session)
        XCTAssertEqual(rows.map(\.cached), [false, true])
        client.replay = ReplaySource(calls: rows.map { CallRecord(row: $0) }, offline: true)
        let replayed = try await client.complete(model: Self.model, messages: question)
        XCTAssertEqual(replayed.content, live.content)
        XCTAssertEqual(provider.requests.count, 1)
        do {
            _ = try await client.complete(model: Self.model, messages: [.user("never asked")])
            XCTFail("an offline replay cannot answer a new request")
        } catch let e as ProviderError {
            XCTAssertTrue(e.isNotRecorded, "\(e)")
        }
        XCTAssertEqual(provider.requests.count, 1)
    }
}

/// Writes calls to the store as the REPL's recorder does (no cell).
final class StoreRecorder: CallRecorder, @unchecked Sendable {
    let store: SessionStore
    let session: Int64
    init(store: SessionStore, session: Int64) { (self.store, self.session) = (store, session) }
    func record(_ call: CallRecord) { _ = try? store.recordCall(call, session: session, cell: nil) }
}
