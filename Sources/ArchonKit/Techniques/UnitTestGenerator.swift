// UnitTestGenerator: writes natural-language unit tests that a good answer to the query must pass.

/// One call; reads a list of tests from the answer (bullets or numbers), at most `unit_test_cap`.
/// The tests go into the state, never into the user's conversation. If no list can be read, the
/// whole answer becomes a single test, and the fallback is recorded.
public enum UnitTestGenerator {
    public static let template = """
        system: You write unit tests for answers: short checks that a correct, complete answer passes.
        user: Query:
        {query}

        Write up to {cap} unit tests that a good answer to this query must pass, one per line, each \
        starting with "- ". Write only the tests.
        """

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let text = try await ctx.call(c, [
            .system("You write unit tests for answers: short checks that a correct, complete answer passes."),
            .user("Query:\n\(state.queryText)\n\nWrite \(c.unitTestCap.map { "up to \($0)" } ?? "the") unit tests that a good answer to this query must pass, one per line, each starting with \"- \". Write only the tests."),
        ])
        var tests = OutputParsers.listItems(text, cap: c.unitTestCap ?? 100)
        var notes: [String] = []
        var failures = 0
        if tests.isEmpty {
            failures = 1
            let whole = text.trimmingCharacters(in: .whitespacesAndNewlines)
            tests = whole.isEmpty ? [] : [Formatting.snippet(whole, 300)]
            notes.append("no test list found in the output; used \(tests.isEmpty ? "no test (it was empty)" : "the whole answer as one test")")
        }
        var next = state
        next.unitTests = tests
        notes.append("\(tests.count) unit test(s)")
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }
}
