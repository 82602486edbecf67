// Executes commands against a workspace, recording every cell and call in the session store.

import Foundation

/// Runs the command language for one session.
///
/// Each call to ``execute(_:onToken:)`` is one cell: it is written to the store as running, then
/// finished with its status and output; the model calls it makes are written as they complete.
public actor Interpreter {
    public let store: SessionStore
    public let sessionID: Int64
    public private(set) var workspace = Workspace()
    /// The number the next cell will get.
    public private(set) var nextCell = 1
    /// Whether answers are streamed to `onToken` (the REPL turns this on for terminals).
    public private(set) var streaming: Bool

    let recorder: CellRecorder
    let client: ModelClient
    let localServer: LocalModelServer

    public init(store: SessionStore, kind: String, title: String? = nil, streaming: Bool = false,
                localServer: LocalModelServer = .shared,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.store = store
        self.sessionID = try store.openSession(kind: kind, title: title)
        self.streaming = streaming
        self.localServer = localServer
        let recorder = CellRecorder(store: store, session: sessionID)
        self.recorder = recorder
        let provider = OpenAICompatibleProvider(environment: environment,
                                                localBaseURL: { try await localServer.baseURL() })
        self.client = ModelClient(provider: { _ in provider }, recorder: recorder)
    }

    /// Marks the session as ended.
    public func close() {
        try? store.closeSession(sessionID)
    }

    /// Names defined so far (for completion).
    public var names: [String] { workspace.names }

    /// Parses and runs one logical line. Blank lines and comments return a result with no number.
    public func execute(_ source: String, onToken: (@Sendable (String) -> Void)? = nil) async -> CellResult {
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        let command: Command?
        var parseError: ScriptError?
        do { command = try Parser.parse(trimmed) } catch {
            command = nil
            parseError = error
        }
        if command == nil, parseError == nil { return CellResult(number: nil) }

        let number = nextCell
        nextCell += 1
        let cellID: Int64
        do {
            cellID = try store.beginCell(session: sessionID, number: number, source: trimmed)
        } catch {
            return CellResult(number: number, status: .error, output: "error: cannot record the cell: \(error)")
        }
        recorder.setCell(cellID)
        var result: CellResult
        if let parseError {
            result = CellResult(number: number, status: .error, output: parseError.description)
        } else if let command {
            do {
                result = try await run(command, number: number, onToken: onToken)
            } catch is CancellationError {
                result = CellResult(number: number, status: .cancelled, output: "cancelled")
            } catch let e as ProviderError where e == .cancelled {
                result = CellResult(number: number, status: .cancelled, output: "cancelled")
            } catch let e as ScriptError {
                result = CellResult(number: number, status: .error, output: e.description)
            } catch {
                result = CellResult(number: number, status: .error, output: "error: \(error)")
            }
        } else {
            result = CellResult(number: number)
        }
        if Task.isCancelled, result.status == .ok { result.status = .cancelled }
        try? store.finishCell(cellID, status: result.status.rawValue, output: result.text)
        recorder.setCell(nil)
        return result
    }

    func run(_ command: Command, number: Int, onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        switch command {
        case let .model(spec):
            let replaced = workspace.define(spec)
            var text = "\(replaced ? "redefined" : "defined") model \(spec.name) → \(spec.reference)"
            if let env = spec.keyEnv, (ProcessInfo.processInfo.environment[env] ?? "").isEmpty {
                text += " (note: \(env) is not set; calls will fail until it is)"
            }
            return CellResult(number: number, output: text)

        case let .ask(target, prompt, token):
            guard let model = workspace.model(target) else {
                let hint = Suggestion.closest(to: target, in: workspace.names).map { " — did you mean '\($0)'?" }
                    ?? (workspace.names.isEmpty ? " — define one first, e.g. model tiny = local/smollm2"
                                                : " — defined: \(workspace.names.joined(separator: ", "))")
                throw ScriptError("no model named '\(target)'" + hint, source: "ask \(target) …",
                                  start: 4, end: 4 + token.text.count)
            }
            let stream = streaming ? onToken : nil
            let start = ContinuousClock.now
            let response = try await client.complete(model: model, messages: [.user(prompt)],
                                                     context: CallContext(onToken: stream))
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let tokens = "\(response.promptTokens.map(String.init) ?? "?") → \(response.completionTokens.map(String.init) ?? "?") tokens"
            let footer = "[\(number)] \(model.name) · \(model.reference) · \(tokens) · \(Formatting.duration(seconds))"
            return CellResult(number: number, output: response.content, footer: footer, streamed: stream != nil)

        case .models:
            guard !workspace.models.isEmpty else {
                return CellResult(number: number, output: "no models defined — e.g. model tiny = local/smollm2 temperature=0")
            }
            let provider = OpenAICompatibleProvider()
            let env = ProcessInfo.processInfo.environment
            let rows = workspace.models.map { m -> [String] in
                let key: String = m.keyEnv.map { (env[$0] ?? "").isEmpty ? "\($0) not set" : "\($0) set" } ?? "no key needed"
                let params = m.definition.split(separator: " ").dropFirst(4).joined(separator: " ")
                return [m.name, m.reference, provider.endpoint(for: m), params.isEmpty ? "-" : params, key]
            }
            return CellResult(number: number, output: Formatting.table(["name", "model", "endpoint", "parameters", "key"], rows))

        case let .show(cell):
            guard cell < number else {
                throw ScriptError("there is no cell \(cell) yet — this is cell \(number)", source: "show \(cell)",
                                  start: 5, end: 5 + String(cell).count)
            }
            let row = try store.cell(session: sessionID, number: cell)
            return CellResult(number: number, output: SessionReport.cell(row, calls: try store.calls(cell: row.id!)))

        case let .help(topic):
            return CellResult(number: number, output: Self.help(topic))

        case let .set(key, value):
            switch key {
            case "concurrency":
                guard let n = Int(value), n >= 1 else {
                    throw ScriptError("concurrency takes a whole number ≥ 1, e.g. set concurrency 16")
                }
                await client.setConcurrency(n)
                return CellResult(number: number, output: "concurrency = \(n)")
            case "stream":
                guard value == "on" || value == "off" else { throw ScriptError("stream takes on or off") }
                streaming = value == "on"
                return CellResult(number: number, output: "stream = \(value)")
            default:
                throw ScriptError("unknown setting '\(key)'" + Suggestion.hint(for: key, in: ["concurrency", "stream"]))
            }

        case .sessions:
            return CellResult(number: number, output: SessionReport.sessions(try store.sessions()))

        case .exit:
            return CellResult(number: number, output: "", exit: true)
        }
    }

    /// The text of `help` and `help CMD`.
    public static func help(_ topic: String?) -> String {
        if let topic, let h = CommandCatalog.named(topic) {
            var text = "\(h.usage)\n  \(h.summary)"
            if !h.details.isEmpty { text += "\n\n" + h.details }
            text += "\n\nexample:\n  \(h.example)"
            return text
        }
        let width = CommandCatalog.all.map(\.usage.count).max() ?? 0
        var text = "commands (help COMMAND for details and an example):"
        for h in CommandCatalog.all { text += "\n  \(Formatting.pad(h.usage, width))  \(h.summary)" }
        text += "\n\nlines starting with # are comments; end a line with \\ or open \"\"\" to continue it"
        return text
    }
}

/// Routes the calls of the running cell to the store.
final class CellRecorder: CallRecorder, @unchecked Sendable {
    let store: SessionStore
    let session: Int64
    private let lock = NSLock()
    private var cell: Int64?

    init(store: SessionStore, session: Int64) {
        self.store = store
        self.session = session
    }

    func setCell(_ id: Int64?) {
        lock.lock()
        cell = id
        lock.unlock()
    }

    func record(_ call: CallRecord) {
        lock.lock()
        let cell = self.cell
        lock.unlock()
        StoreCallRecorder(store: store, session: session, cell: cell).record(call)
    }
}
