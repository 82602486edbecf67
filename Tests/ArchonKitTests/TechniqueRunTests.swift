// Every technique end to end: on the real local model (structure, alignment, recorded fallbacks),
// and against a fixed-latency fake server (a layer's calls are in flight together).

import ArchonKit
import ArchonTestSupport
import GRDB
import XCTest

final class TechniqueRunTests: XCTestCase {
    func testGenerateCritiqueRankFuseOnTheLocalModel() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let store = try SessionStore(path: dir.path("t.sqlite"))
        let i = try Interpreter(store: store, kind: "test")
        _ = await i.execute("model tiny = local/smollm2 temperature=0 max_tokens=24")
        _ = await i.execute("model warm = local/smollm2 temperature=0.9 max_tokens=24 seed=11")
        let defined = await i.execute("arch a = gen(tiny) + gen(warm, samples=2) | critic(tiny) | rank(tiny, top_k=2) | fuse(tiny, length_control=true)")
        XCTAssertEqual(defined.status, .ok, defined.output)
        let r = await i.execute("ask a \"Name a fruit.\"")
        XCTAssertEqual(r.status, .ok, r.output)
        XCTAssertFalse(r.output.isEmpty)
        XCTAssertTrue(r.footer?.hasPrefix("[4] a · 4 layers · 6 calls · ") ?? false, r.footer ?? "")

