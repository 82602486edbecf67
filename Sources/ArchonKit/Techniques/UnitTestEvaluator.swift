// UnitTestEvaluator: judges each candidate against the unit tests and orders them by tests passed.

/// One call per candidate. Candidates are ordered by tests passed (ties keep their order) and the top
/// `top_k` (default all) kept. With `first_k` (or the reference's `first_pass`, which means first_k = 1)
/// candidates are judged one after another, as the reference does, and judging stops as soon as k of
/// them pass every test: those k are kept. An unreadable judgement counts as 0 passed, recorded.
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
        let judge: @Sendable (Int) async throws -> String = { i in
            if c.prompts == .reference {
                return try await ctx.call(c, [
                    .system(ReferencePrompts.system[.unitTestEvaluator]!),
                    .user(try ReferencePrompts.render("make_unit_test_evaluator_prompt",
                                                      ["query": state.queryText, "response": state.candidates[i].text, "unit_tests": tests])),
                ])
            }
            return try await ctx.call(c, [
                .system("You check an answer against unit tests."),
                .user("Query:\n\(state.queryText)\n\nAnswer:\n\(state.candidates[i].text)\n\nUnit tests:\n\(list)\n\nFor each test say whether the answer passes it, one line per test, in the form \"Test 1: PASS\" or \"Test 1: FAIL\"."),
            ])
        }
        if let k = c.firstK {
            return try await firstPassing(k, c: c, state: state, tests: tests, judge: judge)
        }
        let texts = try await concurrentMap(n, judge)
        var notes: [String] = []
        var failures = 0
        var passed: [Int] = []
        var verdicts: [[Bool?]] = []
        for (i, t) in texts.enumerated() {
            let read = OutputParsers.testVerdicts(t, count: tests.count)
            verdicts.append(tests.indices.map { read?[$0 + 1] })
            if let read {
                passed.append(read.values.filter { $0 }.count)
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
        var outcome = TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
        outcome.testVerdicts = verdicts
        return outcome
    }

    /// Judges candidates in order and stops once `k` pass every test (the reference's `first_k`);
    /// when fewer pass, every candidate was judged and the top `top_k` by tests passed are kept.
    static func firstPassing(_ k: Int, c: Component, state: CandidateState, tests: [String],
                             judge: @Sendable (Int) async throws -> String) async throws -> TechniqueOutcome {
        var notes: [String] = []
        var failures = 0
        var passed: [Int] = []
        var perfect: [Int] = []
        var verdicts = [[Bool?]](repeating: tests.map { _ in nil }, count: state.candidates.count)
        for i in state.candidates.indices {
            let t = try await judge(i)
            let p: Int
            if let read = OutputParsers.testVerdicts(t, count: tests.count) {
                p = read.values.filter { $0 }.count
                verdicts[i] = tests.indices.map { read[$0 + 1] }
            } else {
                failures += 1
                p = 0
                notes.append("judgement of candidate \(i + 1) unreadable (\(Formatting.snippet(t, 50))); counted as 0 passed")
            }
            passed.append(p)
            if p == tests.count { perfect.append(i) }
            if perfect.count == k { break }
        }
        let judged = passed.count, n = state.candidates.count
        notes.append("tests passed: " + passed.enumerated().map { "[\($0 + 1)] \($1)/\(tests.count)" }.joined(separator: ", ")
            + (judged < n ? " — stopped after \(judged) of \(n): \(k) passed every test" : ""))
        var next = state
        if perfect.count == k {
            next.candidates = perfect.map { state.candidates[$0] }
            notes.append("kept the first \(k) candidate(s) passing every test")
        } else {
            var order = Array(0..<judged)
            order.sort { passed[$0] != passed[$1] ? passed[$0] > passed[$1] : $0 < $1 }
            let keep = Array(order.prefix(c.topK ?? n))
            next.candidates = keep.map { state.candidates[$0] }
            notes.append("\(perfect.count) of \(n) passed every test (first_k=\(k)); kept top \(keep.count) by tests passed")
        }
        if c.removeUnitTests { next.unitTests = [] }
        var outcome = TechniqueOutcome(state: next, notes: notes, parseFailures: failures)
        outcome.testVerdicts = verdicts
        return outcome
    }
}
