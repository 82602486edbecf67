// Critic: writes a strengths/weaknesses critique of each candidate.

/// One call per candidate, all at once; each critique is stored with its candidate, so alignment
/// cannot slip. A critique without Strengths/Weaknesses headings is kept as free text and recorded.
public enum Critic {
    public static let template = """
        system: You review answers. Be specific and brief.
        user: Query:
        {query}

        Response:
        {candidate}

        Write a short critique of the response in two parts:
        Strengths: what it does well.
        Weaknesses: what is wrong, missing or unclear.
        """

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let texts = try await concurrentMap(state.candidates.count) { i in
            try await ctx.call(c, [
                .system("You review answers. Be specific and brief."),
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
