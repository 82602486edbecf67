// What executing one command produced.

/// The outcome of one cell.
public struct CellResult: Sendable {
    /// `incomplete`: the command ran and reported, but part of its work failed (a bench with items
    /// left unscored); it fails a piped run or a recipe like an error. `interrupted`: the process
    /// running it was killed (set when the next process opens the database).
    public enum Status: String, Sendable { case ok, error, cancelled, incomplete, interrupted }

    /// The cell's number in the session; nil for blank lines and comments (which are not cells).
    public var number: Int?
    public var status: Status
    /// The main output (an answer, a table, an error message).
    public var output: String
    /// A closing line of figures (cell, tokens, latency), shown after the output.
    public var footer: String?
    /// Whether `output` was already passed on piece by piece while it streamed.
    public var streamed: Bool
    /// The command asked to leave the REPL.
    public var exit: Bool
    /// A forked session the REPL continues in from now on.
    public var switchTo: Interpreter?
    /// The duration the output reports (its footer), kept as the cell's duration so both agree.
    public var seconds: Double?
    /// During a replay: the file a command would have written and did not (see `--write-files`).
    public var skippedWrite: String?

    public init(number: Int?, status: Status = .ok, output: String = "", footer: String? = nil,
                streamed: Bool = false, exit: Bool = false) {
        self.number = number
        self.status = status
        self.output = output
        self.footer = footer
        self.streamed = streamed
        self.exit = exit
        self.switchTo = nil
        self.seconds = nil
    }

    /// Output and footer as stored and as printed when nothing streamed.
    public var text: String {
        [output, footer ?? ""].filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
