// Executes commands against a workspace, recording every cell and call in the session store.

import Foundation

/// Runs the command language for one session.
///
/// Each call to ``execute(_:onToken:)`` is one cell: it is written to the store as running, then
/// finished with its status and output; the model calls it makes are written as they complete.
public actor Interpreter {
    public let store: SessionStore
    public nonisolated let sessionID: Int64
    public internal(set) var workspace = Workspace()
    /// The number the next cell will get.
    public private(set) var nextCell = 1
    /// Whether answers are streamed to `onToken` (the REPL turns this on for terminals).
    public internal(set) var streaming: Bool

    /// During a replay: the recorded duration of the next cell and of its layers, reported instead
    /// of the measured ones so that a replayed output reads exactly as the recorded one.
    var replayTiming: (cell: Double?, layers: [Int: Double])?
    /// During a replay: the recorded output of the cell being replayed.
    var replayRecorded: String?
    /// Whether a replay runs commands that write files (`archon replay --write-files`).
    var replayWritesFiles = false
    /// Files a replay did not write, kept in memory so later cells of the same replay read them.
    var replayFiles: [String: Data] = [:]

    /// Receives a bench's progress during the running cell (the REPL draws it).
    var onProgress: (@Sendable (BenchProgress) -> Void)?
    /// Longest a cell may run (seconds); nil = no limit.
    public internal(set) var deadline: Double?
    let recorder: CellRecorder
    let environment: [String: String]
    /// `streaming`, readable from the layer callback (which runs outside the actor).
    let streamingFlag: LockedValue<Bool>
    let client: ModelClient
    let localServer: LocalModelServer

    public init(store: SessionStore, kind: String, title: String? = nil, streaming: Bool = false,
                localServer: LocalModelServer = .shared,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                providers: (@Sendable (ModelSpec) -> any ChatProvider)? = nil) throws {
        self.store = store
        self.sessionID = try store.openSession(kind: kind, title: title)
        self.streaming = streaming
        self.streamingFlag = LockedValue(streaming)
        self.environment = environment
        self.localServer = localServer
        let recorder = CellRecorder(store: store, session: sessionID)
        self.recorder = recorder
        // Providers are chosen here and only here; a caller (a test, a benchmark) may bring its own.
        self.client = ModelClient(provider: providers ?? Providers.standard(environment: environment, localServer: localServer),
                                  recorder: recorder, pricing: try Pricing.load(environment: environment), cache: store)
    }

    /// Serves model calls from `source` (a recorded session) until called again with nil.
    public func setReplay(_ source: ReplaySource?) {
        client.replay = source
        recorder.deferWrites(source?.offline ?? false)
    }

    /// Reports `cell` seconds (and per-layer seconds) for the next cell instead of measured times.
    public func prepareReplay(cellSeconds: Double?, layerSeconds: [Int: Double]) {
        replayTiming = (cellSeconds, layerSeconds)
    }

    public func setCacheMode(_ mode: CacheMode) { client.cacheMode = mode }

    /// The recorded output of the next cell of a replay (nil when the replay ends).
    public func prepareReplayCell(recorded: String?) {
        replayRecorded = recorded
        if recorded == nil { replayFiles = [:] }
    }

    /// Lets a replay write the files its commands write.
    public func setReplayWritesFiles(_ on: Bool) { replayWritesFiles = on }

    /// The reported duration: the recorded one during a replay, else the measured one.
    func reported(_ measured: Double) -> Double { replayTiming?.cell ?? measured }

    /// Marks the session as ended.
    public func close() {
        try? store.closeSession(sessionID)
    }

    /// Names defined so far (for completion).
    public var names: [String] { workspace.names }

    /// Parses and runs one logical line. Blank lines and comments return a result with no number.
    public func execute(_ source: String, onToken: (@Sendable (String) -> Void)? = nil,
                        onProgress: (@Sendable (BenchProgress) -> Void)? = nil) async -> CellResult {
        self.onProgress = onProgress
        defer { self.onProgress = nil }
        var trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        var command: Command?
        var parseError: ScriptError?
        do { command = try Parser.parse(trimmed) } catch {
            command = nil
            parseError = error
        }
        // A key typed into the line is never recorded: the cell keeps the line with the key hidden.
        if let inline = Secrets.inline(in: trimmed) {
            trimmed = inline.hidden
            command = nil
            parseError = ScriptError("\(inline.found) puts a key into the session's record — keys are read from the environment: "
                + "export it (e.g. export MY_API_KEY=…) and name it with api_key_env=MY_API_KEY; the line was not run")
        }
        if command == nil, parseError == nil { return CellResult(number: nil) }
        let cellClock = ContinuousClock.now
        defer { replayTiming = nil }

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
                result = try await runWithDeadline(command, number: number, cell: cellID, onToken: onToken)
            } catch let e as DeadlineReached {
                result = CellResult(number: number, status: .error,
                                    output: "error: the cell's deadline of \(Formatting.number(e.seconds)) s was reached — calls in flight were cancelled, finished calls are kept (set deadline N to change it)")
            } catch is CancellationError {
                result = CellResult(number: number, status: .cancelled, output: "cancelled")
            } catch let e as ProviderError where e == .cancelled {
                result = CellResult(number: number, status: .cancelled, output: "cancelled")
            } catch let e as ProviderError where e.isNotRecorded {
                result = CellResult(number: number, status: .error, output: "error: cell \(number): \(e)")
            } catch let e as ScriptError {
                result = CellResult(number: number, status: .error, output: e.description)
            } catch {
                result = CellResult(number: number, status: .error, output: "error: \(error)")
            }
        } else {
            result = CellResult(number: number)
        }
        if Task.isCancelled, result.status == .ok { result.status = .cancelled }
        recorder.flush()
        let failures = recorder.takeFailures()
        if !failures.isEmpty {
            result.output += "\nwarning: \(failures.count) call(s) could not be recorded in \(store.path): \(failures[0])"
        }
        let measured = ContinuousClock.now - cellClock
        let cellSeconds = result.seconds ?? reported(measured.seconds)
        try? store.finishCell(cellID, status: result.status.rawValue, output: result.text, seconds: cellSeconds)
        recorder.setCell(nil)
        return result
    }

    struct DeadlineReached: Error { var seconds: Double }

    /// Runs a command, cancelled when the session's deadline passes first.
    func runWithDeadline(_ command: Command, number: Int, cell: Int64,
                         onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        guard let deadline else { return try await run(command, number: number, cell: cell, onToken: onToken) }
        return try await withThrowingTaskGroup(of: CellResult?.self) { group in
            group.addTask { try await self.run(command, number: number, cell: cell, onToken: onToken) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(deadline * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw DeadlineReached(seconds: deadline) }
            return result
        }
    }

    func run(_ command: Command, number: Int, cell: Int64, onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        switch command {
        case let .architecture(syntax):
            return try defineArchitecture(syntax, number: number)
        case let .replay(session):
            return try await replaySession(session, number: number)
        case let .rerun(n):
            return try await rerunCell(n, number: number, cell: cell, onToken: onToken)
        case let .fork(session, upTo):
            return try await forkSession(session, upTo: upTo, number: number)
        case let .bench(request):
            return try await runBench(request, number: number, cell: cell)
        case let .results(filter):
            return try listResults(filter, number: number)
        case let .compare(request, other):
            return try runCompare(request, other: other, number: number)
        case let .dataset(spec):
            return try defineDataset(spec, number: number)
        case let .ablate(request):
            return try await runAblation(request, number: number, cell: cell)
        case let .diagnose(request):
            return try await runDiagnosis(request, number: number, cell: cell)
        case let .space(syntax):
            return try defineSpace(syntax, number: number)
        case let .describeSpace(name):
            return try describeSpace(name, number: number)
        case let .search(request):
            return try await runSearch(request, number: number, cell: cell)
        case let .answers(name, path, format):
            return try defineAnswers(name, path: path, format: format, number: number)
        case let .datasets(slice):
            return try listDatasets(slice, number: number)
        case .architectures:
            return listArchitectures(number: number)
        case let .explain(topic):
            return try explain(topic, number: number)
        case let .loadArchon(path, name, options):
            return try loadArchon(path, name: name, options: options, number: number)
        case let .exportArchon(name, path):
            return try exportArchon(name, path: path, number: number)
        case let .model(spec):
            return defineModel(spec, number: number)
        case let .ask(target, prompt, _) where workspace.architecture(target) != nil:
            return try await askArchitecture(workspace.architecture(target)!, prompt: prompt, number: number, cell: cell, onToken: onToken)
        case let .ask(target, prompt, token):
            return try await askModel(target, prompt: prompt, token: token, number: number, onToken: onToken)
        case .models:
            return listModels(number: number)
        case let .show(cell):
            return try showCell(cell, number: number)
        case let .help(topic):
            return CellResult(number: number, output: Self.help(topic))
        case let .set(key, value):
            return try await applySetting(key, value, number: number)
        case .sessions:
            return CellResult(number: number, output: SessionReport.sessions(try store.sessions()))
        case .exit:
            return CellResult(number: number, output: "", exit: true)
        }
    }

    static func isName(_ s: String) -> Bool {
        guard let c = s.first, c.isLetter || c == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// Turns an `arch` line into an architecture: models looked up, options applied, rules checked.
    func resolve(_ syntax: ArchitectureSyntax) throws -> Architecture {
        let src = syntax.source
        if workspace.model(syntax.name) != nil {
            throw ScriptError("'\(syntax.name)' is already a model — give the architecture another name", source: src, start: 5, end: 5 + syntax.name.count)
        }
        let layers = try syntax.layers.map { try resolveLayer($0, source: src) }
        let arch = Architecture(name: syntax.name, layers: layers)
        let violations = ConstructionRules.violations(arch)
        if !violations.isEmpty {
            throw ScriptError("architecture \(syntax.name) breaks the construction rules: " + violations.joined(separator: "; "))
        }
        return arch
    }

    /// One layer as written, its model names resolved and options checked.
    func resolveLayer(_ syntax: [ComponentSyntax], source src: String) throws -> Layer {
        var components: [Component] = []
        for c in syntax {
            var model: ModelSpec?
            if c.kind.needsModel {
                guard let t = c.model else {
                    throw ScriptError("\(c.kind.shortName)(…) needs a model first, e.g. \(c.kind.shortName)(tiny)", source: src, token: c.kindToken)
                }
                guard let m = workspace.model(t.text) else {
                    let hint = Suggestion.closest(to: t.text, in: workspace.models.map(\.name)).map { " — did you mean '\($0)'?" }
                        ?? (workspace.models.isEmpty ? " — define one first, e.g. model tiny = local/smollm2" : " — defined: \(workspace.models.map(\.name).joined(separator: ", "))")
                    throw ScriptError("no model named '\(t.text)'" + hint, source: src, token: t)
                }
                model = m
            } else if let t = c.model {
                throw ScriptError("\(c.kind.shortName)(…) calls no model — write \(c.kind.shortName)()", source: src, token: t)
            }
            var comp = Component(kind: c.kind, model: model)
            for (key, value) in c.options {
                do { try comp.set(key.text, value.text) } catch {
                    let isKey: Bool = if case .unknownKey = error { true } else { false }
                    throw ScriptError(error.description, source: src, token: isKey ? key : value)
                }
            }
            components.append(comp)
        }
        return Layer(components)
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
