// Fuser: merges all candidates (and their critiques) into new, better candidates.

/// Reads every candidate (with critiques when present and wanted) and writes `samples` fused answers.
/// With length control no fused answer is longer than the longest candidate: the model is told the
/// limit, and an answer over it is cut at the last sentence that fits (recorded in the trace).
public enum Fuser {
    public static let template = """
        system: You are given a user's query and several candidate responses written by other assistants. \
        Write one response to the query that keeps what the candidates get right, corrects what they get \
        wrong, and fills in what they miss. Do not mention the candidates or that you are combining them.
        user: Query:
        {query}

        Candidate responses:
        [1] …  (Critique of [1]: … when critiques are present)
        [2] …

        {unit tests, when present: "Your response should satisfy these tests: …"}
        {length control: "Use at most N words (the length of the longest candidate)."}
        Write the single best response to the query.
        """

    static func prompt(_ c: Component, _ state: CandidateState, limit: Int?) -> [ChatMessage] {
        var user = "Query:\n\(state.queryText)\n\nCandidate responses:\n\(numbered(state.candidates, critiques: c.useCritiques))"
        if !state.unitTests.isEmpty {
            user += "\n\nYour response should satisfy these tests:\n" + state.unitTests.map { "- \($0)" }.joined(separator: "\n")
        }
        if let limit { user += "\n\nUse at most \(limit) words (the length of the longest candidate)." }
        user += "\n\nWrite the single best response to the query."
        return [
            .system("You are given a user's query and several candidate responses written by other assistants. Write one response to the query that keeps what the candidates get right, corrects what they get wrong, and fills in what they miss. Do not mention the candidates or that you are combining them."),
            .user(user),
        ]
    }

    static func words(_ s: String) -> Int { s.split(whereSeparator: { $0.isWhitespace }).count }

    /// `text` cut to at most `limit` words, ending at a sentence end where one fits.
    static func cut(_ text: String, to limit: Int) -> String {
        let parts = text.split(omittingEmptySubsequences: true, whereSeparator: { $0.isWhitespace })
        guard parts.count > limit else { return text }
        let kept = parts.prefix(limit).joined(separator: " ")
        if let end = kept.lastIndex(where: { ".!?".contains($0) }), kept.distance(from: kept.startIndex, to: end) > kept.count / 2 {
            return String(kept[...end])
        }
        return kept
    }

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        guard !state.candidates.isEmpty else {
            return TechniqueOutcome(state: state, notes: ["fuser had no candidates to fuse; nothing changed"], parseFailures: 0)
        }
        let limit = c.lengthControl && c.prompts == .archon ? state.candidates.map { words($0.text) }.max() : nil
        let messages: [ChatMessage]
        if c.prompts == .reference {
            // The reference passes critiques when every candidate has one (and the fuser reads them).
            let critiques = c.useCritiques && state.candidates.allSatisfy { $0.critique != nil } ? state.candidates.map { $0.critique! } : nil
            var arguments: [String: Any] = ["conv": [["role": "user", "content": state.queryText]], "references": state.candidates.map(\.text),
                                            "length_control": c.lengthControl]
            if let critiques { arguments["critiques"] = critiques }
            messages = [.system(ReferencePrompts.system[.fuser]!), .user(try ReferencePrompts.render("make_fuser_prompt", arguments))]
        } else {
            messages = prompt(c, state, limit: limit)
        }
        let texts = try await concurrentMap(c.samples) { i in try await ctx.call(c, messages, sample: i) }
        var notes: [String] = []
        var failures = 0
        var next = CandidateState(query: state.query, candidates: [], unitTests: state.unitTests)
        for (i, raw) in texts.enumerated() {
            var text = raw
            if let limit, words(text) > limit {
                text = cut(text, to: limit)
                notes.append("fuse \(c.model?.name ?? "?") #\(i + 1) ran over \(limit) words; cut to \(words(text))")
            }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                failures += 1
                notes.append("fuse \(c.model?.name ?? "?") #\(i + 1) was empty")
            }
            next.candidates.append(Candidate(text: text, origin: "fuse \(c.model?.name ?? "?") #\(i + 1)"))
        }
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }
}
