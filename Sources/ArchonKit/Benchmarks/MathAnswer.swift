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

    /// The normal form of an answer's LaTeX (see `LatexNormalForm`).
    public static func normalize(_ raw: String) -> String {
        LatexNormalForm.of(raw)
    }

    /// One spelling per answer, for counting votes: answers `equivalent` calls the same get the same
    /// spelling (`0.5`, `\frac12` and `1/2`; `x^2+1` and `1+x^{2}`; `\{1,2\}` and `\{2,1\}`). A
    /// statement `x = 5` is counted as its value.
    public static func canonical(_ raw: String) -> String {
        let n = normalize(raw)
        return MathShape.read(statement(n).map { $0.value } ?? n).canonical
    }

    /// Whether two answers are the same. Their normal forms are read into shapes — a union of
    /// intervals, an interval or tuple (ordered, brackets significant), a set or a list of solutions
    /// (in any order; `\pm` stands for both signs), a matrix (entry by entry), or one expression —
    /// and compared part by part; expressions are equal when their normal forms are, or when they
    /// evaluate to the same value (variables are tried at several points). A statement (`x = 5`,
    /// `x \in [2,5]`) is compared by its value when the other side is a bare value, and by name and
    /// value when both are statements.
    public static func equivalent(_ a: String, _ b: String) -> Bool {
        let x = normalize(a), y = normalize(b)
        if x == y { return true }
        switch (statement(x), statement(y)) {
        case let (sx?, sy?):
            return sx.name == sy.name && MathShape.read(sx.value).matches(MathShape.read(sy.value))
        case let (sx?, nil):
            return MathShape.read(sx.value).matches(MathShape.read(y))
        case let (nil, sy?):
            return MathShape.read(x).matches(MathShape.read(sy.value))
        case (nil, nil):
            return MathShape.read(x).matches(MathShape.read(y))
        }
    }

    /// `name = value` (or `name \in value`) split at its last top-level relation; nil for anything else
    /// (including a compound answer such as `\lambda=2, A(1,0)`, which has a comma outside brackets).
    static func statement(_ normal: String) -> (name: String, value: String)? {
        let parts = MathShape.topLevel(normal, separators: ["="])
        var name: String, value: String
        if parts.count >= 2 {
            name = parts.dropLast().joined(separator: "=")
            value = parts.last!
        } else if let r = normal.range(of: #"\\in(?![a-zA-Z])"#, options: .regularExpression) {
            name = String(normal[..<r.lowerBound])
            value = String(normal[r.upperBound...])
        } else {
            return nil
        }
        guard !name.isEmpty, !value.isEmpty, MathShape.topLevel(name, separators: [","]).count == 1 else { return nil }
        return (name, value)
    }
}
