// Scores one answer to one benchmark item; also what the `reference` model answers.

import Foundation

/// How one item scored.
public struct ItemScore: Sendable, Codable, Equatable {
    /// 0…1.
    public var score: Double
    /// What was compared (extracted answer and method, test outcome).
    public var detail: String
    /// Who graded it, for scorers where a rule may leave the answer to a judge (MixEval, match).
    public var grading: Grading? = nil
}

/// Who graded an answer: the scorer's rule, the judge, or nobody (the rule could not decide and no
/// judge was given; scored 0).
public enum Grading: String, Sendable, Codable, Equatable {
    case rule, judge, undecided
}

/// Scores one answer without a judge: `math` (MATH500, AIME), `code` (HumanEval, MBPP, run in the
/// sandbox) and `mixeval`/`match` (the chosen option, or a normalised match against any target). The
/// judged scorers (`judge`, `pairwise`, `arena`) are in `JudgedScoring`.
public enum Scorer {
    /// The gold answer given as an answer, to check the harness (`bench reference …`), turn by turn;
    /// nil when the item has none (most MT-Bench questions, every Arena-Hard one).
    public static func referenceAnswer(_ item: BenchmarkItem, dataset: String, scorer: ScorerKind) -> [String]? {
        switch scorer {
        case .code:
            guard let solution = item.reference else { return nil }
            // HumanEval's canonical solution is the body that follows the prompt.
            let whole = dataset == "humaneval" ? item.turns[0] + solution : solution
            return ["```python\n" + whole + "\n```"]
        case .mixeval, .match:
            if let options = item.options, let i = item.targets?.first.flatMap(Int.init), i < options.count {
                return ["The answer is (\(MixEvalAnswer.letters[i]))."]
            }
            return (item.targets?.first ?? item.reference).map { [$0] }
        case .math: return item.reference.map { ["The final answer is $\\boxed{\($0)}$."] }
        case .judge:
            guard let refs = item.referenceTurns ?? item.reference.map({ [$0] }), refs.count >= item.turns.count else { return nil }
            return Array(refs.prefix(item.turns.count))
        case .pairwise, .arena: return item.baseline.map { [$0] }
        }
    }

    /// The prompt sent for turn `turn` of an item.
    public static func prompt(_ item: BenchmarkItem, dataset: String, scorer: ScorerKind, turn: Int = 0) -> String {
        guard turn == 0 else { return item.turns[turn] }
        if scorer == .mixeval { return MixEvalPrompt.render(item) }
        let text = item.context.map { $0 + "\n\n" + item.turns[0] } ?? item.turns[0]
        switch (dataset, scorer) {
        case ("humaneval", _):
            return "Complete this Python function. Answer with the whole function in a ```python code block.\n\n" + text
        case ("mbpp", _):
            return text + "\nAnswer with Python code in a ```python code block. It must pass tests such as:\n"
                + (item.tests?.split(separator: "\n").first.map(String.init) ?? "")
        case (_, .code):
            return text + "\n\nAnswer with Python code in a ```python code block."
        case (_, .match):
            guard let options = item.options else { return text }
            let listed = options.enumerated().map { "(\(MixEvalAnswer.letters[$0])) \($1)" }.joined(separator: "\n")
            return text + "\n\n" + listed + "\n\nAnswer with the letter of the correct option."
        case (_, .math):
            return text + "\n\nGive the final answer in \\boxed{}."
        default:
            return text
        }
    }

