// The math grader against a table of labelled answer pairs: equivalent pairs must match and the
// others must not (a false match is as wrong as a missed one). Each pair says why.

import ArchonKit
import XCTest

final class MathEquivalenceTableTests: XCTestCase {
    struct Pair {
        var a: String
        var b: String
        var equivalent: Bool
        var reason: String
        init(_ a: String, _ b: String, _ equivalent: Bool, _ reason: String) {
            self.a = a
            self.b = b
            self.equivalent = equivalent
            self.reason = reason
        }
    }

    static let table: [Pair] = [
        // Arguments written without braces, as LaTeX allows for one token.
        Pair("\\sqrt3", "\\sqrt{3}", true, "\\sqrt takes one token when unbraced"),
        Pair("\\frac{\\sqrt2}{2}", "\\frac{\\sqrt{2}}{2}", true, "unbraced \\sqrt inside a fraction"),
        Pair("x^2+1", "x^{2}+1", true, "unbraced exponent"),
        Pair("3\\sqrt2", "3\\sqrt{2}", true, "coefficient before an unbraced root"),
        Pair("\\frac12", "\\frac{1}{2}", true, "both fraction arguments unbraced"),
        Pair("\\frac1{2}", "\\frac{1}{2}", true, "numerator unbraced"),
        Pair("\\frac{1}2", "\\frac{1}{2}", true, "denominator unbraced"),
        Pair("\\frac\\pi2", "\\frac{\\pi}{2}", true, "a command as an unbraced argument"),
        Pair("\\sqrt[3]2", "\\sqrt[3]{2}", true, "unbraced radicand of a cube root"),
        Pair("e^x", "e^{x}", true, "unbraced letter exponent"),
        Pair("x_1", "x_{1}", true, "unbraced subscript"),
        Pair("\\sqrt{12}", "2\\sqrt3", true, "the same value, simplified or not"),
        Pair("\\frac{\\sqrt3}{3}", "\\frac{1}{\\sqrt3}", true, "the same value, rationalised or not"),
        Pair("\\sqrt3", "\\sqrt{33}", false, "\\sqrt3 is \\sqrt{3}, not a longer radicand"),
        Pair("\\frac12", "\\frac{12}{1}", false, "\\frac12 is one half, not twelve"),
        // \dfrac and \tfrac are display variants of \frac.
        Pair("\\dfrac{3}{4}", "\\frac34", true, "\\dfrac is \\frac"),
        Pair("\\tfrac{5}{6}", "\\frac{5}{6}", true, "\\tfrac is \\frac"),
        Pair("\\dfrac{\\sqrt{5}}{2}", "\\frac{\\sqrt5}{2}", true, "\\dfrac with a root"),
        Pair("\\dfrac{3}{4}", "\\frac{4}{3}", false, "numerator and denominator swapped"),
        // \left/\right and spacing macros.
        Pair("\\left(1,2\\right)", "(1,2)", true, "\\left( and \\right) are parentheses"),
        Pair("\\left[0,1\\right]", "[0,1]", true, "\\left[ and \\right] are brackets"),
        Pair("3\\!\\cdot\\!4", "12", true, "negative thin spaces around a product"),
        Pair("1\\,000", "1000", true, "a thin space as the thousands separator"),
        Pair("2\\;\\text{cm}", "2", true, "a thick space before a unit"),
        Pair("\\frac{1}{2}\\,", "0.5", true, "a trailing thin space"),
        Pair("\\left| -3 \\right|", "3", true, "absolute value"),
        Pair("\\left| -3 \\right|", "-3", false, "absolute value is not the number inside"),
        // Degrees.
        Pair("30^\\circ", "30", true, "degree mark"),
        Pair("30^{\\circ}", "30", true, "braced degree mark"),
        Pair("45°", "45", true, "Unicode degree sign"),
        Pair("30^\\circ", "60^\\circ", false, "different angles"),
        Pair("60^\\circ", "\\frac{\\pi}{3}", false, "degrees are not converted to radians"),
        // Units in \text{…} and friends.
        Pair("5\\text{ cm}", "5", true, "unit in \\text"),
        Pair("5 \\text{ cm}^2", "5", true, "squared unit"),
        Pair("12\\mbox{ inches}", "12", true, "unit in \\mbox"),
        Pair("12 \\text{ apples}", "12", true, "a counted noun"),
        Pair("\\text{Monday}", "Monday", true, "a word in \\text"),
        Pair("\\text{(C)}", "(C)", true, "a choice in \\text"),
        Pair("\\text{(C)}", "C", true, "a choice letter with or without parentheses"),
        Pair("\\textbf{(A)}", "A", true, "a choice in \\textbf"),
        Pair("\\text{yes}", "Yes", true, "words compare without case"),
        Pair("\\text{Monday}", "\\text{Tuesday}", false, "different words"),
        Pair("\\text{(A)}", "\\text{(B)}", false, "different choices"),
        Pair("\\text{no}", "yes", false, "different words"),
        Pair("5\\text{ cm}", "6", false, "different numbers with a unit"),
        // Percent and dollars.
        Pair("25\\%", "25", true, "escaped percent sign"),
        Pair("25%", "25", true, "percent sign"),
        Pair("\\$5.00", "5", true, "dollar sign and cents"),
        Pair("\\$1,250", "1250", true, "dollar sign and thousands separator"),
        Pair("12.5\\%", "12.5", true, "decimal percent"),
        Pair("25\\%", "0.25", false, "a percentage is graded as the number before its sign"),
        Pair("\\$5", "\\$50", false, "different amounts"),
        // Thousands separators.
        Pair("1,000", "1000", true, "comma thousands separator"),
        Pair("12,345,678", "12345678", true, "several separators"),
        Pair("1{,}000", "1000", true, "TeX's braced comma"),
        Pair("-1,024", "-1024", true, "a negative number with a separator"),
        Pair("1,000.5", "1000.5", true, "separator and decimals"),
        Pair("1,00", "100", false, "not a thousands grouping: a list of two numbers"),
        Pair("1,234", "1.234", false, "a comma separator is not a decimal point"),
        Pair("10,000", "1000", false, "different magnitudes"),
        // Number forms.
        Pair("5.0", "5", true, "trailing .0"),
        Pair("5.00", "5", true, "trailing zeros"),
        Pair("-3.0", "-3", true, "negative with trailing .0"),
        Pair(".5", "0.5", true, "no leading zero"),
        Pair("0.50", "\\frac{1}{2}", true, "decimal and fraction"),
        Pair("2.5", "\\frac{5}{2}", true, "decimal and improper fraction"),
        Pair("10^3", "1000", true, "a power evaluates"),
        Pair("+5", "5", true, "explicit plus sign"),
        Pair("007", "7", true, "zero-padded integer (AIME style)"),
        Pair("0", "-0", true, "signed zero"),
        Pair("100", "10^2", true, "a power of ten"),
        Pair("10^{-3}", "0.001", true, "negative exponent"),
        Pair("\\frac{1}{1000}", "0.001", true, "fraction and decimal"),
        Pair("1.5\\cdot10^{3}", "1500", true, "scientific notation"),
        Pair("2^{10}", "1024", true, "a braced exponent"),
        Pair("4049", "4049.0", true, "integer and its decimal"),
        Pair("5.01", "5", false, "close is not equal"),
        Pair("0.333", "\\frac13", false, "a rounded decimal is not the fraction"),
        Pair("3.14", "\\pi", false, "an approximation is not \\pi"),
        Pair("1.414", "\\sqrt{2}", false, "an approximation is not the root"),
        Pair("591", "519", false, "transposed digits"),
        Pair("204", "20.4", false, "misplaced decimal point"),
        Pair("2^10", "1024", false, "LaTeX reads 2^10 as 2^{1}0 = 20"),
        // A variable or name before the answer.
        Pair("x = 5", "5", true, "x = prefix"),
        Pair("x=5", "x = 5", true, "spacing around ="),
        Pair("y=-2", "-2", true, "y= prefix with a negative value"),
        Pair("k = \\frac{3}{2}", "1.5", true, "a named fraction"),
        Pair("\\theta = 30^\\circ", "30", true, "a Greek name and degrees"),
        Pair("f(x)=x^2", "x^2", true, "a function definition's right-hand side"),
        Pair("x \\in [2,5]", "[2,5]", true, "membership prefix"),
        Pair("x=2", "x = 2.0", true, "both named, same value"),
        Pair("16 \\cdot 16 = 256", "256", true, "a computation ending in its value"),
        Pair("x=5", "y=5", false, "different variables named"),
        Pair("x = 5", "x = -5", false, "different values"),
        Pair("2 + 3 = 5", "6", false, "the stated value differs"),
        // Tuples: order matters.
        Pair("(1,2)", "(1, 2)", true, "spacing in a pair"),
        Pair("(\\frac12, 3)", "(0.5,3)", true, "elements compared as values"),
        Pair("(-1,\\sqrt{2})", "(-1,\\sqrt2)", true, "unbraced root in a pair"),
        Pair("\\left(3,-\\frac{1}{2}\\right)", "(3,-0.5)", true, "\\left/\\right pair with a fraction"),
        Pair("(1,2)", "(2,1)", false, "an ordered pair's order matters"),
        Pair("(1,2,3)", "(1,2)", false, "different lengths"),
        Pair("(0,0)", "(0,0,0)", false, "a pair is not a triple"),
        Pair("(2,3)", "[2,3]", false, "open and closed intervals differ"),
        // Intervals and unions.
        Pair("[0,1)", "[0, 1)", true, "spacing in an interval"),
        Pair("(-\\infty, 3]", "(-\\infty,3]", true, "an unbounded interval"),
        Pair("(2,\\infty)", "(2,+\\infty)", true, "+\\infty is \\infty"),
        Pair("(2, ∞)", "(2,\\infty)", true, "Unicode infinity"),
        Pair("(-\\infty,-1)\\cup(6,+\\infty)", "(-\\infty,-1) \\cup (6,\\infty)", true, "a union of intervals"),
        Pair("(-\\infty,-1)\\cup(6,\\infty)", "(6,\\infty)\\cup(-\\infty,-1)", true, "a union's order does not matter"),
        Pair("[-\\frac{1}{4}, 0) \\cup (0, 2)", "[-0.25,0)\\cup(0,2)", true, "interval ends compared as values"),
        Pair("[1,5]", "[1,5.0]", true, "an end written as a decimal"),
        Pair("[0,1)", "[0,1]", false, "a half-open interval is not a closed one"),
        Pair("(0,1]", "[0,1]", false, "open and closed left ends differ"),
        Pair("(-\\infty,3]", "(-\\infty,3)", false, "closed and open right ends differ"),
        Pair("[-\\frac14,0)\\cup(0,2)", "[-\\frac14,2)", false, "a union with a gap is not the whole interval"),
        Pair("(-\\infty,-1)\\cup(6,\\infty)", "(-\\infty,-1)\\cup(5,\\infty)", false, "a different end"),
        // Sets: order does not matter.
        Pair("\\{1,2,3\\}", "\\{3,2,1\\}", true, "a set's order does not matter"),
        Pair("\\{\\frac12, 2\\}", "\\{2, 0.5\\}", true, "set elements compared as values"),
        Pair("\\left\\{ 1, 2 \\right\\}", "\\{2,1\\}", true, "\\left\\{ braces"),
        Pair("\\{1,2\\}", "\\{1,2,3\\}", false, "a missing element"),
        Pair("\\{1,2\\}", "(1,2)", false, "a set is not an ordered pair"),
        // Lists of solutions: order does not matter; ± stands for both signs.
        Pair("1, 2", "2, 1", true, "solutions in another order"),
        Pair("-2, 3", "3,-2", true, "negative solutions in another order"),
        Pair("\\pm 2", "2, -2", true, "± stands for both signs"),
        Pair("\\pm\\sqrt{3}", "-\\sqrt3,\\sqrt3", true, "± before a root"),
        Pair("1\\pm\\sqrt2", "1+\\sqrt{2}, 1-\\sqrt{2}", true, "± inside an expression"),
        Pair("1, 2", "1, 2, 3", false, "a missing solution"),
        Pair("1,2,2", "1,2", false, "a repeated solution counts"),
        Pair("2", "2, -2", false, "one solution of two"),
        Pair("\\pm 2", "2", false, "± gives two answers"),
        // Infinity and \pi.
        Pair("\\infty", "∞", true, "Unicode infinity"),
        Pair("-\\infty", "-∞", true, "negative infinity"),
        Pair("\\infty", "-\\infty", false, "opposite infinities"),
        Pair("2\\pi", "2 \\pi", true, "spacing before \\pi"),
        Pair("\\pi/2", "\\frac{\\pi}{2}", true, "slash and \\frac"),
        Pair("\\frac{\\pi}{2}", "\\frac12\\pi", true, "a coefficient before \\pi"),
        Pair("π", "\\pi", true, "Unicode pi"),
        Pair("\\frac{3\\pi}{4}", "\\frac{3}{4}\\pi", true, "\\pi inside or outside the fraction"),
        Pair("\\pi r^2", "r^2\\pi", true, "factors in another order"),
        Pair("\\pi", "180", false, "radians are not degrees"),
        Pair("2\\pi", "\\pi", false, "different multiples of \\pi"),
        Pair("\\frac{\\pi}{2}", "\\frac{\\pi}{3}", false, "different angles"),
        // Expressions in variables: the same function.
        Pair("x^2+2x+1", "(x+1)^2", true, "expanded and factored"),
        Pair("x^2+1", "1+x^2", true, "terms in another order"),
        Pair("2x+3", "3+2x", true, "terms in another order"),
        Pair("x^2-1", "(x-1)(x+1)", true, "difference of squares"),
        Pair("\\frac{x}{2}", "0.5x", true, "a fraction of x"),
        Pair("\\sqrt{x}", "x^{1/2}", true, "root and power"),
        Pair("ab", "ba", true, "factors commute"),
        Pair("n(n+1)/2", "\\frac{n^2+n}{2}", true, "the same formula"),
        Pair("10^{2^n-n-1}", "10^{2^{n}-n-1}", true, "nested unbraced exponent"),
        Pair("2^{n+1}", "2\\cdot2^n", true, "a power's factor"),
        Pair("x^2+1", "x^2-1", false, "a different constant term"),
        Pair("2x", "2y", false, "different variables"),
        Pair("3x^2", "3x^3", false, "a different power"),
        Pair("a^2b", "ab^2", false, "different monomials"),
        Pair("\\frac{1}{2}", "\\frac{1}{2}x", false, "a number is not a function of x"),
        Pair("2^{n+1}", "2^n+1", false, "the exponent's extent matters"),
        // Roots and fractions compared by value.
        Pair("\\frac{\\sqrt{6}}{4}", "\\frac{\\sqrt6}4", true, "all arguments unbraced"),
        Pair("8\\sqrt{5} - 16", "8\\sqrt5-16", true, "unbraced root in a difference"),
        Pair("2\\sqrt{2}-2", "-2+2\\sqrt2", true, "terms in another order"),
        Pair("\\sqrt{8}", "2\\sqrt{2}", true, "a simplified root"),
        Pair("\\sqrt{2}/2", "\\frac{\\sqrt2}{2}", true, "slash and \\frac"),
        Pair("\\frac{4}{21}", "\\frac{8}{42}", true, "an unreduced fraction has the same value"),
        Pair("\\frac{-3}{4}", "-\\frac34", true, "where the minus sign sits"),
        Pair("3/4", "0.75", true, "slash fraction and decimal"),
        Pair("2\\sqrt{2}", "\\sqrt{2}\\cdot2", true, "factors in another order"),
        Pair("2\\times3", "6", true, "\\times evaluates"),
        Pair("\\sqrt[3]{8}", "2", true, "a cube root"),
        Pair("\\frac{1}{2}", "\\frac{2}{4}", true, "equal fractions"),
        Pair("3!", "6", true, "a factorial"),
        Pair("\\binom{5}{2}", "10", true, "a binomial coefficient"),
        Pair("\\dbinom{6}{3}", "20", true, "\\dbinom is \\binom"),
        Pair("\\sqrt{2}", "\\sqrt{3}", false, "different roots"),
        Pair("\\frac{\\sqrt{7}}{4}", "\\frac{\\sqrt{7}}{2}", false, "different denominators"),
        Pair("\\frac{3}{4}", "\\frac{4}{3}", false, "a fraction and its inverse"),
        Pair("-\\frac{3}{4}", "\\frac{3}{4}", false, "opposite signs"),
        Pair("-\\sqrt{2}", "\\sqrt{2}", false, "opposite signs"),
        Pair("\\sqrt[3]{8}", "\\sqrt{8}", false, "a cube root is not a square root"),
        // Matrices, named points and delimiters.
        Pair("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", true, "spacing in a column vector"),
        Pair("\\begin{pmatrix} \\frac12 \\\\ 3 \\end{pmatrix}", "\\begin{pmatrix}0.5\\\\3\\end{pmatrix}", true, "entries compared as values"),
        Pair("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}2\\\\1\\end{pmatrix}", false, "entries in another order"),
        Pair("\\begin{pmatrix}1&2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", false, "a row is not a column"),
        Pair("\\lambda=2\\sqrt{2}, A(\\pm 1, 0)", "\\lambda = 2\\sqrt2, A(\\pm1,0)", true, "a compound answer, spacing and braces"),
        Pair("$\\frac{3}{4}$", "\\frac34", true, "math delimiters"),
        Pair("\\(5\\)", "5", true, "inline math delimiters"),
        Pair("5.", "5", true, "a sentence's final period"),
        Pair("\\boxed{5}", "5", true, "a box left around the answer"),
        Pair("$4049$", "4049", true, "dollar-delimited gold answer"),
        Pair("$4049$", "4094", false, "dollar-delimited, different number"),
    ]

