// Tolerant readers of model output: small models rarely follow a format, so every reader says
// whether it found what it asked for, and callers record the fallback.

import Foundation

/// Parsers for the formats the techniques ask models for.
public enum OutputParsers {
    /// A ranking such as `[2] > [1] > [3]`, `2, 1, 3` or "Response 2 is best, then 1".
    /// Returns 0-based indices covering all `count` candidates (unmentioned ones after the
    /// mentioned, in their original order), whether any ranking was found at all, and how many
    /// candidates it named.
    public static func ranking(_ text: String, count: Int) -> (order: [Int], found: Bool, named: Int) {
        var mentioned: [Int] = []
        let bracketed = numbers(in: text, pattern: #"\[\s*(\d+)\s*\]"#)
        let source = bracketed.isEmpty ? numbers(in: text, pattern: #"(?<![\d.])(\d+)(?![\d.])"#) : bracketed
        for n in source where n >= 1 && n <= count && !mentioned.contains(n - 1) { mentioned.append(n - 1) }
        let rest = (0..<count).filter { !mentioned.contains($0) }
        return (mentioned + rest, !mentioned.isEmpty, mentioned.count)
    }

    static func numbers(in text: String, pattern: String) -> [Int] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap {
            Int(ns.substring(with: $0.range(at: 1)))
        }
    }

    /// A correct/incorrect verdict: `[Correct]`, `Incorrect`, `verdict: yes`… nil when neither is said.
    public static func verdict(_ text: String) -> Bool? {
        let l = text.lowercased()
        let negative = ["incorrect", "not correct", "wrong", "verdict: no", "[no]"]
        let positive = ["correct", "verdict: yes", "[yes]", "right answer"]
        let neg = negative.compactMap { l.range(of: $0)?.lowerBound }.min()
        let pos = positive.compactMap { p -> String.Index? in
            var from = l.startIndex
            // Skip "correct" inside "incorrect"/"not correct".
            while let r = l.range(of: p, range: from..<l.endIndex) {
                let before = l[l.startIndex..<r.lowerBound]
                if !(before.hasSuffix("in") || before.hasSuffix("not ")) { return r.lowerBound }
                from = r.upperBound
            }
            return nil
        }.min()
        switch (neg, pos) {
        case (nil, nil): return nil
        case (_?, nil): return false
        case (nil, _?): return true
        case let (n?, p?): return p < n
        }
    }

    /// Items of a list: lines starting with `-`, `*`, `•`, `1.`, `1)` or `Test 1:`. Capped at `cap`.
    public static func listItems(_ text: String, cap: Int) -> [String] {
        let re = try! NSRegularExpression(pattern: #"^\s*(?:[-*•]|\d+[.)]|test\s*\d+\s*[:.)-])\s*(.+)$"#, options: [.caseInsensitive])
        var items: [String] = []
        for line in text.split(whereSeparator: \.isNewline).map(String.init) {
            let ns = line as NSString
            if let m = re.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) {
                let item = ns.substring(with: m.range(at: 1)).trimmingCharacters(in: .whitespaces)
                if !item.isEmpty { items.append(item) }
            }
            if items.count == cap { break }
        }
        return items
    }

    /// How many of `count` tests a judgement says passed: lines like `Test 2: PASS` / `2. fail`.
    /// nil when no per-test verdict could be read.
    /// A Python-style list of strings, as the reference's unit-test generator is asked to write
    /// (`['The answer mentions…', "The answer states…"]`); nil when there is none.
    public static func quotedList(_ text: String) -> [String]? {
        guard let open = text.firstIndex(of: "["), let close = text.lastIndex(of: "]"), open < close else { return nil }
        let inner = text[text.index(after: open)..<close]
        let items = inner.matches(of: /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/).map { m in
            String(m.1 ?? m.2 ?? "").replacingOccurrences(of: "\\'", with: "'").replacingOccurrences(of: "\\\"", with: "\"")
        }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return items.isEmpty ? nil : items
    }

    public static func testResults(_ text: String, count: Int) -> Int? {
        testVerdicts(text, count: count).map { $0.values.filter { $0 }.count }
    }

    /// Each test's verdict by number (1…count) in a judgement; nil when none is read.
    public static func testVerdicts(_ text: String, count: Int) -> [Int: Bool]? {
        let re = try! NSRegularExpression(pattern: #"(?:test\s*#?\s*)?(\d+)\s*[:.)-]?\s*[*\[]*\s*(pass(?:ed|es)?|fail(?:ed|s)?|yes|no)\b"#,
                                          options: [.caseInsensitive])
        let ns = text as NSString
        var verdicts: [Int: Bool] = [:]
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            guard let n = Int(ns.substring(with: m.range(at: 1))), n >= 1, n <= count, verdicts[n] == nil else { continue }
            let word = ns.substring(with: m.range(at: 2)).lowercased()
            verdicts[n] = word.hasPrefix("pass") || word == "yes"
        }
        return verdicts.isEmpty ? nil : verdicts
    }

