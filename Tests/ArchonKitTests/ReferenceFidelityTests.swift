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
                                 (#"load archon "f.json" as x colour=red"#, "rules=reference, prompts=reference or route KEY=MODEL"), (#"load archon "f.json" as x prompts=paper"#, "prompts takes archon or reference")] {
            XCTAssertThrowsError(try Parser.parse(line)) { XCTAssertTrue("\($0)".contains(expected), "\(line): \($0)") }
        }
    }
}

/// `prompts=reference`: what each technique sends is what the reference's own prompt functions
/// return for the same inputs (run here by python3 on the vendored file, apart from archon), with the
/// reference's system messages, and the reference's output conventions are read.
final class ReferencePromptTests: XCTestCase {
    var dir: TempDir!
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    /// The reference's function, called directly.
    func reference(_ function: String, _ arguments: [String: Any]) throws -> String {
        let request = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let script = "import importlib.util, json, sys\nspec = importlib.util.spec_from_file_location('p', sys.argv[1])\n"
            + "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
            + "sys.stdout.write(getattr(m, sys.argv[2])(**json.loads(sys.argv[3])))"
        let out = try runProcess("/usr/bin/env", ["python3", "-c", script, repositoryRoot.appendingPathComponent("reference/archon_prompts.py").path, function, request])
        XCTAssertEqual(out.status, 0, out.stderr)
        return out.stdout
    }

