// Where an architecture loses correct answers: every candidate of every layer scored against gold
// (no model call), per layer the oracle (some candidate correct) against what came out, what each
// layer lost or found, the ranker's top choice, verifier precision and recall, and the final choice.

import Foundation

/// One layer's candidates against gold, over the diagnosed items.
public struct LayerDiagnosis: Sendable {
    public var layer: Int
    public var technique: TechniqueKind?
    /// Mean candidates out of the layer per item.
    public var candidates: Double
    /// Share of items where some output candidate is correct.
    public var oracle: Double
    /// Mean share of correct candidates (pass@1 of the layer's pool).
    public var passAt1: Double
    /// Items whose input held a correct candidate and whose output held none (lost), of those with one.
    public var lost: Int
    public var hadCorrect: Int
    /// Items whose input held no correct candidate and whose output held one (found), of those without.
    public var found: Int
    public var hadNone: Int
    /// A ranker's first candidate correct, on items whose input held a correct one.
    public var topCorrect: Int?
    /// A verifier's kept candidates against gold: correct kept / kept, correct kept / correct given.
    public var precision: Double?
    public var recall: Double?
    /// A unit-test evaluator's verdicts against gold: tests passing a wrong candidate, of verdicts
    /// on wrong candidates; tests failing a right candidate, of verdicts on right ones.
    public var testsPassingWrong: (count: Int, of: Int)?
    public var testsFailingRight: (count: Int, of: Int)?
}

/// An architecture's diagnosis on a bench result.
public struct Diagnosis: Sendable {
    public var items: Int
    public var layers: [LayerDiagnosis]
    /// Share of items the architecture's final answer got right.
    public var final: Double
    /// Items without stored candidates (benched before candidates were kept, or failed).
    public var missing: Int

    /// The first layer's oracle minus the final score: what choosing and combining lost.
    public var selectionGap: Double { (layers.first?.oracle ?? 0) - final }

    /// Scorers with gold answers a candidate can be checked against.
    public static func applies(to scorer: ScorerKind) -> Bool {
        [.math, .code, .mixeval, .match].contains(scorer)
    }

    /// Scores every stored candidate of `result`'s items (run of `architecture` on `items`).
    public static func of(_ result: BenchResult, architecture: Architecture, items: [BenchmarkItem], dataset: String,
                          scorer: ScorerKind, sandbox: CodeSandbox = CodeSandbox()) async -> Diagnosis {
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var perItem: [(layers: [[Bool]], verdicts: [[[Bool?]]?], final: Bool)] = []
        var missing = 0
        for row in result.items {
            guard let item = byID[row.itemId], let layers = row.layers, layers.count == architecture.layers.count else {
                missing += 1
                continue
            }
            var flags: [[Bool]] = []
            for stored in layers {
                var layer: [Bool] = []
                for text in stored.out {
                    layer.append(await Scorer.score(text, item: item, dataset: dataset, scorer: scorer, sandbox: sandbox).score >= 1)
                }
                flags.append(layer)
            }
            perItem.append((flags, layers.map(\.verdicts), row.score >= 1))
        }
        let n = Double(max(1, perItem.count))
        var layers: [LayerDiagnosis] = []
        for (l, layer) in architecture.layers.enumerated() {
            var d = LayerDiagnosis(layer: l + 1, technique: layer.kind, candidates: 0, oracle: 0, passAt1: 0,
                                   lost: 0, hadCorrect: 0, found: 0, hadNone: 0)
            var top = 0, precisionHits = 0, kept = 0, given = 0
            var passWrong = 0, onWrong = 0, failRight = 0, onRight = 0
            for item in perItem {
                let out = item.layers[l]
                let input = l == 0 ? [] : item.layers[l - 1]
                d.candidates += Double(out.count) / n
                if out.contains(true) { d.oracle += 1 / n }
                if !out.isEmpty { d.passAt1 += Double(out.filter { $0 }.count) / Double(out.count) / n }
                guard l > 0 else { continue }
                if input.contains(true) {
                    d.hadCorrect += 1
                    if !out.contains(true) { d.lost += 1 }
                    if out.first == true { top += 1 }
                } else {
                    d.hadNone += 1
                    if out.contains(true) { d.found += 1 }
                }
                if layer.kind == .unitTestEvaluator, let verdicts = item.verdicts[l] {
                    for (c, perTest) in verdicts.enumerated() where c < input.count {
                        for v in perTest.compactMap({ $0 }) {
                            if input[c] { onRight += 1; if !v { failRight += 1 } } else { onWrong += 1; if v { passWrong += 1 } }
                        }
                    }
                }
                if layer.kind == .verifier {
                    kept += out.count
                    precisionHits += out.filter { $0 }.count
                    given += input.filter { $0 }.count
                }
            }
            if layer.kind == .ranker { d.topCorrect = top }
            if layer.kind == .unitTestEvaluator {
                d.testsPassingWrong = (passWrong, onWrong)
                d.testsFailingRight = (failRight, onRight)
            }
            if layer.kind == .verifier {
                d.precision = kept == 0 ? nil : Double(precisionHits) / Double(kept)
                d.recall = given == 0 ? nil : Double(precisionHits) / Double(given)
            }
            layers.append(d)
        }
        return Diagnosis(items: perItem.count, layers: layers, final: Double(perItem.filter(\.final).count) / n, missing: missing)
    }
}
