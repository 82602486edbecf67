// Reading a judge's verdict strictly: the asked-for `[[…]]` form, one distinct value, never a guess.

import Foundation

/// The verdict forms judges are asked for, and their strict parsers.
public enum Verdict {
    /// Arena-Hard's five labels, from the first answer's point of view.
    public static let arenaLabels = ["A>>B", "A>B", "A=B", "B>A", "B>>A"]

    /// The distinct `[[…]]` contents in a reply (spaces removed).
    static func bracketed(_ reply: String) -> [String] {
        var seen: [String] = []
        for m in reply.matches(of: #/\[\[([^\[\]\n]{1,12})\]\]/#) {
            let v = String(m.output.1).filter { !$0.isWhitespace }
            if !seen.contains(v) { seen.append(v) }
        }
        return seen
    }

    /// A 1–10 rating written `[[7]]` (decimals allowed). Fails when there is none, several different
    /// ones, or one out of range.
    public static func rating(_ reply: String) -> Result<Double, VerdictError> {
        let numbers = bracketed(reply).compactMap(Double.init)
        guard !numbers.isEmpty else { return .failure(VerdictError("no [[rating]] in the reply")) }
        guard numbers.count == 1 else { return .failure(VerdictError("several different ratings: \(numbers.map { Formatting.number($0) }.joined(separator: ", "))")) }
        guard (1...10).contains(numbers[0]) else { return .failure(VerdictError("rating \(Formatting.number(numbers[0])) is outside 1–10")) }
        return .success(numbers[0])
    }

    /// A 0–1 grade written `[[1]]`, `[[0]]` or `[[0.5]]`.
    public static func grade(_ reply: String) -> Result<Double, VerdictError> {
        let numbers = bracketed(reply).compactMap(Double.init)
        guard numbers.count == 1, (0...1).contains(numbers[0]) else {
            return .failure(VerdictError(numbers.isEmpty ? "no [[0]] or [[1]] in the reply" : "not one grade between 0 and 1"))
        }
        return .success(numbers[0])
    }

    /// The option an answer chose, as read by a judge: `[[B]]` (an index below `count`), or `[[NONE]]` (nil).
    public static func option(_ reply: String, count: Int) -> Result<Int?, VerdictError> {
        let valid = MixEvalAnswer.letters.prefix(count).map(String.init) + ["NONE"]
        let labels = bracketed(reply).map { $0.uppercased() }.filter { valid.contains($0) }
        guard labels.count == 1 else {
            return .failure(VerdictError(labels.isEmpty ? "no option letter such as [[A]] in the reply" : "several options: \(labels.joined(separator: ", "))"))
        }
        return .success(labels[0] == "NONE" ? nil : valid.firstIndex(of: labels[0]))
    }

    /// MT-Bench pairwise: `[[A]]`, `[[B]]` or `[[C]]` (a tie). Returns A, B or C.
    public static func preference(_ reply: String) -> Result<String, VerdictError> {
        let labels = bracketed(reply).map { $0.uppercased() }.filter { ["A", "B", "C"].contains($0) }
        guard labels.count == 1 else {
            return .failure(VerdictError(labels.isEmpty ? "no [[A]], [[B]] or [[C]] in the reply" : "several verdicts: \(labels.joined(separator: ", "))"))
        }
        return .success(labels[0])
    }

    /// Arena-Hard: one of `[[A>>B]]` … `[[B>>A]]`.
    public static func arena(_ reply: String) -> Result<String, VerdictError> {
        let labels = bracketed(reply).map { $0.uppercased() }.filter { arenaLabels.contains($0) }
        guard labels.count == 1 else {
            return .failure(VerdictError(labels.isEmpty ? "no verdict such as [[A>B]] in the reply" : "several verdicts: \(labels.joined(separator: ", "))"))
        }
        return .success(labels[0])
    }
}

/// Why a reply held no usable verdict.
public struct VerdictError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
