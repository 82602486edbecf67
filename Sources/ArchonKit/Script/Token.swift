// The lexical pieces of one line of the command language.

/// One token of a command line, with the range of columns it came from (for carets in errors).
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A bare word: names, numbers, `provider/model` references, slice bounds such as `0:20`.
        case word
        /// A double-quoted (or triple-quoted) string, already unescaped.
        case string
        /// One punctuation character: `=`, `|`, `[`, `]`, `,`, `(`, `)`, `{`, `}`, `+`.
        case symbol
    }

    public var kind: Kind
    public var text: String
    /// Offset of the first character of the token in the source line (in characters).
    public var start: Int
    /// Offset one past the last character (in characters).
    public var end: Int

    public init(kind: Kind, text: String, start: Int, end: Int) {
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
    }

    public func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
}
