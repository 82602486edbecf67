// Splits a command line into tokens; also decides whether typed input is complete.

/// Turns one logical line of the command language into tokens.
///
/// Words are runs of letters, digits and `_ - . / : @ ~ *`; strings are `"…"` with `\"`, `\\`,
/// `\n`, `\t` escapes, or `"""…"""` which may span lines; `#` outside a string starts a comment.
public enum Lexer {
    static let symbols: Set<Character> = ["=", "|", "[", "]", ",", "(", ")", "{", "}", "+"]

    static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || "_-./:@~*".contains(c)
    }

    /// Tokenizes `source`, throwing a ``ScriptError`` that points at the offending character.
    public static func tokenize(_ source: String) throws -> [Token] {
        let chars = Array(source)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
            } else if c == "#" {
                break
            } else if c == "\"" {
                let (text, next) = try readString(chars, from: i, source: source)
                tokens.append(Token(kind: .string, text: text, start: i, end: next))
                i = next
            } else if symbols.contains(c) {
                tokens.append(Token(kind: .symbol, text: String(c), start: i, end: i + 1))
                i += 1
            } else if isWordCharacter(c) {
                let start = i
                while i < chars.count, isWordCharacter(chars[i]) { i += 1 }
                tokens.append(Token(kind: .word, text: String(chars[start..<i]), start: start, end: i))
            } else {
                let shown = c.isASCII && (c.asciiValue ?? 0) > 0x20 && (c.asciiValue ?? 0) < 0x7F ? "'\(c)'" : "U+\(String(c.unicodeScalars.first!.value, radix: 16, uppercase: true))"
                throw ScriptError("unexpected character \(shown) — put free text inside \"quotes\"",
                                  source: source, start: i, end: i + 1)
            }
        }
        return tokens
    }

    private static func readString(_ chars: [Character], from start: Int, source: String) throws -> (String, Int) {
        let triple = start + 2 < chars.count && chars[start + 1] == "\"" && chars[start + 2] == "\""
        var i = start + (triple ? 3 : 1)
        var out = ""
        while i < chars.count {
            let c = chars[i]
            if triple {
                if c == "\"", i + 2 < chars.count, chars[i + 1] == "\"", chars[i + 2] == "\"" {
                    return (out, i + 3)
                }
                out.append(c)
                i += 1
                continue
            }
            if c == "\"" { return (out, i + 1) }
            if c == "\\", i + 1 < chars.count {
                switch chars[i + 1] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                default:
                    out.append("\\")
                    out.append(chars[i + 1])
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw ScriptError(triple ? "unterminated \"\"\" string — close it with \"\"\""
                                 : "unterminated string — add the closing \"",
                          source: source, start: start, end: chars.count)
    }

    /// Whether `text` is a whole command, or the user is still typing a multi-line one
    /// (a line ending in `\` or an open `"""` string).
    public static func isComplete(_ text: String) -> Bool {
        if text.hasSuffix("\\") { return false }
        var count = 0
        var rest = Substring(text)
        while let r = rest.range(of: "\"\"\"") {
            count += 1
            rest = rest[r.upperBound...]
        }
        return count % 2 == 0
    }

    /// Joins continuation lines: a trailing `\` is removed and the next line appended after a newline.
    public static func join(_ lines: [String]) -> String {
        var out = ""
        for (n, line) in lines.enumerated() {
            if line.hasSuffix("\\") {
                out += String(line.dropLast())
            } else {
                out += line
                if n < lines.count - 1 { out += "\n" }
            }
        }
        return out
    }
}
