// Ablation studies from the library: which variants a plan makes and what it refuses, the paired
// statistics against scipy (an independent implementation, in the test venv), and a study on a
// scripted provider that pays for shared calls once.

import ArchonKit
import ArchonTestSupport
import Foundation
import XCTest

final class AblationTests: XCTestCase {
    static let s = ModelSpec(name: "s", provider: "scripted", model: "s", parameters: GenerationParameters(temperature: 0))
    static let t = ModelSpec(name: "t", provider: "scripted", model: "t", parameters: GenerationParameters(temperature: 0.7))

    static func component(_ kind: TechniqueKind, _ model: ModelSpec?, _ options: [String: String] = [:]) throws -> Component {
        var c = Component(kind: kind, model: model)
        for (k, v) in options.sorted(by: { $0.key < $1.key }) { try c.set(k, v) }
        return c
    }

    /// a = gen(s, samples=4) | rank(s, top_k=2) | fuse(s)
    static func a() throws -> Architecture {
        Architecture(name: "a", layers: [Layer([try component(.generator, s, ["samples": "4"])]),
                                         Layer([try component(.ranker, s, ["top_k": "2"])]), Layer([try component(.fuser, s)])])
    }

    /// A store in `dir`, and a client whose every model answers with `reply`.
    static func scripted(_ dir: TempDir, pricing: Pricing? = nil,
                         reply: @escaping @Sendable (ChatRequest, ModelSpec) throws -> String) throws -> (SessionStore, Int64, ScriptedProvider, ModelClient) {
        let store = try SessionStore(path: dir.path("study.sqlite"))
        let session = try store.openSession(kind: "test")
        let provider = ScriptedProvider(reply: reply)
        let recorder = StoreRecorder(store: store, session: session)
        let client = pricing.map { ModelClient(provider: { _ in provider }, recorder: recorder, pricing: $0, cache: store) }
            ?? ModelClient(provider: { _ in provider }, recorder: recorder, cache: store)
        return (store, session, provider, client)
    }

    /// `n` items "What is i + i?" scored by match.
    static func sums(_ n: Int) -> Dataset {
        Dataset(name: "sums", items: (0..<n).map { i in
            BenchmarkItem(id: "q\(i)", category: "", turns: ["What is \(i) + \(i)?"], targets: ["\(2 * i)"])
        }, scorer: .match, source: "test")
    }

    func testDefaultVariantsAndWhatTheRulesRefuse() throws {
        let plan = try AblationPlan(try Self.a(), changes: [])
        XCTAssertEqual(plan.variants.map(\.name), ["a", "a~rank", "a~fuse"])
        XCTAssertEqual(plan.variants[1].architecture.layersNotation, "gen(s, samples=4) | fuse(s)")
        XCTAssertEqual(plan.skipped.map(\.name), ["a~gen"], "without its generator the architecture breaks the rules")
        XCTAssertFalse(plan.skipped[0].reason.isEmpty)

        // A multi-instance layer: each instance removed too.
        var mixed = try Self.a()
        mixed.layers[0].components.append(try Self.component(.generator, Self.t, ["samples": "2"]))
        let m = try AblationPlan(mixed, changes: [])
        XCTAssertEqual(m.variants.map(\.name), ["a", "a~gen1", "a~gen2", "a~rank", "a~fuse"])
        XCTAssertEqual(m.variants[2].architecture.layersNotation, "gen(s, samples=4) | rank(s, top_k=2) | fuse(s)")
    }

    func testNamedChanges() throws {
        let a = try Self.a()
        let fuseT = Layer([try Self.component(.fuser, Self.t)])
        let plan = try AblationPlan(a, changes: [.drop("rank"), .drop("3"), .replace(layer: 3, with: fuseT), .vary(key: "samples", values: ["1", "2", "4"])])
        XCTAssertEqual(plan.variants.map(\.name), ["a", "a~rank", "a~fuse", "a~3.fuse", "a~samples1", "a~samples2"])
        XCTAssertEqual(plan.skipped, [SkippedVariant(name: "a~samples4", change: "samples=4", reason: "the same as the full architecture")])
        XCTAssertEqual(plan.variants[3].architecture.layersNotation, "gen(s, samples=4) | rank(s, top_k=2) | fuse(t)")
        XCTAssertEqual(plan.variants[4].architecture.layersNotation, "gen(s) | rank(s, top_k=2) | fuse(s)")
        let switches = try AblationPlan(a, changes: [.vary(key: "use_critiques", values: ["false"]), .vary(key: "length_control", values: ["true"])])
        XCTAssertEqual(switches.variants.map(\.name), ["a", "a~no_use_critiques", "a~length_control"])
        let temps = try AblationPlan(a, changes: [.vary(key: "temperature", values: ["0.4"])])
        XCTAssertEqual(temps.variants[1].architecture.layers[0].components[0].model?.parameters.temperature, 0.4)
        XCTAssertEqual(temps.variants[1].architecture.layers[2].components[0].model?.parameters.temperature, 0, "the fuser keeps its own")

        for (change, message) in [(AblationChange.drop("critic"), "drop critic: a has no critic layer"), (.drop("7"), "drop 7: a has layers 1–3"),
                                  (.drop("gen2"), "drop gen2: a has no gen layer with several instances"),
                                  (.vary(key: "sample", values: ["1"]), "vary sample: not a technique option — did you mean 'samples'?"),
                                  (.vary(key: "per_candidate", values: ["true"]), "vary per_candidate: a has no critic to vary it on"),
                                  (.vary(key: "samples", values: ["0"]), "vary samples=0: samples=0 is not valid")] {
            XCTAssertThrowsError(try AblationPlan(a, changes: [change])) { XCTAssertTrue(($0 as? ScriptError)?.message.hasPrefix(message) == true, "\($0)") }
        }
    }

