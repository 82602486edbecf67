// Final-answer extraction and equivalence on hand-made tricky cases.

import ArchonKit
import XCTest

final class MathAnswerTests: XCTestCase {
    func testExtraction() {
        XCTAssertEqual(MathAnswer.extract("So the area is \\boxed{\\frac{\\sqrt{3}}{4}}.")?.answer, "\\frac{\\sqrt{3}}{4}")
        XCTAssertEqual(MathAnswer.extract("first \\boxed{1}, finally \\boxed{x^{2}+1}")?.answer, "x^{2}+1")
        XCTAssertEqual(MathAnswer.extract("Thus the answer is 1,234.")?.method, "answer-phrase")
        XCTAssertEqual(MathAnswer.extract("We get 3 apples and then 12 pears")?.answer, "12")
        XCTAssertEqual(MathAnswer.extract("\\fbox{7}")?.answer, "7")
        XCTAssertNil(MathAnswer.extract("I do not know."))
    }

    func testEquivalentAnswers() {
        let same: [(String, String)] = [
            ("\\dfrac{1}{2}", "\\frac12"), ("0.5", "\\frac{1}{2}"), ("1/2", "\\frac{1}{2}"), ("\\left( 1, 2 \\right)", "(1,2)"),
            ("90^\\circ", "90"), ("10\\text{ cm}", "10"), ("1,000", "1000"), ("5.0", "5"), ("\\$18", "18"), ("50\\%", "50"),
            ("x = 5", "5"), ("16 \\cdot 16 = 256", "256"), ("y = 2x + 3", "2x+3"), ("k=\\frac12", "0.5"),
            ("-\\frac{3}{4}", "\\frac{-3}{4}"), ("-0.75", "-\\frac34"), ("\\text{(B)}", "\\text{(B)}"), ("x^2 + 1", "x^2+1"),
        ]
        for (a, b) in same { XCTAssertTrue(MathAnswer.equivalent(a, b), "\(a) ≡ \(b)") }
        let different: [(String, String)] = [
            ("\\frac{1}{2}", "\\frac{1}{3}"), ("12", "21"), ("(1,2)", "(2,1)"), ("\\sqrt{2}", "2"), ("1000", "100"), ("0.33", "\\frac13"),
            ("x = 5", "x = 6"), ("2 + 3 = 5", "6"), ("x=5", "y=5"),
        ]
        for (a, b) in different { XCTAssertFalse(MathAnswer.equivalent(a, b), "\(a) ≢ \(b)") }
    }

    func testEveryBundledGoldAnswerMatchesItself() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("datasets")
        for name in ["math500", "aime"] {
            for item in try DatasetRegistry.load(name, root: root).items {
                let gold = try XCTUnwrap(item.reference)
                XCTAssertTrue(MathAnswer.equivalent("The final answer is \\boxed{\(gold)}".extractedOrSelf, gold), "\(item.id): \(gold)")
            }
        }
    }
}

private extension String {
    var extractedOrSelf: String { MathAnswer.extract(self)?.answer ?? self }
}
