// Scorers on hand-made cases: MixEval options and free-form targets, code extraction, pass@k, the bootstrap.

import ArchonKit
import ArchonTestSupport
import XCTest

final class ScorerTests: XCTestCase {
    func testMixEvalChoices() {
        let options = ["red", "green", "blue", "yellow"]
        XCTAssertEqual(MixEvalAnswer.chosenOption("The answer is (C).", options: options), 2)
        XCTAssertEqual(MixEvalAnswer.chosenOption("B. green, because…", options: options), 1)
        XCTAssertEqual(MixEvalAnswer.chosenOption("I think it is blue.", options: options), 2)
        XCTAssertEqual(MixEvalAnswer.chosenOption("Answer: a", options: options), 0)
        XCTAssertNil(MixEvalAnswer.chosenOption("red or green?", options: options), "two options named: no choice")
        XCTAssertNil(MixEvalAnswer.chosenOption("no idea", options: options))
        XCTAssertNil(MixEvalAnswer.chosenOption("Options:\n(A) red\n(B) green\n(C) blue\n(D) yellow", options: options),
                     "an answer that repeats the options chose none of them")
        XCTAssertEqual(MixEvalAnswer.chosenOption("The answer is A. Wait — the answer is (D).", options: options), 3, "the last statement counts")
    }

    /// Free-form answers are graded by their final answer, never by a mention of a target elsewhere;
    /// what the rule cannot decide is said to be undecided (a judge grades it).
    func testFreeFormGradesTheFinalAnswer() {
        func grade(_ answer: String, _ targets: [String]) -> FreeFormGrade { MixEvalAnswer.gradeFreeForm(answer, targets: targets) }
        // Credited: the final answer is a target.
        XCTAssertEqual(grade("After counting, it is\nThe Eiffel Tower.", ["Eiffel Tower"]).verdict, .correct)
        XCTAssertEqual(grade("1,234", ["1 234"]).verdict, .correct)
        XCTAssertEqual(grade("367", ["367"]).verdict, .correct)
        XCTAssertEqual(grade("There were 367 more white women and girls.", ["367"]).verdict, .correct)
        XCTAssertEqual(grade("The capital of France is Paris.", ["Paris"]).verdict, .correct)
        XCTAssertEqual(grade("Let me think. Many say Lyon. The answer is Paris.", ["Paris"]).verdict, .correct)
        XCTAssertEqual(grade("Working it out step by step gives \\boxed{12}", ["12"]).verdict, .correct)
        XCTAssertEqual(grade("Answer: 12.0", ["12"]).verdict, .correct)
        // Mentions that conclude with something else: no credit (each was credited before).
        for answer in ["Some would say Paris, but the capital is Lyon.",
                       "Paris is a common guess. However, the correct answer is Lyon.",
                       "The answer is not Paris.\nIt is Lyon.",
                       "Paris? No. Lyon.",
                       "It is definitely not Paris."] {
            XCTAssertNotEqual(grade(answer, ["Paris"]).verdict, .correct, answer)
        }
        XCTAssertNotEqual(grade("There were 367 whites and 400 coloured, so the difference is 33.", ["367"]).verdict, .correct)
        // A number against a number is decided by the rule; words it cannot judge are left to the judge.
        XCTAssertEqual(grade("The answer is 42.", ["367"]).verdict, .wrong)
        XCTAssertEqual(grade("Paris", ["Lyon"]).verdict, .undecided)
        XCTAssertEqual(grade("USA", ["United States"]).verdict, .undecided)
        XCTAssertEqual(grade("", ["Paris"]).verdict, .undecided)
        XCTAssertEqual(grade("Some would say Paris, but the capital is Lyon.", ["Paris"]).finalAnswer, "the capital is Lyon")
    }

    /// Numeric options: a letter names an option by its place, never by the option's text.
    func testLettersMapToOptionsBeforeTheirText() {
        let numbers = ["1", "2", "3", "4"]
        for (answer, expected) in [("(C)", 2), ("The answer is (C).", 2), ("C", 2), ("Answer: C", 2), ("C. 3", 2), ("(B) 2", 1),
                                   ("The answer is 3.", 2), ("I pick option D, which is 4.", 3)] {
            XCTAssertEqual(MixEvalAnswer.chosenOption(answer, options: numbers), expected, answer)
        }
    }