    /// A 1–10 score: `Score: 7`, `7/10`, `[[7]]`; nil when none is given.
    public static func score(_ text: String) -> Int? {
        for pattern in [#"\[\[\s*(\d+)\s*\]\]"#, #"score\s*[:=]?\s*(\d+)"#, #"(\d+)\s*/\s*10"#, #"(?<![\d.])(\d+)(?![\d.])"#] {
            if let n = numbers(in: text.lowercased(), pattern: pattern).first(where: { (1...10).contains($0) }) { return n }
        }
        return nil
    }

    /// A critique: text with Strengths/Weaknesses headings when the model gave them.
    /// One critique per candidate from a reply that critiques `count` of them, each starting with its
    /// number in brackets (`[2]`, or `[2]:`/`**[2]**`). A critique goes to the number it is labelled
    /// with; a number the reply repeats keeps its first critique; one reply with no label at all
    /// critiques a single candidate. Also lists the critiques without Strengths/Weaknesses headings.
    public static func labelledCritiques(_ text: String, count: Int) -> (critiques: [String?], unstructured: Set<Int>) {
        var out = [String?](repeating: nil, count: count)
        // Every label ends the critique before it; only labels 1…count get one.
        let labels = text.matches(of: /(?m)^[ \t*#>]*\[(\d+)\]/).map { m -> (Int, Range<String.Index>) in
            (Int(m.1).map { $0 - 1 } ?? -1, m.range)
        }
        if labels.isEmpty {
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if count == 1, !t.isEmpty { out[0] = t }
        }
        for (j, (index, range)) in labels.enumerated() where out.indices.contains(index) && out[index] == nil {
            let end = j + 1 < labels.count ? labels[j + 1].1.lowerBound : text.endIndex
            var body = Substring(text[range.upperBound..<end])
            while let f = body.first, ":*-. \t\n".contains(f) { body = body.dropFirst() }
            let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { out[index] = trimmed }
        }
        let unstructured = Set(out.indices.filter { out[$0].map { !critique($0).structured } ?? false })
        return (out, unstructured)
    }

    public static func critique(_ text: String) -> (text: String, structured: Bool) {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let l = t.lowercased()
        return (t, l.contains("strength") && l.contains("weakness"))
    }

    /// The final answer of a solution: `\boxed{…}` (nested braces), "the answer is …", else the last number,
    /// else the last non-empty line — as written (its normal form), the key its vote counts under, and
    /// the rule that found it. Keys are the grader's canonical form, so votes agree with how answers
    /// are scored (`0.5` and `\frac12` are one answer, so are `x^2+1` and `1+x^2`).
    public static func finalAnswer(_ text: String) -> (answer: String, key: String, method: String) {
        if let (found, method) = MathAnswer.extract(text) {
            return (MathAnswer.normalize(found), MathAnswer.canonical(found).lowercased(), method)
        }
        let lastLine = normalize(text.split(whereSeparator: \.isNewline).last.map(String.init) ?? "")
        return (lastLine, lastLine, "last-line")
    }

    /// The content of the last `\boxed{…}`, with nested braces.
    public static func lastBoxed(_ text: String) -> String? {
        guard let r = text.range(of: "\\boxed{", options: .backwards) else { return nil }
        var depth = 1
        var i = r.upperBound
        var out = ""
        while i < text.endIndex {
            let c = text[i]
            if c == "{" { depth += 1 }
            if c == "}" {
                depth -= 1
                if depth == 0 { return out }
            }
            out.append(c)
            i = text.index(after: i)
        }
        return nil
    }

    static func normalize(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        t = t.replacingOccurrences(of: #"(?<=\d),(?=\d{3}(?!\d))"#, with: "", options: .regularExpression)
        while t.hasSuffix(".") { t.removeLast() }
        return t.lowercased()
    }
}