    /// McNemar, the permutation test and Holm against scipy on fixed vectors.
    func testPairedStatisticsAgreeWithScipy() throws {
        let python = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let cases: [([Double], [Double])] = [
            ([1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1], [0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1]),
            ([1, 0, 1, 0, 1, 0, 1, 1], [0, 1, 0, 1, 1, 0, 1, 0]),
            ([0.9, 0.4, 0.75, 0.3, 1, 0.2, 0.65, 0.8, 0.55, 0.1, 0.7, 0.45], [0.5, 0.45, 0.6, 0.1, 0.8, 0.25, 0.3, 0.6, 0.5, 0.2, 0.4, 0.5]),
            ((0..<60).map { Double(($0 * 7) % 11) / 10 }, (0..<60).map { Double(($0 * 5) % 13) / 12 }),
        ]
        let ps = [0.01, 0.04, 0.03, 0.2, 0.005]
        let script = """
            import json, sys
            import numpy as np
            from scipy import stats
            cases = json.loads(sys.argv[1]); out = []
            for a, b in cases:
                a, b = np.array(a), np.array(b)
                if set(np.concatenate([a, b])) <= {0.0, 1.0}:
                    n01 = int(((a == 1) & (b == 0)).sum()); n10 = int(((a == 0) & (b == 1)).sum())
                    out.append(stats.binomtest(min(n01, n10), n01 + n10, 0.5).pvalue if n01 + n10 else 1.0)
                else:
                    d = a - b; d = d[d != 0]
                    r = stats.permutation_test((d,), lambda x, axis: np.mean(x, axis=axis), permutation_type='samples',
                                               n_resamples=np.inf if len(d) <= 20 else 200000, alternative='two-sided', rng=np.random.default_rng(1))
                    out.append(float(r.pvalue))
            print(json.dumps(out))
            """
        let r = try runProcess(python, ["-c", script, String(decoding: try JSONEncoder().encode(cases.map { [$0.0, $0.1] }), as: UTF8.self)])
        XCTAssertEqual(r.status, 0, "scipy in .venv (scripts/test.sh installs it): \(r.stderr)")
        let expected = try JSONDecoder().decode([Double].self, from: Data(r.stdout.utf8))
        for (i, (a, b)) in cases.enumerated() {
            let mine = PairedTests.pValue(a, b)
            // Exact where both enumerate; the 60-item case is sampled on both sides.
            XCTAssertEqual(mine.p, expected[i], accuracy: i == 3 ? 0.02 : 1e-9, "case \(i) (\(mine.method.rawValue))")
        }
        // Holm by hand: sorted 0.005, 0.01, 0.03, 0.04, 0.2 times 5, 4, 3, 2, 1, kept non-decreasing.
        let holm = PairedTests.holm(ps)
        for (got, want) in zip(holm, [0.04, 0.09, 0.09, 0.2, 0.025]) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        XCTAssertEqual(PairedTests.mcnemarExact(0, 0), 1)
        XCTAssertEqual(PairedTests.permutation([0, 0, 0]), 1)
    }

    /// A study on a scripted provider: variants share the generator's calls with the full
    /// architecture (paid once, then served by the cache), and the table and diagnosis come out.
    func testAStudyPaysForSharedCallsOnce() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        // Answers the question right when its number is even, whichever technique asks.
        let (store, session, provider, client) = try Self.scripted(dir, pricing: Pricing(table: ["scripted/s": .init(input: 1_000_000, output: 1_000_000)])) { r, _ in
            let text = r.messages.map(\.content).joined(separator: "\n")
            guard let m = text.firstMatch(of: /What is (\d+) \+/), let i = Int(m.1) else { return "no question" }
            return i % 2 == 0 ? "The answer is \(2 * i)." : "I am not sure."
        }
        let data = Self.sums(6)
        let plan = try AblationPlan(try Self.a(), changes: [])
        let specs = try plan.variants.map { try BenchSpec(label: $0.name, target: .architecture($0.architecture), dataset: data, slice: Slice(dataset: "sums")) }
        let study = try await AblationStudy.run(plan, specs: specs, evaluator: Evaluator(client: client, store: store, session: session))

