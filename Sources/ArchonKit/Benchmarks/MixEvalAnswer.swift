// MixEval-Hard scoring without a judge: the chosen option of a multiple-choice item, and a normalised
// match against any target of a free-form item.

import Foundation

public enum MixEvalAnswer {
    static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// The option an answer chose: a letter (`(B)`, `B.`, "answer is B") or the text of an option. Nil when none.
    public static func chosenOption(_ answer: String, options: [String]) -> Int? {
        let valid = letters.prefix(options.count)
        let patterns = [#"answer\s*(?:is|:)?\s*\(?([A-Z])\)?(?![a-z])"#, #"^\s*\(?([A-Z])[\).:](?:\s|$)"#, #"\(([A-Z])\)"#, #"^\s*([A-Z])\s*$"#]
        let ns = answer as NSString
        for (n, pattern) in patterns.enumerated() {
            guard let re = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .anchorsMatchLines]) else { continue }
            let chosen = re.matches(in: answer, range: NSRange(location: 0, length: ns.length)).compactMap { m in
                valid.firstIndex(of: Character(ns.substring(with: m.range(at: 1)).uppercased()))
            }
            // "The answer is …" counts its last statement; elsewhere several different letters (an
            // answer that lists the options) are no choice, and the next way of reading is tried.
            if n == 0, let last = chosen.last { return last }
            if Set(chosen).count == 1 { return chosen[0] }
        }
        let a = normalize(answer)
        let hits = options.enumerated().filter { !normalize($0.element).isEmpty && a.contains(normalize($0.element)) }
        return hits.count == 1 ? hits[0].offset : nil
    }

    /// Lower case, punctuation and articles removed, spaces collapsed.
    public static func normalize(_ s: String) -> String {
        let lowered = s.lowercased().map { $0.isLetter || $0.isNumber || $0 == " " ? $0 : " " }
        return String(lowered).split(separator: " ").filter { !["a", "an", "the"].contains($0) }.joined(separator: " ")
    }

    /// Grades a free-form answer by its final answer: a `\\boxed{}` value, else what follows the last
    /// "answer is"/"answer:", else a short reply as a whole, else the last clause of its last sentence.
    /// Correct when that is a target (normalised), ends with one (`… is Paris`, not `not Paris`), or is
    /// the target's number; wrong when it states a different number for a numeric target; undecided
    /// otherwise — a mention of a target anywhere else earns nothing.
    public static func gradeFreeForm(_ answer: String, targets: [String]) -> FreeFormGrade {
        let final = finalAnswer(answer)
        let f = normalize(final)
        guard !f.isEmpty else { return FreeFormGrade(verdict: .undecided, finalAnswer: final) }
        let numbers = final.matches(of: #/-?\d[\d,]*(?:\.\d+)?/#).compactMap { Double($0.output.replacingOccurrences(of: ",", with: "")) }
        var numericTargets = 0
        for raw in targets {
            let t = normalize(raw)
            guard !t.isEmpty else { continue }
            if f == t { return FreeFormGrade(verdict: .correct, finalAnswer: final) }
            let words = f.split(separator: " "), tw = t.split(separator: " ")
            if words.count > tw.count, Array(words.suffix(tw.count)) == tw, !["not", "no", "never", "nor"].contains(words[words.count - tw.count - 1]) {
                return FreeFormGrade(verdict: .correct, finalAnswer: final)
            }
            if let value = Double(raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "").replacingOccurrences(of: " ", with: "")) {
                numericTargets += 1
                if numbers.count == 1, abs(numbers[0] - value) <= 1e-9 * max(1, abs(value)) {
                    return FreeFormGrade(verdict: .correct, finalAnswer: final)
                }
            }
        }
        if numericTargets > 0, numericTargets == targets.count, numbers.count == 1 {
            return FreeFormGrade(verdict: .wrong, finalAnswer: final)
        }
        return FreeFormGrade(verdict: .undecided, finalAnswer: final)
    }

    /// The part of a free-form answer that states its conclusion (see `gradeFreeForm`).
    public static func finalAnswer(_ answer: String) -> String {
        let text = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if let boxed = OutputParsers.lastBoxed(text) { return boxed }
        let strip = CharacterSet(charactersIn: " \t*_:.!\"'`")
        if let m = text.ranges(of: #/(?i)(?:final answer|answer)\s*(?:is|:)\s*/#).last {
            let rest = text[m.upperBound...].split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let sentence = rest.split(separator: ". ", maxSplits: 1).first.map(String.init) ?? rest
            let trimmed = sentence.trimmingCharacters(in: strip)
            if !trimmed.isEmpty { return trimmed }
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let last = lines.last else { return "" }
        if lines.count == 1, last.split(separator: " ").count <= 6 { return last.trimmingCharacters(in: strip) }
        let sentences = last.split(separator: /[.!?]\s+/).map(String.init).filter { !$0.trimmingCharacters(in: strip).isEmpty }
        let sentence = sentences.last ?? last
        let clauses = sentence.split(separator: /(?:[,;:]\s+|\s+[-–—]+\s+)(?i:(?:but|so|however|yet|though|thus|therefore|hence|and)\s+)?/)
        var clause = String(clauses.last ?? Substring(sentence)).trimmingCharacters(in: strip)
        if let m = clause.prefixMatch(of: /(?i)(?:but|so|however|thus|therefore|hence)\s+/) { clause = String(clause[m.range.upperBound...]) }
        return clause
    }
}

/// How the rule graded a free-form answer, and the final answer it read.
public struct FreeFormGrade: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable { case correct, wrong, undecided }
    public var verdict: Verdict
    public var finalAnswer: String
}