        let sid = i.sessionID
        let cell = try store.cell(session: sid, number: 4)
        let layers = LayerTrace.decode(try store.layers(cell: cell.id!))
        XCTAssertEqual(layers.map(\.technique), ["generator", "critic", "ranker", "fuser"])
        XCTAssertEqual(layers.map(\.candidatesOut.count), [3, 3, 2, 1])
        XCTAssertEqual(layers[0].candidatesOut.map(\.origin), ["gen tiny #1", "gen warm #1", "gen warm #2"])
        // Critiques stay with their candidates, through the ranker's reordering too.
        XCTAssertEqual(layers[1].candidatesOut.map(\.text), layers[0].candidatesOut.map(\.text))
        // One critic call for the three; a critique the small model did not label with its number is noted.
        for (i, c) in layers[1].candidatesOut.enumerated() {
            XCTAssertTrue(c.critique != nil || layers[1].notes.contains("no critique labelled [\(i + 1)] in the reply; candidate \(i + 1) has none"), "\(layers[1].notes)")
        }
        for kept in layers[2].candidatesOut {
            let original = try XCTUnwrap(layers[1].candidatesOut.first { $0.origin == kept.origin })
            XCTAssertEqual(kept.critique, original.critique)
        }
        XCTAssertEqual(r.output, layers[3].candidatesOut[0].text)
        // A fallback taken anywhere is counted in the trace and in the footer.
        let fallbacks = layers.map(\.parseFailures).reduce(0, +)
        if fallbacks > 0 { XCTAssertTrue(r.footer!.contains("\(fallbacks) parse fallback(s)"), r.footer!) }
        // Every call is tied to its layer and technique.
        let calls = try store.calls(cell: cell.id!)
        XCTAssertEqual(calls.count, 6)
        XCTAssertEqual(Dictionary(grouping: calls, by: { $0.layer ?? 0 }).mapValues(\.count), [1: 3, 2: 1, 3: 1, 4: 1])
        XCTAssertEqual(Set(calls.filter { $0.layer == 2 }.map(\.technique)), ["critic"])
        XCTAssertEqual(calls.filter { $0.layer == 1 && $0.modelName == "warm" }.map(\.sampleIndex).sorted(), [0, 1])
        let shown = await i.execute("show 4")
        XCTAssertTrue(shown.output.contains("layer 3 · ranker · 3 → 2 candidates"), shown.output)
        XCTAssertTrue(shown.output.contains("chosen: fuse tiny #1"), shown.output)
    }

    func testUnitTestsVerifierVoteAndBestOfNOnTheLocalModel() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let store = try SessionStore(path: dir.path("u.sqlite"))
        let i = try Interpreter(store: store, kind: "test")
        _ = await i.execute("model tiny = local/smollm2 temperature=0 max_tokens=24")
        _ = await i.execute("model warm = local/smollm2 temperature=0.9 max_tokens=24 seed=5")
        _ = await i.execute("arch u = gen(warm, samples=3) | tests(tiny, unit_test_cap=2) | judge_tests(tiny, top_k=2, remove_unit_tests=true) | verify(tiny) | vote()")
        let r = await i.execute("ask u \"What is 3 plus 4?\"")
        XCTAssertEqual(r.status, .ok, r.output)
        let sid = i.sessionID
        let layers = LayerTrace.decode(try store.layers(cell: try store.cell(session: sid, number: 4).id!))
        XCTAssertEqual(layers.map(\.technique), ["generator", "unit_test_generator", "unit_test_evaluator", "verifier", "majority_vote"])
        XCTAssertEqual(layers[0].candidatesOut.count, 3)
        XCTAssertLessThanOrEqual(layers[1].unitTests.count, 2)
        XCTAssertEqual(layers[2].candidatesOut.count, 2)
        XCTAssertEqual(layers[2].unitTests, [], "remove_unit_tests dropped them")
        XCTAssertTrue(layers[3].notes.contains { $0.hasPrefix("verified") || $0.hasPrefix("no candidate was verified") }, "\(layers[3].notes)")
        XCTAssertEqual(layers[4].candidatesOut.count, 1)
        XCTAssertTrue(layers[4].notes[0].hasPrefix("answers: "))
        // The user's conversation is never changed: every generator call sent exactly the question.
        let calls = try store.calls(session: sid).filter { $0.technique == "generator" }
        XCTAssertTrue(calls.allSatisfy { $0.request.contains(#""messages":[{"content":"What is 3 plus 4?","role":"user"}]"#) }, calls.map(\.request).joined())

        _ = await i.execute("arch b = gen(warm, samples=2) | best_of_n(tiny)")
        let best = await i.execute("ask b \"Name a color.\"")
        XCTAssertEqual(best.status, .ok, best.output)
        let bl = LayerTrace.decode(try store.layers(cell: try store.cell(session: sid, number: 6).id!))
        XCTAssertEqual(bl.last?.candidatesOut.count, 1)
        XCTAssertTrue(bl.last?.notes.last?.hasPrefix("scores: ") ?? false)
    }

    func testALayersCallsOverlapInTime() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.remove() }
        let i = try Interpreter(store: try SessionStore(path: dir.path("o.sqlite")), kind: "test")
        _ = await i.execute("model slow = compatible/echo base_url=\(server.baseURL("slow-300"))")
        _ = await i.execute("arch w = gen(slow, samples=6) | critic(slow) | fuse(slow)")
        let start = Date()
        let r = await i.execute("ask w \"hello\"")
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(r.status, .ok, r.output)
        let stats = try server.stats()
        XCTAssertEqual(stats.requests, 8, "six samples, one critic call for all six, one fuser")
        XCTAssertGreaterThanOrEqual(stats.maxInFlight, 6, "the six generator calls were in flight together")
        // Sequential calls would take 8 × 0.3 s; three layers at once take about 3 × 0.3 s.
        XCTAssertLessThan(elapsed, 8 * 0.3 * 0.6)
    }

    func testConcurrencyLimitIsRespected() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.remove() }
        let i = try Interpreter(store: try SessionStore(path: dir.path("c.sqlite")), kind: "test")
        _ = await i.execute("model slow = compatible/echo base_url=\(server.baseURL("slow-100")) max_concurrency=3")
        _ = await i.execute("arch w = gen(slow, samples=9)")
        let r = await i.execute("ask w \"hi\"")
        XCTAssertEqual(r.status, .ok, r.output)
        let stats = try server.stats()
        XCTAssertEqual(stats.requests, 9)
        XCTAssertEqual(stats.maxInFlight, 3)
    }
}
