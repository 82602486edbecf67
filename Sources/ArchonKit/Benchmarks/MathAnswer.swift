// Final answers of math solutions: extraction (nested \boxed{}), normalisation and equivalence.

import Foundation

/// Reads and compares final answers the way MATH and AIME grading needs.
public enum MathAnswer {
    /// The final answer of a solution and the rule that found it: `boxed`, `answer-phrase` or `last-number`;
    /// nil when there is none.
    public static func extract(_ solution: String) -> (answer: String, method: String)? {
        if let boxed = OutputParsers.lastBoxed(solution) ?? lastFbox(solution) { return (boxed, "boxed") }
        let lower = solution.lowercased()
        for marker in ["final answer is", "the answer is", "answer:"] {
            if let r = lower.range(of: marker, options: .backwards) {
                let rest = String(solution[r.upperBound...])
                let line = rest.split(whereSeparator: \.isNewline).first.map(String.init) ?? rest
                let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: " :*$."))
                if !trimmed.isEmpty { return (trimmed, "answer-phrase") }
            }
        }
        if let last = solution.matches(of: #/-?\d[\d,]*(?:\.\d+)?(?:\s*/\s*\d+)?/#).last { return (String(last.output), "last-number") }
        return nil
    }

    static func lastFbox(_ s: String) -> String? {
        guard let r = s.range(of: "\\fbox{", options: .backwards) else { return nil }
        return OutputParsers.lastBoxed("\\boxed{" + s[r.upperBound...])
    }

    /// A canonical form: no spaces, `\left`/`\right`, `\!`, dollar signs, degree marks, units in `\text{}`,
    /// thousands separators or trailing periods; `\dfrac`/`\tfrac` → `\frac`, `\frac12` → `\frac{1}{2}`,
    /// `a/b` → `\frac{a}{b}` for integers, and plain numbers as numbers (`0.50` → `0.5`, `5.0` → `5`).
    public static func normalize(_ raw: String) -> String {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        for (a, b) in [("\\left", ""), ("\\right", ""), ("\\!", ""), ("\\,", ""), ("\\;", ""), ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"),
                       ("^\\circ", ""), ("^{\\circ}", ""), ("°", ""), ("\\%", ""), ("%", ""), ("\\$", ""), ("$", ""), ("\\displaystyle", "")] {
            s = s.replacingOccurrences(of: a, with: b)
        }
        // Units and words in \text{…} / \mbox{…} are dropped when something else remains.
        let withoutText = s.replacingOccurrences(of: #"\\(?:text|mbox|mathrm)\{[^{}]*\}"#, with: "", options: .regularExpression)
        if !withoutText.trimmingCharacters(in: .whitespaces).isEmpty { s = withoutText }
        s = s.replacingOccurrences(of: " ", with: "")
        s = s.replacingOccurrences(of: #"(?<=\d),(?=\d{3}(?!\d))"#, with: "", options: .regularExpression)
        while s.hasSuffix(".") { s.removeLast() }
        // \frac12 → \frac{1}{2}; \frac1{2} → \frac{1}{2}; \frac{1}2 → \frac{1}{2}
        s = s.replacingOccurrences(of: #"\\frac(\d)(\d)"#, with: "\\\\frac{$1}{$2}", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\\frac(\d)\{"#, with: "\\\\frac{$1}{", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\\frac\{([^{}]*)\}(\d)"#, with: "\\\\frac{$1}{$2}", options: .regularExpression)
        s = s.replacingOccurrences(of: #"^(-?\d+)/(\d+)$"#, with: "\\\\frac{$1}{$2}", options: .regularExpression)
        s = s.replacingOccurrences(of: #"^-\\frac\{(\d+)\}\{(\d+)\}$"#, with: "\\\\frac{-$1}{$2}", options: .regularExpression)
        if let v = Double(s), v.isFinite {
            return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : Formatting.number(v)
        }
        return s
    }

    /// One spelling per answer, for counting votes: the normal form, or for a number or an integer
    /// fraction its value (so `0.5`, `\frac12` and `1/2` are one answer, as `equivalent` says).
    public static func canonical(_ raw: String) -> String {
        let n = normalize(raw)
        guard let v = value(n) else { return n }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.12g", v)
    }

    /// The value of a plain number or a `\frac{a}{b}` of integers.
    static func value(_ normalized: String) -> Double? {
        if let v = Double(normalized) { return v }
        if let m = normalized.wholeMatch(of: #/\\frac\{(-?\d+)\}\{(-?\d+)\}/#), let a = Double(m.1), let b = Double(m.2), b != 0 {
            return a / b
        }
        return nil
    }

    /// Whether two answers are the same: equal after normalisation, or equal in value (`0.5` vs `\frac12`).
    /// When exactly one side is a statement `… = value` (`x = 5`, `16 \cdot 16 = 256`) and the other
    /// is not, its last right-hand side is what is compared.
    public static func equivalent(_ a: String, _ b: String) -> Bool {
        let x = normalize(a), y = normalize(b)
        if same(x, y) { return true }
        let xs = x.contains("="), ys = y.contains("=")
        if xs != ys, let rhs = (xs ? x : y).split(separator: "=").last.map(String.init), !rhs.isEmpty {
            return same(rhs, xs ? y : x)
        }
        return false
    }

    static func same(_ x: String, _ y: String) -> Bool {
        if x == y { return true }
        if let u = value(x), let v = value(y) { return abs(u - v) <= 1e-9 * max(1, abs(u), abs(v)) }
        return false
    }
}
