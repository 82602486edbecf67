// What each command is for, how to write it, and an example: the source of `help` and completion.

/// The documentation of one command.
public struct CommandHelp: Sendable {
    public var name: String
    public var usage: String
    public var summary: String
    public var details: String
    public var example: String
}

/// Every command of the language, in the order `help` lists them.
public enum CommandCatalog {
    public static let all: [CommandHelp] = [
        .init(name: "model", usage: "model NAME = PROVIDER/MODEL [key=value …]",
              summary: "define a model to ask",
              details: """
                Providers: \(ProviderPreset.all.map(\.name).joined(separator: ", ")).
                Keys: \(ModelSpec.optionKeys.map { "\($0.key) (\($0.help))" }.joined(separator: "; ")).
                API keys are read from the environment at call time and never stored.
                """,
              example: "model tiny = local/smollm2 temperature=0 max_tokens=64"),
        .init(name: "ask", usage: "ask TARGET \"PROMPT\"",
              summary: "send one prompt to a model and print the answer",
              details: "Prints the answer, then the cell number, tokens and latency. Use \"\"\"…\"\"\" for prompts over several lines.",
              example: "ask tiny \"Name three primary colors.\""),
        .init(name: "models", usage: "models", summary: "list the defined models",
              details: "Shows provider, endpoint, parameters and whether the key variable is set (never the key).",
              example: "models"),
        .init(name: "show", usage: "show N", summary: "print cell N of this session with its model calls",
              details: "Shows the cell's source, status, output and, per call, model, tokens, latency and any error.",
              example: "show 2"),
        .init(name: "sessions", usage: "sessions", summary: "list the sessions recorded in the database",
              details: "The same table as `archon sessions` on the command line.", example: "sessions"),
        .init(name: "set", usage: "set KEY VALUE", summary: "change a session setting",
              details: "Settings: concurrency N (calls in flight at once, all models), stream on|off (print answers as they arrive on a terminal).",
              example: "set concurrency 16"),
        .init(name: "help", usage: "help [COMMAND]", summary: "list commands, or explain one with an example",
              details: "", example: "help ask"),
        .init(name: "exit", usage: "exit", summary: "leave archon (Ctrl-D does the same)", details: "", example: "exit"),
    ]

    /// Spelled-out aliases accepted for a command word.
    public static let aliases: [String: String] = ["quit": "exit"]

    public static func named(_ name: String) -> CommandHelp? {
        all.first { $0.name == (aliases[name] ?? name) }
    }

    public static var names: [String] { all.map(\.name) }
}
