// One spelling for a math answer written in LaTeX: the shorthand and decoration that MATH-style
// answers carry (unbraced arguments, display variants, spacing, units, signs) are written one way.

import Foundation

/// Rewrites a LaTeX answer into a normal form: equal forms mean the same written answer.
///
/// - math delimiters (`$…$`, `\(…\)`, `\[…\]`), `\boxed{…}`, `\displaystyle`, `\left`/`\right` and the
///   `\big` sizes, spacing macros (`\!`, `\,`, `\;`, `\:`, `\quad`, `~`) and all white space go;
/// - `\dfrac`/`\tfrac` are `\frac`, `\dbinom`/`\tbinom` are `\binom`, `\times`/`·`/`×` are `\cdot`,
///   `\div` is `/`, `π` is `\pi`, `∞` is `\infty` and `+\infty` is `\infty`, `−` is `-`;
/// - degree marks, `\%`/`%` and dollar signs go; units in `\text{…}`/`\mbox{…}` (with a power such as
///   `^2`) go when a value remains, otherwise the text is kept (`\text{(C)}` is `(C)`);
/// - one-token arguments are braced as LaTeX reads them: `\sqrt3` is `\sqrt{3}`, `\frac12` is
///   `\frac{1}{2}`, `x^2` is `x^{2}` (and `2^10` is `2^{1}0`);
/// - thousands separators in a lone number go (`1,000`, `1{,}000`); a final period goes; a choice
///   `(C)` is `C`; a word is lower-cased.
enum LatexNormalForm {
    static func of(_ raw: String) -> String {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        s = unwrapped(s)
        for (a, b) in [("\\displaystyle", ""), ("\\textstyle", ""), ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"),
                       ("\\dbinom", "\\binom"), ("\\tbinom", "\\binom"), ("\\times", "\\cdot"), ("·", "\\cdot"), ("×", "\\cdot"),
                       ("\\div", "/"), ("π", "\\pi"), ("∞", "\\infty"), ("−", "-"), ("\\lvert", "|"), ("\\rvert", "|"),
                       ("^\\circ", ""), ("^{\\circ}", ""), ("°", ""), ("\\degree", ""), ("\\%", ""), ("%", ""), ("\\$", ""), ("$", ""),
                       ("\\!", " "), ("\\,", " "), ("\\;", " "), ("\\:", " "), ("\\qquad", " "), ("\\quad", " "), ("~", " ")] {
            s = s.replacingOccurrences(of: a, with: b)
        }
        s = s.replacingOccurrences(of: #"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)(?![a-zA-Z])"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: #"(?<!\\)\\ "#, with: " ", options: .regularExpression)
        s = withoutUnits(s)
        // White space that ends a command's name must still end it once spaces go: `\pi r`, `\cdot x`, `\sqrt x`.
        s = s.replacingOccurrences(of: #"\\sqrt\s+([A-Za-z0-9])"#, with: "\\\\sqrt{$1}", options: .regularExpression)
        s = s.replacingOccurrences(of: #"(\\(?!frac|binom|sqrt)[a-zA-Z]+)\s+(?=[a-zA-Z])"#, with: "$1{}", options: .regularExpression)
        s = s.filter { !$0.isWhitespace }
        s = s.replacingOccurrences(of: #"(?<=\d)\{,\}(?=\d{3})"#, with: "", options: .regularExpression)
        if s.wholeMatch(of: #/[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?/#) != nil { s = s.replacingOccurrences(of: ",", with: "") }
        s = s.replacingOccurrences(of: #"(^|[,(\[=])\+\\infty"#, with: "$1\\\\infty", options: .regularExpression)
        while s.hasSuffix("."), !s.hasSuffix("\\.") { s.removeLast() }
        if s.hasPrefix("+"), s.count > 1 { s.removeFirst() }
        var chars = Array(s), i = 0
        s = bracedArguments(&chars, &i, until: nil)
        if let m = s.wholeMatch(of: #/\(([A-Za-z])\)/#) { s = String(m.1).uppercased() }
        if s.count > 1, s.allSatisfy(\.isLetter) { s = s.lowercased() }
        return s
    }

    /// Without enclosing math delimiters or a `\boxed{…}`.
    static func unwrapped(_ text: String) -> String {
        var s = text
        while true {
            let before = s
            for (open, close) in [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")]
            where s.count >= open.count + close.count && s.hasPrefix(open) && s.hasSuffix(close) {
                s = String(s.dropFirst(open.count).dropLast(close.count)).trimmingCharacters(in: .whitespaces)
            }
            if s.hasPrefix("\\boxed{"), let inner = OutputParsers.lastBoxed(s), "\\boxed{\(inner)}" == s { s = inner }
            if s == before { return s }
        }
    }

    /// `\text{…}` and its kin: dropped when they hold a unit or noun and a value remains, else unwrapped.
    static func withoutUnits(_ text: String) -> String {
        let pattern = #"\\(?:text|textbf|textit|textrm|textnormal|mbox|mathrm|mathbf|operatorname)\s*\{([^{}]*)\}(\^\{?\d\}?)?"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let ns = text as NSString
        let matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return text }
        var rest = text
        for m in matches.reversed() { rest = (rest as NSString).replacingCharacters(in: m.range, with: "") }
        let valueRemains = rest.contains { $0.isNumber }
        var out = text
        for m in matches.reversed() {
            let content = ns.substring(with: m.range(at: 1)).trimmingCharacters(in: .whitespaces)
            let isWords = !content.isEmpty && content.allSatisfy { $0.isLetter || $0 == " " || $0 == "." }
            let replacement: String
            if ["and", "or"].contains(content.lowercased()) { replacement = "," }
            else if valueRemains && isWords { replacement = "" }
            else { replacement = content + (m.range(at: 2).location == NSNotFound ? "" : ns.substring(with: m.range(at: 2))) }
            out = (out as NSString).replacingCharacters(in: m.range, with: replacement)
        }
        return out
    }

    /// Copies `chars` from `i`, bracing the one-token arguments of `\sqrt`, `\frac`, `\binom`, `^` and `_`,
    /// until `until` (consumed) or the end.
    static func bracedArguments(_ chars: inout [Character], _ i: inout Int, until: Character?) -> String {
        var out = ""
        while i < chars.count {
            let c = chars[i]
            if let until, c == until { i += 1; return out }
            if c == "{" {
                i += 1
                out += "{" + bracedArguments(&chars, &i, until: "}") + "}"
            } else if c == "^" || c == "_" {
                i += 1
                out.append(c)
                out += argument(&chars, &i)
            } else if c == "\\" {
                let name = command(chars, &i)
                out += name
                switch name {
                case "\\sqrt":
                    if i < chars.count, chars[i] == "[" {
                        i += 1
                        out += "[" + bracedArguments(&chars, &i, until: "]") + "]"
                    }
                    out += argument(&chars, &i)
                case "\\frac", "\\binom":
                    out += argument(&chars, &i)
                    out += argument(&chars, &i)
                default:
                    break
                }
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// One argument, braced: a group as it is, else a command (with its own arguments) or one character.
    static func argument(_ chars: inout [Character], _ i: inout Int) -> String {
        guard i < chars.count else { return "{}" }
        if chars[i] == "{" {
            i += 1
            return "{" + bracedArguments(&chars, &i, until: "}") + "}"
        }
        if chars[i] == "\\" {
            let name = command(chars, &i)
            var token = name
            if name == "\\sqrt" { token += argument(&chars, &i) }
            if name == "\\frac" || name == "\\binom" { token += argument(&chars, &i) + argument(&chars, &i) }
            return "{" + token + "}"
        }
        defer { i += 1 }
        return "{" + String(chars[i]) + "}"
    }

    /// The command at `i` (a backslash and letters, or a backslash and one other character).
    static func command(_ chars: [Character], _ i: inout Int) -> String {
        var name = "\\"
        i += 1
        if i < chars.count, !chars[i].isLetter {
            name.append(chars[i])
            i += 1
            return name
        }
        while i < chars.count, chars[i].isLetter, chars[i].isASCII {
            name.append(chars[i])
            i += 1
        }
        return name
    }
}