    func testTheTable() {
        let equivalent = Self.table.filter(\.equivalent).count
        var agree = 0
        for p in Self.table {
            let forward = MathAnswer.equivalent(p.a, p.b), backward = MathAnswer.equivalent(p.b, p.a)
            XCTAssertEqual(forward, p.equivalent, "\(p.a) vs \(p.b): \(p.reason)")
            XCTAssertEqual(backward, p.equivalent, "\(p.b) vs \(p.a) (swapped): \(p.reason)")
            if forward == p.equivalent && backward == p.equivalent { agree += 1 }
        }
        XCTAssertGreaterThanOrEqual(Self.table.count, 150)
        XCTAssertGreaterThanOrEqual(Self.table.count - equivalent, 50, "enough pairs that must not match")
        print("math equivalence table: \(Self.table.count) pairs (\(equivalent) equivalent, \(Self.table.count - equivalent) not), "
              + "\(agree) agree with their label both ways")
    }

    /// Votes are counted by the grader's canonical form: equivalent answers are one vote, others are not.
    func testVotesCountEquivalentAnswersAsOne() {
        for p in Self.table where !p.a.contains("=") && !p.b.contains("=") {
            let same = MathAnswer.canonical(p.a) == MathAnswer.canonical(p.b)
            XCTAssertEqual(same, p.equivalent, "votes for \(p.a) and \(p.b): \(MathAnswer.canonical(p.a)) / \(MathAnswer.canonical(p.b))")
        }
    }
}
