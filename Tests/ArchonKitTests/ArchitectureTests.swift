// Architectures: the construction rules, the arch syntax, Archon JSON import/export, output parsers.

import ArchonKit
import ArchonTestSupport
import XCTest

final class ArchitectureTests: XCTestCase {
    let tiny = ModelSpec(name: "tiny", provider: "local", model: "smollm2", parameters: .init(temperature: 0, maxTokens: 32))

    func c(_ k: TechniqueKind, _ configure: (inout Component) -> Void = { _ in }) -> Component {
        var comp = Component(kind: k, model: k.needsModel ? tiny : nil)
        configure(&comp)
        return comp
    }

    func arch(_ layers: [[Component]]) -> Architecture { Architecture(name: "a", layers: layers.map(Layer.init)) }

    func testConstructionRulesTable() {
        let valid: [[[Component]]] = [
            [[c(.generator)]],
            [[c(.generator), c(.generator) { $0.samples = 3 }], [c(.ranker) { $0.topK = 2 }], [c(.critic)], [c(.fuser)]],
            [[c(.generator)], [c(.fuser), c(.fuser)], [c(.fuser)]],
            [[c(.generator) { $0.samples = 5 }], [c(.unitTestGenerator)], [c(.unitTestEvaluator)], [c(.verifier)], [c(.majorityVote)]],
            [[c(.unitTestGenerator)], [c(.generator)], [c(.unitTestEvaluator)]],
            [[c(.generator)], [c(.bestOfN)]],
        ]
        for layers in valid {
            XCTAssertEqual(ConstructionRules.violations(arch(layers)), [], arch(layers).notation)
        }
        let invalid: [([[Component]], String)] = [
            ([], "at least one layer"),
            ([[c(.fuser)]], "the first layer must hold the generators"),
            ([[c(.generator)], [c(.generator)]], "generators belong in the first layer only"),
            ([[c(.generator), c(.fuser)]], "one technique type per layer"),
            ([[c(.generator)], [c(.ranker), c(.ranker)]], "a Ranker layer holds a single instance"),
            ([[c(.generator)], [c(.critic), c(.critic)]], "a Critic layer holds a single instance"),
            ([[c(.generator)], [c(.verifier), c(.verifier)]], "a Verifier layer holds a single instance"),
            ([[c(.generator)], [c(.unitTestGenerator)], [c(.fuser)]], "is not a UnitTestEvaluator"),
            ([[c(.generator)], [c(.unitTestGenerator)]], "is not a UnitTestEvaluator"),
            ([[c(.generator)], [c(.unitTestEvaluator)]], "evaluates unit tests that no layer wrote"),
            ([[c(.generator)], [Component(kind: .fuser, model: nil)]], "Fuser needs a model"),
        ]
        for (layers, expected) in invalid {
            let v = ConstructionRules.violations(arch(layers))
            XCTAssertTrue(v.contains { $0.contains(expected) }, "\(expected) not in \(v)")
        }
        XCTAssertNil(ConstructionRules.finalChoice(arch([[c(.generator)], [c(.fuser)]])))
        XCTAssertEqual(ConstructionRules.finalChoice(arch([[c(.generator) { $0.samples = 3 }]])),
                       "the last layer may leave up to 3 candidates: the final answer is the first (deterministic)")
    }

    func testEstimates() {
        let a = arch([[c(.generator) { $0.samples = 10 }], [c(.ranker) { $0.topK = 5 }], [c(.critic)], [c(.fuser)]])
        XCTAssertEqual(ArchitectureEstimate.candidateBounds(a), [10, 5, 5, 1])
        XCTAssertEqual(ArchitectureEstimate.callsPerLayer(a), [10, 1, 5, 1])
        XCTAssertEqual(ArchitectureEstimate.callsPerLayer(arch([[c(.generator) { $0.samples = 3 }], [c(.verifier)]])), [3, 6])
        XCTAssertGreaterThan(ArchitectureEstimate.tokensPerLayer(a).reduce(0, +), 10 * 132)
    }

