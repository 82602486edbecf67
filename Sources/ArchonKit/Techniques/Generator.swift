// Generator: samples candidate answers to the query from one model.

/// Appends `samples` answers from its model; each sample is a separate call with its own index,
/// so a re-run (or a cached replay) gets the same k-th sample. After a unit-test generator, the query
/// ends with a request to pass those tests, listed, worded as the reference implementation words it.
public enum Generator {
    public static let template = "(no added prompt: the user's conversation is sent as it is; after unit tests were written, the query ends with \"Your response should pass the following unit tests:\" and the tests)"

    /// The conversation a generator sends: the query, with the unit tests appended to its last user
    /// message when there are any (the reference appends them to the query itself).
    public static func messages(_ state: CandidateState) -> [ChatMessage] {
        guard !state.unitTests.isEmpty, let last = state.query.lastIndex(where: { $0.role == "user" }) else { return state.query }
        var query = state.query
        query[last] = .user(query[last].content + " Your response should pass the following unit tests: \n- "
            + state.unitTests.joined(separator: "\n- "))
        return query
    }

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        var query = messages(state)
        // The reference puts a system message first when the conversation has none.
        if c.prompts == .reference, query.first?.role != "system" {
            query.insert(.system(ReferencePrompts.system[.generator]!), at: 0)
        }
        let conversation = query
        let texts = try await concurrentMap(c.samples) { i in try await ctx.call(c, conversation, sample: i) }
        var next = state
        var notes: [String] = []
        var empty = 0
        for (i, t) in texts.enumerated() {
            if t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                empty += 1
                notes.append("gen \(c.model?.name ?? "?") sample \(i + 1) was empty")
            }
            next.candidates.append(Candidate(text: t, origin: "gen \(c.model?.name ?? "?") #\(i + 1)"))
        }
        return TechniqueOutcome(state: next, notes: notes, parseFailures: empty)
    }
}
