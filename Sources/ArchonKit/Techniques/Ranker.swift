// Ranker: orders the candidates from best to worst and keeps the top k.

/// One call that sees every candidate (and critiques when present and wanted) and answers with a
/// ranking. An unreadable ranking keeps the incoming order — and says so in the trace, counted.
public enum Ranker {
    public static let template = """
        system: You rank responses to a query from best to worst.
        user: Query:
        {query}

        Responses:
        [1] …  (Critique of [1]: … when critiques are present)
        [2] …

        Rank all N responses from best to worst. Answer with the ranking only, using their numbers \
        in brackets, for example: [2] > [1] > [3]
        """

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let n = state.candidates.count
        guard n > 1 else {
            return TechniqueOutcome(state: state, notes: ["ranker saw \(n) candidate(s); nothing to rank"], parseFailures: 0)
        }
        let example = (1...min(n, 3)).reversed().map { "[\($0)]" }.joined(separator: " > ")
        let messages: [ChatMessage]
        if c.prompts == .reference {
            var arguments: [String: Any] = ["generations": state.candidates.map(\.text), "query": state.queryText]
            if c.useCritiques, state.candidates.allSatisfy({ $0.critique != nil }) { arguments["critiques"] = state.candidates.map { $0.critique! } }
            messages = [.system(ReferencePrompts.system[.ranker]!), .user(try ReferencePrompts.render("make_ranker_prompt", arguments))]
        } else {
            messages = [
                .system("You rank responses to a query from best to worst."),
                .user("Query:\n\(state.queryText)\n\nResponses:\n\(numbered(state.candidates, critiques: c.useCritiques))\n\nRank all \(n) responses from best to worst. Answer with the ranking only, using their numbers in brackets, for example: \(example)"),
            ]
        }
        let text = try await ctx.call(c, messages)
        let (order, found, named) = OutputParsers.ranking(text, count: n)
        var notes: [String] = []
        var failures = 0
        if !found {
            failures = 1
            notes.append("ranker output had no ranking (\(Formatting.snippet(text, 60))); kept the incoming order")
        } else if named < n {
            // A partial ranking is completed, and that is a fallback too.
            failures = 1
            let unnamed = order.suffix(n - named).map { "[\($0 + 1)]" }.joined(separator: ", ")
            notes.append("partial ranking: named \(named) of \(n); \(unnamed) placed after, in their incoming order")
        }
        let k = min(c.topK ?? n, n)
        var next = state
        next.candidates = order.prefix(k).map { state.candidates[$0] }
        notes.append("ranking \(order.map { "[\($0 + 1)]" }.joined(separator: " > ")); kept top \(k)")
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }
}