    func testEveryTechniqueSendsTheReferencesOwnPrompt() async throws {
        let store = try SessionStore(path: dir.path("r.sqlite"))
        let provider = ScriptedProvider { r, _ in
            let text = r.messages.last?.content ?? ""
            if text.hasPrefix("I will provide you with 2 responses") && text.contains("Evaluate the strengths") {
                return "[1]\nStrengths:\n- short\nWeaknesses:\n- vague\n\n[2]\nStrengths:\n- exact\nWeaknesses:\n- none"
            }
            if text.contains("Rank the 2 responses") { return "Answer: [2] > [1]\nBecause." }
            if text.hasPrefix("Given the following query, generate a set of") { return "['The answer mentions Paris', 'The answer is one word']" }
            if text.hasPrefix("Given the following query, candidate response, and unit tests") {
                return "Reasoning.\nUnit Test #1: [Passed]\nUnit Test #2: [\(text.contains("Paris!") ? "Passed" : "Failed")]"
            }
            if text.hasPrefix("Given the following query, response, and reasoning") { return "It holds. [Correct]" }
            if text.hasPrefix("I will provide you with a response indicated") { return "It names the capital." }
            if text.hasPrefix("You have been provided with a set of responses") { return "Paris." }
            return r.sampleIndex == 0 ? "Paris" : "Paris!"
        }
        let i = try Interpreter(store: store, kind: "test", providers: { _ in provider })
        _ = await i.execute("model s = local/smollm2 temperature=0.7")
        let defined = await i.execute("arch a = gen(s, samples=2, prompts=reference) | critic(s, prompts=reference) | rank(s, top_k=2, prompts=reference) | fuse(s, prompts=reference)")
        XCTAssertEqual(defined.status, .ok, defined.output)
        let query = "What is the capital of France?"
        let r = await i.execute("ask a \"\(query)\"")
        XCTAssertEqual(r.status, .ok, r.output)
        XCTAssertEqual(r.output, "Paris.")
        func sent(_ prefix: String) throws -> [ChatMessage] {
            try XCTUnwrap(provider.requests.first { $0.request.messages.last!.content.hasPrefix(prefix) }?.request.messages, prefix)
        }
        let gen = try XCTUnwrap(provider.requests.first?.request.messages)
        XCTAssertEqual(gen.map(\.role), ["system", "user"])
        XCTAssertEqual(gen[0].content, "You are a helpful assistant")
        let critic = try sent("I will provide you with 2 responses, each indicated by a numerical identifier []. Evaluate")
        XCTAssertEqual(critic[0].content, "You are a critical evaluator.")
        XCTAssertEqual(critic[1].content, try reference("make_critic_prompt", ["query": query, "candidates": ["Paris", "Paris!"]]))
        let critiques = ["Strengths:\n- short\nWeaknesses:\n- vague", "Strengths:\n- exact\nWeaknesses:\n- none"]
        let ranker = try sent("I will provide you with 2 responses, each indicated by a numerical identifier []. Rank")
        XCTAssertEqual(ranker[0].content, "You are a helpful assistant who ranks multiple answers")
        XCTAssertEqual(ranker[1].content, try reference("make_ranker_prompt", ["generations": ["Paris", "Paris!"], "query": query, "critiques": critiques]))
        let fuser = try sent("You have been provided with a set of responses")
        XCTAssertEqual(fuser[0].content, "You are a helpful assistant who fuses multiple answers")
        // The ranker put [2] first, critiques travelling with their candidates.
        XCTAssertEqual(fuser[1].content, try reference("make_fuser_prompt", ["conv": [["role": "user", "content": query]], "references": ["Paris!", "Paris"],
                                                                             "critiques": Array(critiques.reversed()), "length_control": false]))

        let tests = await i.execute("arch t = tests(s, prompts=reference) | gen(s, samples=2, prompts=reference) | judge_tests(s, top_k=1, prompts=reference) | verify(s, prompts=reference)")
        XCTAssertEqual(tests.status, .ok, tests.output)
        let q2 = "Name the capital of France."
        let rt = await i.execute("ask t \"\(q2)\"")
        XCTAssertEqual(rt.status, .ok, rt.output)
        XCTAssertEqual(rt.output, "Paris!", "the candidate passing both tests, verified")
        let utg = try sent("Given the following query, generate a set of")
        XCTAssertEqual(utg[0].content, "You are a unit test generator.")
        XCTAssertEqual(utg[1].content, try reference("make_unit_test_generator_prompt", ["query": q2]))
        let tested = ["The answer mentions Paris", "The answer is one word"]
        let ute = try sent("Given the following query, candidate response, and unit tests")
        XCTAssertEqual(ute[0].content, "You are a unit test evaluator")
        let answered = try XCTUnwrap(ute[1].content.firstMatch(of: /Candidate Response: (.*)\n/)).1
        XCTAssertEqual(ute[1].content, try reference("make_unit_test_evaluator_prompt", ["query": q2, "response": String(answered), "unit_tests": tested]))
        let reasoning = try sent("I will provide you with a response indicated")
        XCTAssertEqual(reasoning[0].content, "You are a reasoning generator for instructions and their responses.")
        XCTAssertEqual(reasoning[1].content, try reference("make_verifier_reasoning_prompt", ["query": q2, "candidate": "Paris!"]))
        let verdict = try sent("Given the following query, response, and reasoning")
        XCTAssertEqual(verdict[1].content, try reference("make_verifier_verdict_prompt", ["query": q2, "candidate": "Paris!", "reasoning": "It names the capital."]))
        // The generators after the tests were asked to pass them, as the reference asks.
        XCTAssertTrue(provider.requests.contains { $0.request.messages.last!.content.hasSuffix("Your response should pass the following unit tests: \n- The answer mentions Paris\n- The answer is one word") })
    }

    func testLoadWithReferencePromptsMarksEveryComponent() async throws {
        let store = try SessionStore(path: dir.path("l.sqlite"))
        let i = try Interpreter(store: store, kind: "test", environment: ["ARCHON_REFERENCE_PROMPTS": dir.path("missing.py")], providers: { _ in ScriptedProvider() })
        _ = await i.execute("model tiny = local/smollm2")
        let file = repositoryRoot.appendingPathComponent("recipes/configs/smollm2-rank-fuse.json").path
        let ok = await i.execute("load archon \"\(file)\" as x prompts=reference")
        // The environment of the interpreter is not the process's: the vendored file is found.
        XCTAssertEqual(ok.status, .ok, ok.output)
        let shown = await i.execute("archs")
        XCTAssertTrue(shown.output.contains("prompts=reference"), shown.output)
    }
}
