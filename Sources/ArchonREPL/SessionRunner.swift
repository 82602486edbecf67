// Drives one session: feeds lines to the interpreter from a terminal, a pipe or a recipe.

@preconcurrency import Glibc
import ArchonKit
import Foundation

/// One session of the interpreter, fed from the terminal, a pipe or a recipe file.
final class SessionRunner: @unchecked Sendable {
    private(set) var interpreter: Interpreter
    private var failed = false

    init(store: SessionStore, kind: String, title: String?) {
        do {
            interpreter = try Interpreter(store: store, kind: kind, title: title, streaming: Console.stdoutIsTerminal)
        } catch {
            Console.err("error: cannot start a session in \(store.path): \(error)")
            exit(2)
        }
        _ = Interrupts.shared
        // Sandbox folders of an archon that was killed mid-run go now.
        CodeSandbox.removeLeftovers()
        atexit { LocalModelServer.shared.stop() }
    }

    /// Ends the session: records its end and stops the local model server.
    func finish() {
        let interpreter = self.interpreter
        Blocking.run { await interpreter.close() }
        LocalModelServer.shared.stop()
    }

    /// Runs one logical line; returns the result (nil number for comments and blank lines).
    @discardableResult
    func execute(_ source: String) -> CellResult {
        let interpreter = self.interpreter
        let streamed = Console.stdoutIsTerminal
        // Text that streams in after Ctrl-C is not printed: the cell is already being cancelled.
        let gate = Blocking.Box<Bool>()
        let onToken: (@Sendable (String) -> Void)? = streamed ? { @Sendable s in
            if gate.value != true { Console.out(s, terminator: "") }
        } : nil
        let progress = streamed ? ProgressLine(gate: gate) : nil
        let onProgress: (@Sendable (BenchProgress) -> Void)? = progress.map { line in { @Sendable p in line.draw(p) } }
        let result: CellResult = Blocking.run(cancellable: true, onCancel: { gate.value = true }) {
            await interpreter.execute(source, onToken: onToken, onProgress: onProgress)
        }
        progress?.clear()
        if result.number != nil, result.status != .ok { failed = true }
        // SIGTERM/SIGHUP: the cell was cancelled and recorded as it ended; now leave.
        if let signal = Interrupts.shared.terminating {
            finish()
            exit(128 + signal)
        }
        if let next = result.switchTo {
            // fork: the old session ends here, the REPL continues in the forked one.
            Blocking.run { await interpreter.close() }
            self.interpreter = next
        }
        return result
    }

    /// The interactive REPL; returns whether every command succeeded.
    func interactive() -> Bool {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let historyPath = ProcessInfo.processInfo.environment["ARCHON_HISTORY"] ?? home + "/.archon_history"
        let editor = LineEditor(historyPath: historyPath) { [self] prefix in
            let names = Blocking.run { await self.interpreter.names }
            return Completion.candidates(prefix: prefix, names: names)
        }
        Console.out(Console.dim("archon — type help for commands, Ctrl-D to leave"))
        while true {
            let number = Blocking.run { [self] in await self.interpreter.nextCell }
            var lines: [String] = []
            Interrupts.shared.onInterrupt { editor.interrupt() }
            var input: LineEditor.Input = .eof
            repeat {
                input = editor.read(prompt: lines.isEmpty ? "[\(number)] archon> " : "  ...> ")
                if case let .line(l) = input { lines.append(l) }
            } while input.isLine && !Lexer.isComplete(Lexer.join(lines))
            Interrupts.shared.onInterrupt(nil)
            if let signal = Interrupts.shared.terminating {
                finish()
                exit(128 + signal)
            }
            switch input {
            case .eof:
                Console.out("")
                return !failed
            case .interrupted:
                continue
            case .line:
                let source = Lexer.join(lines)
                editor.remember(source)
                let result = execute(source)
                if result.status == .cancelled {
                    Console.out(Console.red("cancelled — what finished is kept"))
                    continue
                }
                Console.render(result)
                if result.exit { return !failed }
            }
        }
    }

    /// Reads commands from a pipe: no prompt, no colours; returns whether every command succeeded.
    func piped() -> Bool {
        Interrupts.shared.onInterrupt { exit(Interrupts.shared.exitCode) }
        var lines: [String] = []
        let input = InputLines()
        while let line = input.next() {
            lines.append(line)
            let source = Lexer.join(lines)
            guard Lexer.isComplete(source) else { continue }
            lines = []
            let result = execute(source)
            Interrupts.shared.onInterrupt { exit(Interrupts.shared.exitCode) }
            if result.number != nil { Console.render(result) }
            if result.exit { break }
        }
        if !lines.isEmpty {
            failed = true
            Console.err("error: input ended inside a multi-line command (an open \"\"\" or a trailing \\)")
        }
        return !failed
    }

    /// Runs a recipe, echoing each command; stops at the first failure unless `keepGoing`.
    func recipe(_ text: String, keepGoing: Bool) -> Bool {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            lines.append(line)
            let source = Lexer.join(lines)
            guard Lexer.isComplete(source) else { continue }
            lines = []
            let trimmed = source.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("#") {
                Console.out(Console.dim(trimmed))
                continue
            }
            let number = Blocking.run { [self] in await self.interpreter.nextCell }
            Console.out(Console.bold("[\(number)] archon> ") + source)
            let result = execute(source)
            Console.render(result)
            if result.status == .cancelled { return false }
            if result.status != .ok, !keepGoing { return false }
            if result.exit { break }
        }
        if !lines.isEmpty {
            Console.err("error: the recipe ends inside a multi-line command (an open \"\"\" or a trailing \\)")
            return false
        }
        return !failed
    }
}

extension LineEditor.Input {
    var isLine: Bool { if case .line = self { true } else { false } }
}
