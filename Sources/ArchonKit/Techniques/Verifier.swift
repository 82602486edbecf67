// Verifier: reasons about each candidate, then gives a correct/incorrect verdict; keeps the verified.

/// Two calls per candidate in one conversation: first the reasoning, then a one-word verdict.
/// Candidates are checked at once; with `first_k` the verifier stops (cancelling the rest) as soon
/// as the first k verified candidates, in order, are known. If none passes, all are kept and the
/// trace says so. Unreadable verdicts count as not verified and are recorded.
public enum Verifier {
    public static let template = """
        system: You check whether a response answers a query correctly.
        user: Query: {query}
        Response: {candidate}
        Think step by step: is the response correct and complete? Explain your reasoning.
        assistant: {reasoning}
        user: Now give your verdict in one word: [Correct] or [Incorrect].
        """

    enum Result: Sendable { case verified, rejected, unreadable(String) }

    static func check(_ c: Component, _ state: CandidateState, _ i: Int, _ ctx: TechniqueContext) async throws -> Result {
        if c.prompts == .reference {
            // The reference: two separate conversations; the verdict is "[Correct]" somewhere in it.
            let (query, candidate) = (state.queryText, state.candidates[i].text)
            let reasoning = try await ctx.call(c, [
                .system(ReferencePrompts.verifierReasoningSystem),
                .user(try ReferencePrompts.render("make_verifier_reasoning_prompt", ["query": query, "candidate": candidate])),
            ])
            let verdict = try await ctx.call(c, [
                .system(ReferencePrompts.verifierVerdictSystem),
                .user(try ReferencePrompts.render("make_verifier_verdict_prompt", ["query": query, "candidate": candidate, "reasoning": reasoning])),
            ])
            if verdict.contains("[Correct]") { return .verified }
            return verdict.contains("[Incorrect]") ? .rejected : .unreadable(verdict)
        }
        var messages: [ChatMessage] = [
            .system("You check whether a response answers a query correctly."),
            .user("Query:\n\(state.queryText)\n\nResponse:\n\(state.candidates[i].text)\n\nThink step by step: is the response correct and complete? Explain your reasoning."),
        ]
        let reasoning = try await ctx.call(c, messages)
        messages.append(.assistant(reasoning))
        messages.append(.user("Now give your verdict in one word: [Correct] or [Incorrect]."))
        let verdict = try await ctx.call(c, messages)
        switch OutputParsers.verdict(verdict) ?? OutputParsers.verdict(reasoning) {
        case true?: return .verified
        case false?: return .rejected
        case nil: return .unreadable(verdict)
        }
    }

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let n = state.candidates.count
        guard n > 0 else { return TechniqueOutcome(state: state, notes: ["verifier had no candidates"]) }
        var results = [Result?](repeating: nil, count: n)
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            for i in 0..<n { group.addTask { (i, try await check(c, state, i, ctx)) } }
            for try await (i, r) in group {
                results[i] = r
                if let k = c.firstK, decided(results, k) {
                    group.cancelAll()
                    break
                }
            }
        }
        var notes: [String] = []
        var failures = 0
        var kept: [Candidate] = []
        for (i, r) in results.enumerated() {
            switch r {
            case .verified?: kept.append(state.candidates[i])
            case .rejected?: break
            case let .unreadable(text)?:
                failures += 1
                notes.append("verdict for candidate \(i + 1) unreadable (\(Formatting.snippet(text, 50))); counted as not verified")
            case nil: notes.append("candidate \(i + 1) not checked (first_k reached)")
            }
        }
        if let k = c.firstK { kept = Array(kept.prefix(k)) }
        var next = state
        if kept.isEmpty {
            notes.append("no candidate was verified; kept all \(n)")
        } else {
            next.candidates = kept
            notes.append("verified \(kept.count) of \(n)")
        }
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }

    /// Whether the first k verified candidates in index order are already known.
    static func decided(_ results: [Result?], _ k: Int) -> Bool {
        var verified = 0
        for r in results {
            guard let r else { return false }
            if case .verified = r { verified += 1 }
            if verified == k { return true }
        }
        return false
    }
}
