// Generator: samples candidate answers to the query from one model.

/// Appends `samples` answers from its model; each sample is a separate call with its own index,
/// so a re-run (or a cached replay) gets the same k-th sample.
public enum Generator {
    public static let template = "(no added prompt: the user's conversation is sent as it is)"

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let texts = try await concurrentMap(c.samples) { i in try await ctx.call(c, state.query, sample: i) }
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
