// Critic: writes a strengths/weaknesses critique of each candidate.

/// By default, as the reference: one call (per sample) that critiques every candidate, answering with
/// one critique per candidate, each starting with its number in brackets; the critiques are matched to
/// candidates by those numbers, never by position, and a missing or unlabelled one is recorded.
/// `per_candidate=true`: one call per candidate, all at once, aligned by construction.
public enum Critic {
    public static let template = """
        system: You review answers. Be specific and brief.
        user: Query:
        {query}

        There are {n} responses, each marked with its number in brackets.

        [1] {candidate 1}

        [2] {candidate 2} …

        Critique every response, in order. Start each critique with the response's number in brackets,
        then write:
        Strengths: what it does well.
        Weaknesses: what is wrong, missing or unclear.
        (per_candidate=true: one call per candidate, with that response alone.)
        """

    static let system = "You review answers. Be specific and brief."

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        guard !state.candidates.isEmpty else { return TechniqueOutcome(state: state, notes: ["no candidates to critique"]) }
        if c.perCandidate { return try await perCandidate(c, state: state, ctx: ctx) }
        let n = state.candidates.count
        let listed = state.candidates.enumerated().map { "[\($0 + 1)] \($1.text)" }.joined(separator: "\n\n")
        let messages: [ChatMessage]
        if c.prompts == .reference {
            messages = [.system(ReferencePrompts.system[.critic]!),
                        .user(try ReferencePrompts.render("make_critic_prompt", ["query": state.queryText, "candidates": state.candidates.map(\.text)]))]
        } else {
            messages = [.system(system), .user("Query:\n\(state.queryText)\n\nThere are \(n) responses, each marked with its number in brackets.\n\n\(listed)\n\n"
                + "Critique every response, in order. Start each critique with the response's number in brackets, then write:\n"
                + "Strengths: what it does well.\nWeaknesses: what is wrong, missing or unclear.")]
        }
        let replies = try await concurrentMap(max(1, c.samples)) { s in
            try await ctx.call(c, messages, sample: s)
        }
        // Several samples (as the reference's `samples`): the first reply that critiques every candidate.
        let parsed = replies.map { OutputParsers.labelledCritiques($0, count: n) }
        let chosen = parsed.firstIndex { $0.critiques.allSatisfy { $0 != nil } && $0.unstructured.isEmpty } ?? 0
        let (critiques, unstructured) = parsed[chosen]
        var next = state
        var notes: [String] = []
        if replies.count > 1 { notes.append("used sample \(chosen + 1) of \(replies.count) critic replies") }
        var failures = 0
        for i in 0..<n {
            next.candidates[i].critique = critiques[i]
            if critiques[i] == nil {
                failures += 1
                notes.append("no critique labelled [\(i + 1)] in the reply; candidate \(i + 1) has none")
            } else if unstructured.contains(i) {
                failures += 1
                notes.append("critique of candidate \(i + 1) had no Strengths/Weaknesses headings; kept as free text")
            }
        }
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }

    static func perCandidate(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let texts = try await concurrentMap(state.candidates.count) { i in
            try await ctx.call(c, [
                .system(system),
                .user("Query:\n\(state.queryText)\n\nResponse:\n\(state.candidates[i].text)\n\nWrite a short critique of the response in two parts:\nStrengths: what it does well.\nWeaknesses: what is wrong, missing or unclear."),
            ])
        }
        var next = state
        var notes: [String] = []
        var failures = 0
        for (i, raw) in texts.enumerated() {
            let (text, structured) = OutputParsers.critique(raw)
            if text.isEmpty {
                failures += 1
                notes.append("critique of candidate \(i + 1) was empty; it has no critique")
                next.candidates[i].critique = nil
                continue
            }
            if !structured {
                failures += 1
                notes.append("critique of candidate \(i + 1) had no Strengths/Weaknesses headings; kept as free text")
            }
            next.candidates[i].critique = text
        }
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }
}
