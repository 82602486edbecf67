// What `explain` says about each technique and how it draws an architecture.

/// Teaching text for the technique catalogue and diagrams of architectures.
public enum TechniqueGuide {
    struct Entry {
        var what: String
        var io: String
        var calls: String
        var template: String
    }

    static func entry(_ k: TechniqueKind) -> Entry {
        switch k {
        case .generator:
            Entry(what: "Samples candidate answers to the query from one model; several generators (different models, repeated sampling) make the first layer.",
                  io: "in: the query · out: the candidates so far plus `samples` new ones",
                  calls: "`samples` calls, all at once; sample i always has index i (so re-runs and caches match)",
                  template: Generator.template)
        case .fuser:
            Entry(what: "Reads all candidates (and their critiques) and writes a better answer that keeps what is right and fixes what is wrong.",
                  io: "in: candidates (+ critiques, unit tests) · out: `samples` fused candidates; critiques are consumed",
                  calls: "`samples` calls per fuser instance, all at once", template: Fuser.template)
        case .critic:
            Entry(what: "Writes a strengths/weaknesses critique of every candidate, for a later ranker or fuser.",
                  io: "in: candidates · out: the same candidates, each with the critique labelled with its number (a missing one is noted)",
                  calls: "one call (per sample) that critiques every candidate, as the reference; per_candidate=true: one call per candidate, all at once", template: Critic.template)
        case .ranker:
            Entry(what: "Orders the candidates from best to worst and keeps the top k.",
                  io: "in: candidates (+ critiques) · out: the top_k candidates, critiques still attached",
                  calls: "one call that sees every candidate", template: Ranker.template)
        case .verifier:
            Entry(what: "Reasons about each candidate, then gives a correct/incorrect verdict; keeps the verified ones (all, if none passes).",
                  io: "in: candidates · out: the verified candidates (first_k stops early)",
                  calls: "two calls per candidate (reasoning, then verdict), candidates at once", template: Verifier.template)
        case .unitTestGenerator:
            Entry(what: "Writes natural-language unit tests that a good answer must pass; the user's conversation is left untouched.",
                  io: "in: the query · out: the same candidates plus up to unit_test_cap tests",
                  calls: "one call", template: UnitTestGenerator.template)
        case .unitTestEvaluator:
            Entry(what: "Judges every candidate against the unit tests and orders them by tests passed.",
                  io: "in: candidates + unit tests · out: candidates by tests passed (top_k; first_k keeps the first that pass all)",
                  calls: "one call per candidate, all at once", template: UnitTestEvaluator.template)
        case .majorityVote:
            Entry(what: "Self-consistency: extracts each candidate's final answer and keeps the candidate with the most common one.",
                  io: "in: candidates · out: one candidate", calls: "no model calls", template: MajorityVote.template)
        case .bestOfN:
            Entry(what: "A judge model scores every candidate from 1 to 10; the best are kept.",
                  io: "in: candidates · out: the top_k (default 1) by score", calls: "one call per candidate, all at once",
                  template: BestOfN.template)
        }
    }

    /// `explain TECHNIQUE`.
    public static func explain(_ k: TechniqueKind) -> String {
        let e = entry(k)
        return """
            \(k.title) — written \(k.shortName)(…) in an arch line, "\(k.jsonName)" in Archon JSON
            \(e.what)
            \(e.io)
            calls: \(e.calls)
            prompt:
            \(e.template.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            """
    }

    /// `explain techniques`: one line each.
    public static var catalogue: String {
        "techniques (explain NAME for one):\n" + TechniqueKind.allCases.map {
            "  \(Formatting.pad($0.shortName, 12)) \(Formatting.pad($0.title, 18)) \(entry($0).what.split(separator: ";").first.map(String.init) ?? "")"
        }.joined(separator: "\n")
    }

    /// `explain ARCH`: a diagram with calls and an estimate of tokens per query.
    public static func explain(_ a: Architecture) -> String {
        let bounds = ArchitectureEstimate.candidateBounds(a)
        let calls = ArchitectureEstimate.callsPerLayer(a)
        let tokens = ArchitectureEstimate.tokensPerLayer(a)
        let totalCalls = calls.reduce(0, +), totalTokens = tokens.reduce(0, +)
        var lines = ["\(a.name): \(a.layers.count) layer\(a.layers.count == 1 ? "" : "s") · ≤ \(totalCalls) calls per query · ≈ \(totalTokens) tokens per query at most",
                     "  (estimate: a \(ArchitectureEstimate.queryTokens)-token query, every answer at its max_tokens, \(ArchitectureEstimate.defaultAnswerTokens) where unset)"]
        let notation = a.layers.map { $0.components.map { $0.notation() }.joined(separator: " + ") }
        let width = min(60, notation.map(\.count).max() ?? 0)
        for (i, layer) in a.layers.enumerated() {
            let kind = layer.kind?.title ?? "?"
            let count = layer.components.count > 1 ? " ×\(layer.components.count)" : ""
            lines.append("  layer \(i + 1)  \(Formatting.pad(kind + count, 20)) \(Formatting.pad(notation[i], width))  → ≤ \(bounds[i]) candidate\(bounds[i] == 1 ? "" : "s") · \(calls[i]) call\(calls[i] == 1 ? "" : "s") · ≈ \(tokens[i]) tokens")
            if i < a.layers.count - 1 { lines.append("     │") }
        }
        for note in ConstructionRules.referenceBehaviour(a) { lines.append("rules=reference: " + note) }
        lines.append(ConstructionRules.finalChoice(a) ?? "final answer: the single remaining candidate")
        let models = a.models.map { "\($0.name) (\($0.reference))" }
        if !models.isEmpty { lines.append("models: " + models.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
