// UnitTestEvaluator: judges each candidate against the unit tests and orders them by tests passed.

/// One call per candidate, at once. Candidates are ordered by tests passed (ties keep their order);
/// with `first_k`, the first k candidates in order that pass every test are kept when there are any;
/// otherwise the top `top_k` (default all). An unreadable judgement counts as 0 passed, recorded.
public enum UnitTestEvaluator {
    public static let template = """
        system: You check an answer against unit tests.
        user: Query:
        {query}

        Answer:
        {candidate}

        Unit tests:
        1. …
        2. …

        For each test say whether the answer passes it, one line per test, in the form "Test 1: PASS" or "Test 1: FAIL".
        """

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        let tests = state.unitTests
        let n = state.candidates.count
        guard !tests.isEmpty, n > 0 else {
            var next = state
            if c.removeUnitTests { next.unitTests = [] }
            return TechniqueOutcome(state: next, notes: ["no unit tests to judge against; candidates unchanged"], parseFailures: tests.isEmpty ? 1 : 0)
        }
        let list = tests.enumerated().map { "\($0 + 1). \($1)" }.joined(separator: "\n")
        let texts = try await concurrentMap(n) { i in
            try await ctx.call(c, [
                .system("You check an answer against unit tests."),
                .user("Query:\n\(state.queryText)\n\nAnswer:\n\(state.candidates[i].text)\n\nUnit tests:\n\(list)\n\nFor each test say whether the answer passes it, one line per test, in the form \"Test 1: PASS\" or \"Test 1: FAIL\"."),
            ])
        }
        var notes: [String] = []
        var failures = 0
        var passed: [Int] = []
        for (i, t) in texts.enumerated() {
            if let p = OutputParsers.testResults(t, count: tests.count) {
                passed.append(p)
            } else {
                failures += 1
                passed.append(0)
                notes.append("judgement of candidate \(i + 1) unreadable (\(Formatting.snippet(t, 50))); counted as 0 passed")
            }
        }
        notes.append("tests passed: " + passed.enumerated().map { "[\($0 + 1)] \($1)/\(tests.count)" }.joined(separator: ", "))
        var order = Array(0..<n)
        order.sort { passed[$0] != passed[$1] ? passed[$0] > passed[$1] : $0 < $1 }
        var keep: [Int]
        let perfect = (0..<n).filter { passed[$0] == tests.count }
        if let k = c.firstK, !perfect.isEmpty {
            keep = Array(perfect.prefix(k))
            notes.append("kept the first \(keep.count) candidate(s) passing every test")
        } else {
            keep = Array(order.prefix(c.topK ?? n))
            notes.append("kept top \(keep.count) by tests passed")
        }
        var next = state
        next.candidates = keep.map { state.candidates[$0] }
        if c.removeUnitTests { next.unitTests = [] }
        return TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
    }
}