    /// The code in an answer: the last fenced block; else, with one fence only (a model that forgot to
    /// open or to close it, or was cut off), the side of it that holds code; then, without fences, from
    /// the first line that starts code (`def`, `import`, `from`, `class`, `@`) when prose comes first.
    public static func code(in raw: String) -> String {
        // "\r\n" is one Character in Swift and would not match \n: make line ends plain first.
        let answer = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let blocks = answer.matches(of: #/```(?:python|py)?[^\n]*\n((?:.|\n)*?)```/#).map { String($0.output.1) }
        if let last = blocks.last { return last }
        var text = answer
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
        if let fence = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }) {
            let before = lines[..<fence].joined(separator: "\n"), after = lines[(fence + 1)...].joined(separator: "\n")
            text = looksLikeCode(before) && !looksLikeCode(after) ? before : after
        }
        let codeLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let start = codeLines.firstIndex(where: startsCode), start > 0 {
            return codeLines[start...].joined(separator: "\n")
        }
        return text
    }

    static func startsCode(_ line: Substring) -> Bool {
        ["def ", "import ", "from ", "class ", "@", "async def "].contains { line.hasPrefix($0) }
    }

    static func looksLikeCode(_ text: String) -> Bool {
        text.split(separator: "\n").contains(where: startsCode)
    }

    /// Scores an answer with a scorer that needs no judge.
    public static func score(_ answer: String, item: BenchmarkItem, dataset: String, scorer: ScorerKind,
                             sandbox: CodeSandbox) async -> ItemScore {
        switch scorer {
        case .math:
            guard let (found, method) = MathAnswer.extract(answer) else {
                return ItemScore(score: 0, detail: "no final answer found")
            }
            let ok = MathAnswer.equivalent(found, item.reference ?? "")
            return ItemScore(score: ok ? 1 : 0, detail: "\(method): \(Formatting.snippet(found, 40)) vs \(Formatting.snippet(item.reference ?? "", 40))")
        case .code:
            var candidate = code(in: answer)
            // HumanEval-style items run the prompt first, as the benchmark's own harness does: it brings
            // the imports and helpers, an answer that gives only the body completes it, and one that
            // gives the whole function redefines it. The tests define check(). A prompt in plain
            // words (a user's dataset) is not code and is not run.
            if item.entryPoint != nil, looksLikeCode(item.turns[0]) {
                candidate = item.turns[0] + candidate
            }
            var tests = item.tests ?? ""
            if let entry = item.entryPoint, item.tests?.contains("def check(") == true { tests += "\n\ncheck(\(entry))\n" }
            let r = await sandbox.run(candidate: candidate, tests: tests)
            let how: String
            if r.passed { how = "tests passed" }
            else if r.cancelled { how = "stopped: the run was cancelled" }
            else if r.timedOut { how = "timed out" }
            else if r.exitedEarly { how = "tests failed: the program exited before its tests finished" }
            else {
                let lastLine: String = r.output.split(separator: "\n").last.map { String($0) } ?? ("exit status " + String(r.exitStatus))
                how = "tests failed: " + Formatting.snippet(lastLine, 60)
            }
            return ItemScore(score: r.passed ? 1 : 0, detail: how)
        case .mixeval, .match:
            if let options = item.options {
                let correct = Set((item.targets ?? []).compactMap(Int.init))
                guard let chosen = MixEvalAnswer.chosenOption(answer, options: options) else {
                    return ItemScore(score: 0, detail: "no option could be read from the answer", grading: .undecided)
                }
                return ItemScore(score: correct.contains(chosen) ? 1 : 0, detail: "chose (\(MixEvalAnswer.letters[chosen]))", grading: .rule)
            }
            let g = MixEvalAnswer.gradeFreeForm(answer, targets: item.targets ?? [])
            let read = "final answer \"\(Formatting.snippet(g.finalAnswer, 40))\""
            switch g.verdict {
            case .correct: return ItemScore(score: 1, detail: read + " is a target", grading: .rule)
            case .wrong: return ItemScore(score: 0, detail: read + " is not the target's number", grading: .rule)
            case .undecided: return ItemScore(score: 0, detail: read + ": the rule cannot decide", grading: .undecided)
            }
        case .judge, .pairwise, .arena:
            return ItemScore(score: 0, detail: "the \(scorer) scorer needs a judge (JudgedScoring)")
        }
    }
}

/// Mean with a seeded 95% bootstrap interval; the unbiased pass@k.
public enum Statistics {
    /// The unbiased pass@k estimate for one item with `n` samples of which `c` are correct:
    /// 1 − C(n−c, k) / C(n, k).
    public static func passAtK(n: Int, c: Int, k: Int) -> Double {
        guard n >= k, k >= 1 else { return c > 0 ? 1 : 0 }
        if c <= 0 { return 0 }
        if n - c < k { return 1 }
        var product = 1.0
        for i in (n - c + 1)...n { product *= 1 - Double(k) / Double(i) }
        return 1 - product
    }

    public static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }

    /// The 2.5th and 97.5th percentiles of `rounds` bootstrap means (seeded: the same every run).
    /// The values are sorted first, so the interval depends on the scores, not on the order items finished in.
    public static func bootstrapCI(_ values: [Double], rounds: Int = 1000, seed: UInt64 = 1) -> (low: Double, high: Double) {
        let xs = values.sorted()
        guard xs.count > 1 else { return (mean(xs), mean(xs)) }
        var rng = SeededGenerator(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(rounds)
        for _ in 0..<rounds {
            var sum = 0.0
            for _ in 0..<xs.count { sum += xs[Int(rng.next() % UInt64(xs.count))] }
            means.append(sum / Double(xs.count))
        }
        means.sort()
        return (means[Int(Double(rounds) * 0.025)], means[min(rounds - 1, Int(Double(rounds) * 0.975))])
    }
}
