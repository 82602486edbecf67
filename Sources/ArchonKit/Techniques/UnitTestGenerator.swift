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
        if c.prompts == .reference {
            var arguments: [String: Any] = ["query": state.queryText]
            if let cap = c.unitTestCap { arguments["unit_test_cap"] = cap }
            let text = try await ctx.call(c, [.system(ReferencePrompts.system[.unitTestGenerator]!),
                                              .user(try ReferencePrompts.render("make_unit_test_generator_prompt", arguments))])
            return outcome(c, state: state, text: text, tests: OutputParsers.quotedList(text) ?? OutputParsers.listItems(text, cap: c.unitTestCap ?? 100))
        }
        let text = try await ctx.call(c, [
            .system("You write unit tests for answers: short checks that a correct, complete answer passes."),
            .user("Query:\n\(state.queryText)\n\nWrite \(c.unitTestCap.map { "up to \($0)" } ?? "the") unit tests that a good answer to this query must pass, one per line, each starting with \"- \". Write only the tests."),
        ])
        return outcome(c, state: state, text: text, tests: OutputParsers.listItems(text, cap: c.unitTestCap ?? 100))
    }

    /// The state with the tests found in `text` (the whole answer as one test when none were found).
    static func outcome(_ c: Component, state: CandidateState, text: String, tests found: [String]) -> TechniqueOutcome {
        var tests = found
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
