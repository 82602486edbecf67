// Scorers on hand-made cases: MixEval options and free-form targets, code extraction, pass@k, the bootstrap.

import ArchonKit
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
        XCTAssertTrue(MixEvalAnswer.freeFormMatches("After counting, it is\nThe Eiffel Tower.", targets: ["Eiffel Tower"]))
        XCTAssertTrue(MixEvalAnswer.freeFormMatches("1,234", targets: ["1 234"]))
        XCTAssertFalse(MixEvalAnswer.freeFormMatches("Paris", targets: ["Lyon"]))
    }

    func testCodeExtraction() {
        XCTAssertEqual(Scorer.code(in: "Here:\n```python\ndef f():\n    return 1\n```\nDone."), "def f():\n    return 1\n")
        XCTAssertEqual(Scorer.code(in: "```\nx = 1\n```\n```py\nx = 2\n```"), "x = 2\n")
        XCTAssertEqual(Scorer.code(in: "def g(): pass"), "def g(): pass")
        XCTAssertEqual(Scorer.code(in: "```python\r\na = 1\r\n```"), "a = 1\n")
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
    }
}