    func testArchSyntaxThroughTheInterpreter() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let i = try Interpreter(store: try SessionStore(path: dir.path("a.sqlite")), kind: "test")
        _ = await i.execute("model tiny = local/smollm2 temperature=0 max_tokens=16")
        let ok = await i.execute("arch moa = gen(tiny, samples=3) + gen(tiny, temperature=0.9) | rank(tiny, top_k=2) | fuse(tiny, length_control=true)")
        XCTAssertEqual(ok.status, .ok, ok.output)
        XCTAssertTrue(ok.output.hasPrefix("defined architecture moa: Generator → Ranker → Fuser · ≤ 6 calls per query"), ok.output)
        let explainedMoa = await i.execute("explain moa")
        XCTAssertTrue(explainedMoa.output.contains("gen(tiny, temperature=0.9)"), "per-instance overrides are printed back:\n\(explainedMoa.output)")
        let listed = await i.execute("archs")
        XCTAssertEqual(listed.output, "arch moa = gen(tiny, samples=3) + gen(tiny, temperature=0.9) | rank(tiny, top_k=2) | fuse(tiny, length_control=true)")
        let cases: [(String, String)] = [
            ("arch x = gen(tyni)", "no model named 'tyni' — did you mean 'tiny'?"),
            ("arch x = gen(tiny, sample=3)", "unknown technique option 'sample' — did you mean 'samples'?"),
            ("arch x = gen(tiny, samples=0)", "samples=0 is not valid — samples takes a whole number from 1 to 1000"),
            ("arch x = generate(tiny) | fuze(tiny)", "unknown technique 'fuze' — did you mean 'fuse'?"),
            ("arch x = gen(tiny) | rank(tiny) + rank(tiny)", "a Ranker layer holds a single instance"),
            ("arch x = gen(tiny) | vote(tiny)", "vote(…) calls no model — write vote()"),
            ("arch x = gen()", "gen(…) needs a model first, e.g. gen(tiny)"),
            ("arch x = gen(tiny", "expected ')' to close gen(…)"),
            ("arch tiny = gen(tiny)", "'tiny' is already a model"),
        ]
        for (line, expected) in cases {
            let r = await i.execute(line)
            XCTAssertEqual(r.status, .error, line)
            XCTAssertTrue(r.output.contains(expected), "\(line)\n\(r.output)")
        }
        let typo = await i.execute("arch x = gen(tyni)")
        XCTAssertTrue(typo.output.hasSuffix("arch x = gen(tyni)\n               ^^^^"), typo.output)
        let explained = await i.execute("explain moa")
        XCTAssertTrue(explained.output.contains("layer 2  Ranker"), explained.output)
        XCTAssertTrue(explained.output.contains("≤ 6 calls per query"))
        let technique = await i.execute("explain critic")
        XCTAssertTrue(technique.output.hasPrefix("Critic — written critic(…)"), technique.output)
        XCTAssertTrue(technique.output.contains("Strengths:"))
        let all = await i.execute("explain techniques")
        XCTAssertEqual(all.output.split(separator: "\n").count, TechniqueKind.allCases.count + 1)
    }

    func testExportThenImportGivesTheSameArchitecture() throws {
        var compatible = ModelSpec(name: "c", provider: "compatible", model: "m", parameters: .init(temperature: 0.5, maxTokens: 99))
        compatible.baseURL = "http://127.0.0.1:9/v1"
        let a = Architecture(name: "rt", layers: [
            Layer([c(.generator) { $0.samples = 4 }, Component(kind: .generator, model: compatible)]),
            Layer([c(.unitTestGenerator) { $0.unitTestCap = 3 }]),
            Layer([c(.unitTestEvaluator) { $0.topK = 2; $0.removeUnitTests = true }]),
            Layer([c(.ranker) { $0.topK = 1; $0.useCritiques = false }]),
            Layer([c(.fuser) { $0.lengthControl = true; $0.samples = 2 }]),
            Layer([c(.verifier) { $0.firstK = 1 }]),
            Layer([c(.majorityVote)]),
        ])
        let data = ArchonConfig.export(a)
        let back = try ArchonConfig.parse(data, file: "rt.json")
        XCTAssertTrue(back.architecture.sameLayers(as: a), String(decoding: data, as: UTF8.self))
        XCTAssertEqual(back.architecture.name, "rt")
        XCTAssertEqual(back.warnings, [])
        XCTAssertEqual(ArchonConfig.export(back.architecture), data, "export is stable")
    }

    func testImportWarningsAndErrorsNameTheProblem() throws {
        let json = #"{"name": "w", "layers": [[{"type": "generator", "model": "m", "model_type": "Together_API", "samples": 2, "top_k": 1}], [{"type": "fuser", "model": "m", "model_type": "OpenAI_API", "length_contorl": true, "checkpoint": "x"}]]}"#
        let r = try ArchonConfig.parse(Data(json.utf8), file: "w.json")
        XCTAssertEqual(r.architecture.layers[0].components[0].model?.provider, "together")
        XCTAssertEqual(r.architecture.layers[1].components[0].model?.provider, "openai")
        XCTAssertTrue(r.warnings.contains("layer 2, component 1: unknown key 'length_contorl' — did you mean 'length_control'? (ignored)"), "\(r.warnings)")
        XCTAssertTrue(r.warnings.contains("layer 2, component 1: 'checkpoint' was ignored by the reference implementation; ignored here too"))
        XCTAssertTrue(r.warnings.contains { $0.contains("top_k on a generator has no effect") })
        let bad: [(String, String)] = [
            ("{", "not valid JSON"),
            (#"{"layers": []}"#, "no \"layers\" list"),
            (#"{"layers": [[{"type": "genrator", "model": "m"}]]}"#, "unknown type 'genrator' — did you mean 'generator'?"),
            (#"{"layers": [[{"type": "generator", "model": "m", "model_type": "Togther_API"}]]}"#, "unknown model_type 'Togther_API' — did you mean 'Together_API'?"),
            (#"{"layers": [[{"type": "generator", "model": "m", "model_type": "OpenAI_Compatible"}]]}"#, "needs \"base_url\""),
            (#"{"layers": [[{"type": "generator", "model": "m", "samples": "three"}]]}"#, "samples must be a whole number ≥ 1"),
            (#"{"layers": [[{"type": "fuser", "model": "m"}]]}"#, "the first layer must hold the generators"),
        ]
        for (text, expected) in bad {
            XCTAssertThrowsError(try ArchonConfig.parse(Data(text.utf8), file: "bad.json")) { e in
                XCTAssertTrue("\(e)".hasPrefix("bad.json: "), "\(e)")
                XCTAssertTrue("\(e)".contains(expected), "\(expected) not in \(e)")
            }
        }
        let local = try ArchonConfig.load(path: repositoryRoot.appendingPathComponent("recipes/configs/smollm2-rank-fuse.json").path)
        XCTAssertEqual(Set(local.architecture.models.map(\.reference)), ["local/smollm2"])
    }

    func testVendoredFixturesImportOrFailClearly() throws {
        let dir = repositoryRoot.appendingPathComponent("Tests/Fixtures/archon-configs")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(files.count, 6)
        for f in files {
            let path = dir.appendingPathComponent(f).path
            do {
                let r = try ArchonConfig.load(path: path)
                XCTAssertFalse(r.architecture.layers.isEmpty)
            } catch {
                XCTAssertTrue(f.hasPrefix("archon-1-110bFuser-1-110bRanker") || f.contains("Claude_3.5_Sonnet"), "\(f): \(error)")
            }
        }
        let legacy = try ArchonConfig.load(path: dir.appendingPathComponent("MoA_Qwen2_all_replace.json").path)
        XCTAssertTrue(legacy.warnings.contains { $0.contains("legacy form {branches, models}") })
        let testsFirst = try ArchonConfig.load(path: dir.appendingPathComponent(
            "archon-gpt-4o-sample_5_then_unit_test_generation_5_with_gpt-4o_then_unit_test_evaluation_with_gpt-4o_first_pass.json").path)
        XCTAssertEqual(testsFirst.architecture.layers.map { $0.kind }, [.unitTestGenerator, .generator, .unitTestEvaluator])
    }

    /// Every config in the shared folder: all import but the two invalid JSON files and two that are
    /// refused with a reason (a fuser inside the generator layer; a PairRM reward model with no model_type).
    func testEverySharedConfigImportsOrIsRefusedWithAReason() throws {
        let dir = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/archon-configs")
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw XCTSkip("shared/archon-configs is not beside the repository")
        }
        var refused: [String: String] = [:]
        var imported = 0
        for f in files.sorted() where f.hasSuffix(".json") {
            do {
                _ = try ArchonConfig.load(path: dir.appendingPathComponent(f).path)
                imported += 1
            } catch {
                refused[f] = error.description
            }
        }
        XCTAssertEqual(Set(refused.keys), ["archon-1-110bFuser-1-110bRanker3-8-70BM3S.json", "archon-1-110bFuser-1-110bRanker5-8-70BM.json",
                                           "archon-1-110bFuser-PairRM3-6-MoAM.json",
                                           "archon-70Bx10_SOTA_1_samples_then_critic_then_fuse_with_Claude_3.5_Sonnet.json"], "\(refused)")
        XCTAssertTrue(refused["archon-1-110bFuser-1-110bRanker5-8-70BM.json"]?.contains("not valid JSON") ?? false)
        XCTAssertGreaterThanOrEqual(imported, 185)
    }
}

final class OutputParserTests: XCTestCase {
    func testRankings() {
        XCTAssertEqual(OutputParsers.ranking("[2] > [1] > [3]", count: 3).order, [1, 0, 2])
        XCTAssertEqual(OutputParsers.ranking("The best is response 3, then 1.", count: 3).order, [2, 0, 1])
        XCTAssertEqual(OutputParsers.ranking("Ranking: [3] [3] [9] [1]", count: 3).order, [2, 0, 1])
        let none = OutputParsers.ranking("They are all good answers!", count: 3)
        XCTAssertEqual(none.order, [0, 1, 2])
        XCTAssertFalse(none.found)
        XCTAssertEqual(OutputParsers.ranking("2.5 points for [2]", count: 2).order, [1, 0])
        let partial = OutputParsers.ranking("[3] > [2]", count: 3)
        XCTAssertEqual(partial.order, [2, 1, 0])
        XCTAssertEqual(partial.named, 2, "a partial ranking says how many it named, so the ranker records the fallback")
    }

    func testVerdicts() {
        XCTAssertEqual(OutputParsers.verdict("[Correct]"), true)
        XCTAssertEqual(OutputParsers.verdict("Verdict: [Incorrect]"), false)
        XCTAssertEqual(OutputParsers.verdict("This is not correct."), false)
        XCTAssertEqual(OutputParsers.verdict("correct, though an earlier step looked incorrect"), true)
        XCTAssertNil(OutputParsers.verdict("I think the answer is 4."))
    }

    func testListsTestsAndScores() {
        XCTAssertEqual(OutputParsers.listItems("Here:\n- adds numbers\n* mentions 4\n1. is short\n2) polite\nTest 5: ok", cap: 4),
                       ["adds numbers", "mentions 4", "is short", "polite"])
        XCTAssertEqual(OutputParsers.listItems("no list here", cap: 3), [])
        XCTAssertEqual(OutputParsers.testResults("Test 1: PASS\nTest 2: FAIL\nTest 3: passed", count: 3), 2)
        XCTAssertEqual(OutputParsers.testResults("1. pass 2. pass 9. pass", count: 2), 2)
        XCTAssertNil(OutputParsers.testResults("looks fine to me", count: 2))
        XCTAssertEqual(OutputParsers.score("Score: 7"), 7)
        XCTAssertEqual(OutputParsers.score("I'd give it 8/10."), 8)
        XCTAssertEqual(OutputParsers.score("[[9]]"), 9)
        XCTAssertNil(OutputParsers.score("excellent"))
        XCTAssertNil(OutputParsers.score("Score: 42"))
    }

    func testFinalAnswers() {
        XCTAssertEqual(OutputParsers.finalAnswer("so \\boxed{\\frac{1}{2}} is it").answer, "0.5", "a fraction votes as its value")
        XCTAssertEqual(OutputParsers.finalAnswer("first \\boxed{1} then \\boxed{x^{2}}").answer, "x^{2}")
        XCTAssertEqual(OutputParsers.finalAnswer("The answer is 1,234.").answer, "1234")
        XCTAssertEqual(OutputParsers.finalAnswer("7 times 6 gives 42").method, "last-number")
        XCTAssertEqual(OutputParsers.finalAnswer("no digits\nParis").answer, "paris")
        XCTAssertEqual(OutputParsers.finalAnswer("(1, 2)").answer, "2")
        XCTAssertEqual(OutputParsers.finalAnswer("so it is \\boxed{\\dfrac12}").answer, OutputParsers.finalAnswer("The answer is 0.5").answer,
                       "votes use the grader's equivalence")
    }
}
