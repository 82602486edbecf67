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

    /// Whether a free-form answer matches any target: equal after normalising, or the target appears
    /// as whole words in the answer's last non-empty line.
    public static func freeFormMatches(_ answer: String, targets: [String]) -> Bool {
        let whole = normalize(answer)
        let last = normalize(answer.split(whereSeparator: \.isNewline).last.map(String.init) ?? "")
        for t in targets.map(normalize) where !t.isEmpty {
            if whole == t || (" " + last + " ").contains(" " + t + " ") { return true }
        }
        return false
    }
}
