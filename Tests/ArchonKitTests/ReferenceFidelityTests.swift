// Issue 12: a loaded configuration behaves as the reference's — one critic call for all candidates,
// rules=reference for what the reference runs, routes to one's own models, lossless export. Scripted
// in-process provider: the requests and the data between layers matter here, not the words.

import ArchonKit
import ArchonTestSupport
import Foundation
import XCTest

final class ReferenceFidelityTests: XCTestCase {
    var dir: TempDir!
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    func interpreter(_ reply: @escaping @Sendable (ChatRequest, ModelSpec) throws -> String) throws -> (Interpreter, ScriptedProvider, SessionStore) {
        let store = try SessionStore(path: dir.path("f.sqlite"))
        let provider = ScriptedProvider(reply: reply)
        return (try Interpreter(store: store, kind: "test", providers: { _ in provider }), provider, store)
    }

    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Fixtures/archon-configs/\(name)").path
    }

    func testTheCriticMakesOneCallAndMatchesCritiquesByTheirNumbers() async throws {
        let (i, provider, store) = try interpreter { r, _ in
            let text = r.messages.last?.content ?? ""
            if text.contains("There are 3 responses") {
                // Out of order, one missing, one without headings.
                return "[3] Strengths: short. Weaknesses: none.\n\n[1]\nStrengths: clear\nWeaknesses: long\n\n[9] stray label"
            }
            if text.contains("Response:\n") { return "Strengths: ok. Weaknesses: vague." }
            return "answer \(r.sampleIndex + 1)"
        }
        _ = await i.execute("model s = local/smollm2 temperature=0.5")
        _ = await i.execute("arch one = gen(s, samples=3) | critic(s)")
        _ = await i.execute("arch each = gen(s, samples=3) | critic(s, per_candidate=true)")
        let r = await i.execute("ask one \"Q?\"")
        XCTAssertEqual(r.status, .ok, r.output)
        let layers = LayerTrace.decode(try store.layers(cell: try store.cell(session: i.sessionID, number: 4).id!))
        let out = layers[1].candidatesOut
        XCTAssertEqual(out.map(\.text), ["answer 1", "answer 2", "answer 3"])
        XCTAssertEqual(out[0].critique, "Strengths: clear\nWeaknesses: long")
        XCTAssertNil(out[1].critique)
        XCTAssertEqual(out[2].critique, "Strengths: short. Weaknesses: none.")
        XCTAssertEqual(layers[1].notes, ["no critique labelled [2] in the reply; candidate 2 has none"])
        XCTAssertEqual(layers[1].parseFailures, 1)
        XCTAssertEqual(provider.requests.filter { $0.request.messages.last!.content.contains("There are 3 responses") }.count, 1)
        let critic = provider.requests.last!.request.messages.last!.content
        XCTAssertTrue(critic.contains("[1] answer 1\n\n[2] answer 2\n\n[3] answer 3"), critic)

        let before = provider.requests.count
        let each = await i.execute("ask each \"Q?\"")
        XCTAssertEqual(each.status, .ok, each.output)
        XCTAssertEqual(provider.requests.count - before, 3 + 0, "the samples come from the cache; three critic calls, one per candidate")
        let explained = await i.execute("explain one")
        XCTAssertTrue(explained.output.contains("≤ 4 calls per query"), explained.output)
        let catalogue = await i.execute("explain critic")
        XCTAssertTrue(catalogue.output.contains("one call (per sample) that critiques every candidate"), catalogue.output)
        let bad = await i.execute("arch bad = gen(s) | rank(s, per_candidate=true)")
        XCTAssertTrue(bad.output.contains("per_candidate applies to crit(…) only"), bad.output)
    }

    func testRulesReferenceRunsWhatTheReferenceRuns() async throws {
        let (i, provider, _) = try interpreter { r, m in
            let text = r.messages.last?.content ?? ""
            return text.contains("responses") || text.contains("Responses") || text.contains("candidates") ? "fused by \(m.name)" : "answer of \(m.name) \(r.sampleIndex + 1)"
        }
        _ = await i.execute("set cache off")  // every layer calls the same routed model: count every call
        _ = await i.execute("model box = vllm/served temperature=0")
        let mixed = "archon-70Bx10_SOTA_1_samples_then_critic_then_fuse_with_Claude_3.5_Sonnet.json"
        let strict = await i.execute("load archon \"\(Self.fixture(mixed))\" as m route Together_API=box, Anthropic_API=box")
        XCTAssertEqual(strict.status, .error)
        XCTAssertTrue(strict.output.contains("mixes Fuser and Generator") && strict.output.contains("load it with rules=reference"), strict.output)
        let loaded = await i.execute("load archon \"\(Self.fixture(mixed))\" as m rules=reference route Together_API=box, Anthropic_API=box")
        XCTAssertEqual(loaded.status, .ok, loaded.output)
        XCTAssertTrue(loaded.output.contains("rules=reference: layer 1 mixes Fuser and Generator: each component adds its outputs to the layer's candidates, in order"), loaded.output)
        let explained = await i.execute("explain m")
        XCTAssertTrue(explained.output.contains("rules=reference: layer 1 mixes"), explained.output)

        // Generators after generators answer the query again and replace the candidates.
        let json = #"{"name": "twice", "layers": [[{"type": "generator", "model": "a", "model_type": "Together_API", "samples": 2}], [{"type": "generator", "model": "b", "model_type": "Together_API", "samples": 3}], [{"type": "fuser", "model": "c", "model_type": "Together_API"}, {"type": "generator", "model": "d", "model_type": "Together_API"}]]}"#
        try json.write(toFile: dir.path("twice.json"), atomically: true, encoding: .utf8)
        let refused = await i.execute("load archon \"\(dir.path("twice.json"))\" as t route Together_API=box")
        XCTAssertTrue(refused.output.contains("generators belong in the first layer only"), refused.output)
        let t = await i.execute("load archon \"\(dir.path("twice.json"))\" as t rules=reference route Together_API=box")
        XCTAssertEqual(t.status, .ok, t.output)
        XCTAssertTrue(t.output.contains("layer 2 holds generators after a generator layer: they answer the query again and their answers replace the candidates"), t.output)
        XCTAssertTrue(t.output.contains("≤ 7 calls per query"), t.output)
        let before = provider.requests.count
        let r = await i.execute("ask t \"Q?\"")
        XCTAssertEqual(r.status, .ok, r.output)
        XCTAssertEqual(provider.requests.count - before, 7, "2 + 3 + a fuser and a generator")
        let shown = await i.execute("show 8")
        XCTAssertTrue(shown.output.contains("layer 2 · generator · 2 → 3 candidates"), shown.output)
        XCTAssertTrue(shown.output.contains("layer 3 · fuser · 3 → 2 candidates"), shown.output)
    }

    func testARouteSendsAProviderOrAModelToYourOwnModelAndExportKeepsTheFile() async throws {
        let (i, provider, _) = try interpreter { _, m in "from \(m.name)" }
        _ = await i.execute("model tiny = local/smollm2 temperature=0")
        let file = "archon-1-110bFuser-PairRM3-6-MoAM.json"
        let refused = await i.execute("load archon \"\(Self.fixture(file))\" as p")
        XCTAssertTrue(refused.output.contains("route it to a model of yours: load archon"), refused.output)
        let unknown = await i.execute("load archon \"\(Self.fixture(file))\" as p route llm-blender/PairRM=tyni")
        XCTAssertTrue(unknown.output.contains("route llm-blender/PairRM=tyni: no model named 'tyni' — did you mean 'tiny'?"), unknown.output)
        let loaded = await i.execute("load archon \"\(Self.fixture(file))\" as p route llm-blender/PairRM=tiny, Together_API=tiny")
        XCTAssertEqual(loaded.status, .ok, loaded.output)
        XCTAssertTrue(loaded.output.contains("'llm-blender/PairRM' is a reward model; routed to tiny, it ranks with the LLM ranker's prompt"), loaded.output)
        let models = await i.execute("archs")
        XCTAssertTrue(models.output.contains("rank(tiny"), models.output)
        let r = await i.execute("ask p \"Q?\"")
        XCTAssertEqual(r.status, .ok, r.output)
        XCTAssertEqual(Set(provider.requests.map(\.model)), ["tiny"], "every call went to the routed model")
        _ = await i.execute("export archon p \"\(dir.path("p.json"))\"")
        let source = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixture(file)))) as? [String: Any])
        let exported = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("p.json")))) as? [String: Any])
        let ranker = try XCTUnwrap((exported["layers"] as? [[[String: Any]]])?[1][0])
        XCTAssertEqual(ranker["model"] as? String, "llm-blender/PairRM", "the file's own model, not the route")
        XCTAssertEqual(ranker["model_type"] as? String, "")
        XCTAssertEqual((source["layers"] as? [Any])?.count, (exported["layers"] as? [Any])?.count)
    }

    func testLoadOptionsParseAndBadOnesSayWhatToWrite() throws {
        guard case let .loadArchon(path, name, options)? = try Parser.parse(#"load archon "f.json" as x rules=reference route Together_API=box, "llm-blender/PairRM"=tiny"#) else {
            return XCTFail("not a load")
        }
        XCTAssertEqual(path, "f.json")
        XCTAssertEqual(name, "x")
        XCTAssertEqual(options.rules, .reference)
        XCTAssertEqual(options.routes, [.init(from: "Together_API", to: "box"), .init(from: "llm-blender/PairRM", to: "tiny")])
        for (line, expected) in [(#"load archon "f.json" as x rules=loose"#, "rules takes strict or reference"),
                                 (#"load archon "f.json" as x route Together_API"#, "= and a model of yours"),
                                 (#"load archon "f.json" as x colour=red"#, "rules=reference or route KEY=MODEL")] {
            XCTAssertThrowsError(try Parser.parse(line)) { XCTAssertTrue("\($0)".contains(expected), "\(line): \($0)") }
        }
    }
}