    func testCodeExtraction() {
        XCTAssertEqual(Scorer.code(in: "Here:\n```python\ndef f():\n    return 1\n```\nDone."), "def f():\n    return 1\n")
        XCTAssertEqual(Scorer.code(in: "```\nx = 1\n```\n```py\nx = 2\n```"), "x = 2\n")
        XCTAssertEqual(Scorer.code(in: "def g(): pass"), "def g(): pass")
        XCTAssertEqual(Scorer.code(in: "```python\r\na = 1\r\n```"), "a = 1\n")
        // One fence only: a block that was never opened, or never closed (cut off by max_tokens).
        XCTAssertEqual(Scorer.code(in: "def f():\n    return 1\n```\n\nThis returns one."), "def f():\n    return 1")
        XCTAssertEqual(Scorer.code(in: "Here you go:\n```python\ndef f():\n    return 1"), "def f():\n    return 1")
        // Prose before unfenced code is dropped.
        XCTAssertEqual(Scorer.code(in: "Sure! Here is the function.\nimport math\ndef f(): return math.pi"), "import math\ndef f(): return math.pi")
    }

    func testPassAtKAndBootstrap() {
        XCTAssertEqual(Statistics.passAtK(n: 2, c: 0, k: 2), 0)
        XCTAssertEqual(Statistics.passAtK(n: 2, c: 1, k: 2), 1)
        XCTAssertEqual(Statistics.passAtK(n: 5, c: 1, k: 1), 0.2, accuracy: 1e-12)
        XCTAssertEqual(Statistics.passAtK(n: 10, c: 3, k: 5), 1 - (7.0 * 6 * 5 * 4 * 3) / (10.0 * 9 * 8 * 7 * 6), accuracy: 1e-12)
        let xs = [1.0, 0, 1, 1, 0, 1, 0, 1, 1, 1]
        let ci = Statistics.bootstrapCI(xs)
        XCTAssertLessThan(ci.low, 0.7)
        XCTAssertGreaterThan(ci.high, 0.7)
        XCTAssertEqual(ci.low, Statistics.bootstrapCI(xs).low, "seeded: the same every run")
        XCTAssertEqual(Statistics.bootstrapCI([1]).low, 1)
        let scores: [Double] = [1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1]
        XCTAssertTrue(Statistics.bootstrapCI(scores) == Statistics.bootstrapCI(scores.reversed()), "the order items finished in does not matter")
    }

    /// A user's code dataset whose prompts are words: entry_point does not put the prompt before the
    /// answer (it would be a SyntaxError), so a correct solution passes.
    func testAPromptInWordsIsNotRunAsCode() async throws {
        let item = BenchmarkItem(id: "1", category: "", turns: ["Write a function add(a, b) that returns their sum."],
                                 tests: "def check(f):\n    assert f(2, 3) == 5\n", entryPoint: "add")
        let scored = await Scorer.score("```python\ndef add(a, b):\n    return a + b\n```", item: item, dataset: "mine", scorer: .code, sandbox: CodeSandbox())
        XCTAssertEqual(scored.score, 1, scored.detail)
        let wrong = await Scorer.score("```python\ndef add(a, b):\n    return a - b\n```", item: item, dataset: "mine", scorer: .code, sandbox: CodeSandbox())
        XCTAssertEqual(wrong.score, 0, wrong.detail)
    }

    /// HumanEval runs the prompt first: an answer with the whole function but without the prompt's
    /// imports still passes, as in the benchmark's own harness.
    func testHumanEvalAnswersRunAfterThePrompt() async throws {
        let items = try DatasetRegistry.load("humaneval", root: repositoryRoot.appendingPathComponent("datasets")).items
        let item = try XCTUnwrap(items.first { $0.id == "HumanEval/0" })
        let whole = "```python\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n"
            + "    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])\n```"
        let scored = await Scorer.score(whole, item: item, dataset: "humaneval", scorer: .code, sandbox: CodeSandbox())
        XCTAssertEqual(scored.score, 1, scored.detail)
        let body = "    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])\n"
        let bodyScore = await Scorer.score(body, item: item, dataset: "humaneval", scorer: .code, sandbox: CodeSandbox()).score
        XCTAssertEqual(bodyScore, 1)
        let wrong = "def has_close_elements(numbers, threshold):\n    return False\n"
        let wrongScore = await Scorer.score(wrong, item: item, dataset: "humaneval", scorer: .code, sandbox: CodeSandbox()).score
        XCTAssertEqual(wrongScore, 0)
    }
}