        XCTAssertEqual(study.rows.map(\.variant.name), ["a", "a~rank", "a~fuse"])
        // Full: 4 samples + rank + fuse per item. a~rank: its fuser sees other candidates (paid); a~fuse: all cached.
        XCTAssertEqual(study.paidCalls, 6 * 6 + 6 * 1)
        XCTAssertEqual(study.cachedCalls, 6 * 4 + 6 * 5)
        XCTAssertEqual(provider.requests.count, study.paidCalls, "the provider saw only the paid calls")
        XCTAssertEqual(study.rows.map(\.calls), [6, 5, 5], "per query as a live run calls")
        XCTAssertEqual(study.rows[0].result.mean ?? -1, 0.5, accuracy: 1e-9)
        XCTAssertTrue(study.rows[1...].allSatisfy { $0.method == .mcnemar && $0.pValue == 1 && $0.adjustedP == 1 && $0.readable == false },
                      "no item differs: p = 1, nothing to read")
        XCTAssertGreaterThan(study.rows[2].dollars, 0, "cached calls are counted at their original price")
        XCTAssertFalse(study.rows[0].pareto, "the full architecture scores no better and costs more")
        XCTAssertTrue(study.rows.contains(where: \.pareto))
        let table = AblationTable.render(study)
        XCTAssertTrue(table.contains("calls: 42 paid, 54 from the cache (56% of what the variants asked)"), table)
        XCTAssertTrue(table.contains("a~rank = gen(s, samples=4) | fuse(s)   (without layer 2 (Ranker))"), table)
        XCTAssertTrue(table.contains("skipped a~gen (without layer 1 (Generator)): "), table)
        XCTAssertEqual(table.components(separatedBy: "├").count - 1, 3, "one whisker per variant in the chart:\n" + table)

        let d = await Diagnosis.of(study.rows[0].result, architecture: try Self.a(), items: data.items, dataset: "sums", scorer: .match)
        XCTAssertEqual(d.items, 6)
        for (got, want) in zip(d.layers.map(\.candidates), [4.0, 2, 1]) { XCTAssertEqual(got, want, accuracy: 1e-9) }
        XCTAssertEqual(d.layers[0].oracle, 0.5, accuracy: 1e-9)
        XCTAssertEqual(d.layers[1].topCorrect, 3)
        XCTAssertEqual(d.layers[2].lost, 0)
        XCTAssertEqual(d.selectionGap, 0, accuracy: 1e-9)
    }

    /// A unit-test evaluator's verdicts against gold: tests that pass wrong answers or fail right ones.
    func testDiagnosisCountsTestVerdictsAgainstGold() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        // Tests: two. Candidates: the right number, then a wrong one. The judge passes every candidate
        // on test 1 and fails every one on test 2: test 1 passes the wrong answer, test 2 fails the right one.
        let (store, session, _, client) = try Self.scripted(dir) { r, _ in
            let text = r.messages.map(\.content).joined(separator: "\n")
            if text.contains("Unit tests:") { return "Test 1: PASS\nTest 2: FAIL" }
            if text.contains("You write unit tests") { return "- The answer is a number.\n- The answer is even." }
            guard let m = text.firstMatch(of: /What is (\d+) \+/), let i = Int(m.1) else { return "?" }
            return r.sampleIndex == 0 ? "The answer is \(2 * i)." : "The answer is \(2 * i + 1)."
        }
        let data = Self.sums(3)
        let arch = Architecture(name: "ut", layers: [Layer([try Self.component(.unitTestGenerator, Self.s)]),
                                                     Layer([try Self.component(.generator, Self.s, ["samples": "2"])]),
                                                     Layer([try Self.component(.unitTestEvaluator, Self.s, ["top_k": "1"])])])
        XCTAssertEqual(ConstructionRules.violations(arch), [])
        let result = try await Evaluator(client: client, store: store, session: session)
            .run(try BenchSpec(label: "ut", target: .architecture(arch), dataset: data, slice: Slice(dataset: "sums")))
        let d = await Diagnosis.of(result, architecture: arch, items: data.items, dataset: "sums", scorer: .match)
        let judged = try XCTUnwrap(d.layers.last)
        XCTAssertEqual(judged.testsPassingWrong?.count, 3, "test 1 passed the wrong candidate of each item")
        XCTAssertEqual(judged.testsPassingWrong?.of, 6)
        XCTAssertEqual(judged.testsFailingRight?.count, 3, "test 2 failed the right candidate of each item")
        XCTAssertEqual(judged.testsFailingRight?.of, 6)
        XCTAssertTrue(DiagnosisTable.render(d, architecture: arch).contains("test verdicts: pass a wrong answer 3/6, fail a right one 3/6"))
    }
}
