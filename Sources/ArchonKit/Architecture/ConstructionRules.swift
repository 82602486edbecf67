// The paper's rules for which layer may follow which, checked when an architecture is defined.

/// Checks an architecture against the construction rules of the Archon paper.
///
/// One widening of the rules as the issue states them, taken from the paper's own configurations:
/// a unit-test generator may come *first* ("tests first"), before the generator layer; its tests
/// then serve any later layer (an evaluator, or a fuser that reads them).
/// Which rules an architecture is held to.
public enum RuleSet: String, Sendable, CaseIterable {
    /// The paper's construction rules (the default): refused architectures get an error naming the fix.
    case strict
    /// What the reference implementation runs: layers may mix generators with fusers, and generators may
    /// follow generators (they answer the query again and their answers replace the candidates).
    case reference
}

public enum ConstructionRules {
    /// Every rule the architecture breaks, each as a message that names the layer and the fix.
    public static func violations(_ a: Architecture) -> [String] {
        var out: [String] = []
        guard !a.layers.isEmpty else { return ["an architecture needs at least one layer of generators"] }
        for (i, layer) in a.layers.enumerated() {
            let n = i + 1
            guard let kind = layer.kind else {
                out.append("layer \(n) is empty — give it at least one technique")
                continue
            }
            let kinds = Set(layer.components.map(\.kind))
            let lenient = a.rules == .reference
            if kinds.count > 1, !(lenient && kinds.isSubset(of: [.generator, .fuser])) {
                out.append("layer \(n) mixes \(kinds.map(\.title).sorted().joined(separator: " and ")) — one technique type per layer; split it into layers")
                continue
            }
            let testsFirst = a.layers.first?.kind == .unitTestGenerator
            let generatorLayer = testsFirst ? 1 : 0
            if i == 0, kind != .generator, !(kind == .unitTestGenerator && a.layers.count > 1 && a.layers[1].kind == .generator) {
                out.append("layer 1 is a \(kind.title) layer — the first layer must hold the generators (or write unit tests, followed by the generators)")
            }
            if i != generatorLayer, kinds.contains(.generator), !lenient {
                out.append("layer \(n) holds generators — generators belong in the first layer only (the second after a tests-first layer)")
            }
            if kind.singleInstance, layer.components.count > 1, !lenient {
                out.append("layer \(n) holds \(layer.components.count) \(kind.title)s — a \(kind.title) layer holds a single instance")
            }
            if kind == .unitTestGenerator, i > 0 {
                let next = i + 1 < a.layers.count ? a.layers[i + 1].kind : nil
                if next != .unitTestEvaluator {
                    out.append("layer \(n) writes unit tests but layer \(n + 1) is not a UnitTestEvaluator — put judge_tests(…) right after tests(…)")
                }
            }
            if kind == .unitTestEvaluator, !a.layers[..<i].contains(where: { $0.kind == .unitTestGenerator }) {
                out.append("layer \(n) evaluates unit tests that no layer wrote — put tests(…) right before it")
            }
            for c in layer.components where kind.needsModel && c.model == nil {
                out.append("layer \(n): \(c.kind.title) needs a model")
            }
        }
        return out
    }

    /// How the final answer is chosen, when the last layer may leave more than one candidate.
    public static func finalChoice(_ a: Architecture) -> String? {
        let upper = ArchitectureEstimate.candidateBounds(a).last ?? 0
        return upper > 1 ? "the last layer may leave up to \(upper) candidates: the final answer is the first (deterministic)" : nil
    }

    /// What runs differently from the strict rules in an architecture loaded with `rules=reference`.
    public static func referenceBehaviour(_ a: Architecture) -> [String] {
        guard a.rules == .reference else { return [] }
        var notes: [String] = []
        for (i, layer) in a.layers.enumerated() {
            let kinds = Set(layer.components.map(\.kind))
            if kinds.count > 1 {
                notes.append("layer \(i + 1) mixes \(kinds.map(\.title).sorted().joined(separator: " and ")): each component adds its outputs to the layer's candidates, in order (generators answer the query, fusers fuse the candidates they were given)")
            } else if kinds == [.generator], a.layers[..<i].contains(where: { $0.components.contains { $0.kind == .generator } }) {
                notes.append("layer \(i + 1) holds generators after a generator layer: they answer the query again and their answers replace the candidates")
            } else if let k = kinds.first, k.singleInstance, layer.components.count > 1 {
                notes.append("layer \(i + 1) holds \(layer.components.count) \(k.title)s: each adds its outputs to the layer's candidates, in order")
            }
        }
        return notes
    }
}
