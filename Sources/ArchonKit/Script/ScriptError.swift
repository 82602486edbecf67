// An error a user caused by what they typed, with the place to point at.

/// A mistake in a command line: a message, the line it came from and the columns to underline.
///
/// Rendered as one `error:` line, then the source line and a caret line under the offending part.
public struct ScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var source: String
    public var start: Int
    public var end: Int

    public init(_ message: String, source: String = "", start: Int = 0, end: Int = 0) {
        self.message = message
        self.source = source
        self.start = start
        self.end = max(end, start)
    }

    public init(_ message: String, source: String, token: Token) {
        self.init(message, source: source, start: token.start, end: token.end)
    }

    /// The error with its source line and caret, ready to print.
    /// Long input is cut: the message keeps its first and last words, the line a window around the caret.
    public var description: String {
        let shown = message.count <= 400 ? message : String(message.prefix(300)) + " … " + String(message.suffix(60))
        var text = "error: \(shown)"
        guard !source.isEmpty, !source.contains("\n") else { return text }
        let chars = Array(source)
        let from = chars.count <= 120 ? 0 : max(0, min(start - 30, chars.count - 100))
        let to = min(chars.count, from + (chars.count <= 120 ? chars.count : 100))
        let head = from > 0 ? "…" : "", tail = to < chars.count ? "…" : ""
        let caretStart = max(0, min(start, to) - from) + head.count
        let width = max(1, min(end, to) - max(start, from))
        text += "\n  \(head)\(String(chars[from..<to]))\(tail)\n  " + String(repeating: " ", count: caretStart) + String(repeating: "^", count: width)
        return text
    }
}
