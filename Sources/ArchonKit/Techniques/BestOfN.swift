// BestOfN: a judge model scores every candidate from 1 to 10; the best are kept.

/// One judge call per candidate, at once. Keeps the `top_k` (default 1) highest scores; ties keep
/// the earlier candidate. An unreadable score counts as 0 and is recorded.
public enum BestOfN {
    public static let template = """
        system: You grade answers from 1 (useless) to 10 (excellent).
        user: Query:
        {query}

        Answer:
        {candidate}

        Grade the answer. Reply with "Score: N" where N is a whole number from 1 to 10.
        """

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let n = state.candidates.count
        guard n > 0 else { return TechniqueOutcome(state: state, notes: ["no candidates to score"]) }
        let texts = try await concurrentMap(n) { i in
            try await ctx.call(c, [
                .system("You grade answers from 1 (useless) to 10 (excellent)."),
                .user("Query:\n\(state.queryText)\n\nAnswer:\n\(state.candidates[i].text)\n\nGrade the answer. Reply with \"Score: N\" where N is a whole number from 1 to 10."),
            ])
        }
        var notes: [String] = []
        var failures = 0
        let scores = texts.enumerated().map { i, t -> Int in
            if let s = OutputParsers.score(t) { return s }
            failures += 1
            notes.append("score of candidate \(i + 1) unreadable (\(Formatting.snippet(t, 40))); counted as 0")
            return 0
        }
        let order = Array(0..<n).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        let k = min(c.topK ?? 1, n)
        notes.append("scores: " + scores.enumerated().map { "[\($0 + 1)] \($1)" }.joined(separator: ", ") + "; kept \(order.prefix(k).map { "[\($0 + 1)]" }.joined(separator: ", "))")
        var next = state
        next.candidates = order.prefix(k).map { state.candidates[$0] }
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }
}
