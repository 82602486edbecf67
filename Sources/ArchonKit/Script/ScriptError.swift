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
    public var description: String {
        var text = "error: \(message)"
        guard !source.isEmpty, !source.contains("\n") else { return text }
        let width = max(1, end - start)
        text += "\n  \(source)\n  " + String(repeating: " ", count: start) + String(repeating: "^", count: width)
        return text
    }
}
