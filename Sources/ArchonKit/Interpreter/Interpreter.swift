// Executes commands against a workspace, recording every cell and call in the session store.

import Foundation

/// Runs the command language for one session.
///
/// Each call to ``execute(_:onToken:)`` is one cell: it is written to the store as running, then
/// finished with its status and output; the model calls it makes are written as they complete.
public actor Interpreter {
    public let store: SessionStore
    public nonisolated let sessionID: Int64
    public private(set) var workspace = Workspace()
    /// The number the next cell will get.
    public private(set) var nextCell = 1
    /// Whether answers are streamed to `onToken` (the REPL turns this on for terminals).
    public private(set) var streaming: Bool

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
    public private(set) var deadline: Double?
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
        let cellSeconds = result.seconds ?? reported(Double(measured.components.seconds) + Double(measured.components.attoseconds) / 1e18)
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
            let arch = try resolve(syntax)
            let replaced = workspace.define(arch)
            var text = "\(replaced ? "redefined" : "defined") architecture \(arch.name): " +
                arch.layers.map { $0.kind?.title ?? "?" }.joined(separator: " → ") +
                " · ≤ \(ArchitectureEstimate.callsPerLayer(arch).reduce(0, +)) calls per query"
            if let note = ConstructionRules.finalChoice(arch) { text += "\nnote: \(note)" }
            return CellResult(number: number, output: text)

        case let .replay(session):
            let replay = try Interpreter(store: store, kind: "replay", title: "replay of session \(session)", localServer: localServer)
            let cells: [ReplayedCell]
            do { cells = try await Replayer.replay(store: store, session: session, into: replay, offline: true) } catch let e as StoreError {
                throw ScriptError("\(e)")
            }
            await replay.close()
            var text = Replayer.summary(cells, from: session, as: replay.sessionID, offline: true)
            for c in cells where !c.identical { text += "\n  cell \(c.number): " + Replayer.firstDifference(c.recorded, c.replayed.text) }
            return CellResult(number: number, output: text)

        case let .rerun(n):
            guard n < number else {
                throw ScriptError("there is no cell \(n) before this one — rerun takes an earlier cell (1–\(number - 1))")
            }
            let source = try store.cell(session: sessionID, number: n).source
            guard let command = try Parser.parse(source) else { return CellResult(number: number) }
            if case .rerun = command { throw ScriptError("cell \(n) is itself a rerun — rerun the cell it names") }
            return try await run(command, number: number, cell: cell, onToken: onToken)

        case let .fork(session, upTo):
            if client.replay != nil {
                throw ScriptError("fork is not run again during a replay — replay or show the forked session instead")
            }
            let existing: [CellRow]
            do { existing = try store.cells(session: session) } catch let e as StoreError { throw ScriptError("\(e)") }
            let last = session == sessionID ? number - 1 : (existing.map(\.number).max() ?? 0)
            guard upTo >= 1, upTo <= last else {
                let range = last == 0 ? "no cells yet" : "cells 1–\(last)"
                throw ScriptError("fork \(session):\(upTo) — session \(session) has \(range)\(session == sessionID ? " before this one" : ""); a fork copies cells that already ran")
            }
            let forked = try Interpreter(store: store, kind: "fork", title: "fork of session \(session) at cell \(upTo)", localServer: localServer)
            let cells: [ReplayedCell]
            do { cells = try await Replayer.replay(store: store, session: session, into: forked, offline: true, upTo: upTo) } catch let e as StoreError {
                throw ScriptError("\(e)")
            }
            let failed = cells.filter { $0.replayed.status != .ok && $0.recorded.hasPrefix("error") == false }
            var result = CellResult(number: number, output: "forked session \(session) at cell \(upTo) into session \(forked.sessionID): \(cells.count) cell(s) replayed offline\(failed.isEmpty ? "" : ", \(failed.count) did not replay cleanly"); continuing live there")
            result.switchTo = forked
            return result

        case let .bench(request):
            return try await runBench(request, number: number, cell: cell)

        case let .results(filter):
            return CellResult(number: number, output: try ResultsReport.render(store, dataset: filter))

        case let .compare(request, other):
            return try runCompare(request, other: other, number: number)

        case let .dataset(spec):
            let loaded: Dataset
            do { loaded = try spec.load(relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) } catch {
                throw ScriptError("\(error)")
            }
            let replaced = workspace.define(loaded)
            let categories = Set(loaded.items.map(\.category)).subtracting([""]).sorted()
            return CellResult(number: number, output: "dataset \(loaded.name)\(replaced ? " (replaced)" : ""): \(loaded.items.count) items from \(spec.path) · scorer \(loaded.scorer)"
                + (categories.isEmpty ? "" : " · \(categories.count) categor\(categories.count == 1 ? "y" : "ies"): \(categories.prefix(8).joined(separator: ", "))\(categories.count > 8 ? ", …" : "")")
                + (loaded.scorer.isJudged ? "\n(bench it with judge=MODEL\(loaded.scorer == .judge || loaded.items.allSatisfy { $0.baseline != nil } ? "" : " and baseline=NAME"))" : ""))

        case let .datasets(slice):
            let root: URL
            do { root = try DatasetRegistry.root(environment: environment) } catch { throw ScriptError("\(error)") }
            guard let slice else {
                var rows: [[String]] = []
                for e in DatasetRegistry.entries {
                    let n = (try? DatasetRegistry.load(e.name, root: root).items.count).map(String.init) ?? "unreadable"
                    rows.append([e.name, n, e.scorer.rawValue, e.source])
                }
                for d in workspace.datasets { rows.append([d.name, String(d.items.count), d.scorer.rawValue, "yours: \(d.source)"]) }
                return CellResult(number: number, output: Formatting.table(["dataset", "items", "scorer", "source"], rows)
                                  + "\n(provenance and licences: \(root.path)/SOURCES.md)")
            }
            let dataset: Dataset
            if let mine = workspace.dataset(slice.dataset) { dataset = mine } else {
                do { dataset = try DatasetRegistry.load(slice.dataset, root: root) } catch { throw ScriptError("\(error)") }
            }
            let items = try slice.apply(dataset.items)
            var lines = ["\(slice): \(items.count) of \(dataset.items.count) items (scorer: \(dataset.scorer))"]
            for item in items.prefix(10) {
                lines.append("  \(item.id) [\(item.category)] \(Formatting.snippet(item.turns.first ?? "", 70))")
            }
            if items.count > 10 { lines.append("  … \(items.count - 10) more") }
            return CellResult(number: number, output: lines.joined(separator: "\n"))

        case .architectures:
            guard !workspace.architectures.isEmpty else {
                return CellResult(number: number, output: "no architectures defined — e.g. arch rf = gen(tiny, samples=3) | rank(tiny, top_k=1)")
            }
            return CellResult(number: number, output: workspace.architectures.map(\.notation).joined(separator: "\n"))

        case let .explain(topic):
            if topic == "techniques" { return CellResult(number: number, output: TechniqueGuide.catalogue) }
            if let a = workspace.architecture(topic) { return CellResult(number: number, output: TechniqueGuide.explain(a)) }
            if let k = TechniqueKind.named(topic) { return CellResult(number: number, output: TechniqueGuide.explain(k)) }
            if let m = workspace.model(topic) {
                return CellResult(number: number, output: "\(m.name) is a model: \(m.definition) — explain takes a technique or an architecture")
            }
            throw ScriptError("nothing named '\(topic)' to explain" +
                              (Suggestion.closest(to: topic, in: TechniqueKind.allNames + workspace.architectures.map(\.name) + ["techniques"])
                                .map { " — did you mean '\($0)'?" } ?? " — try explain techniques"))

        case let .loadArchon(path, name):
            let imported: ArchonConfig.Imported
            do {
                if replayRecorded != nil, let unwritten = replayFiles[path] {
                    imported = try ArchonConfig.parse(unwritten, file: path, name: name)
                } else {
                    imported = try ArchonConfig.load(path: path, name: name)
                }
            } catch {
                throw ScriptError(error.description)
            }
            let arch = imported.architecture
            guard Self.isName(arch.name) else {
                throw ScriptError("\(path): its name '\(arch.name)' is not a valid name — load it with `as NAME`")
            }
            if workspace.model(arch.name) != nil {
                throw ScriptError("'\(arch.name)' is already a model — load it with `as OTHER_NAME`")
            }
            workspace.define(arch)
            let calls = ArchitectureEstimate.callsPerLayer(arch).reduce(0, +)
            var lines = ["loaded \(arch.name) from \(path): \(arch.layers.count) layers (" +
                         arch.layers.map { "\($0.kind?.title ?? "?")\($0.components.count > 1 ? " ×\($0.components.count)" : "")" }.joined(separator: " → ") +
                         "), \(arch.models.count) model(s), ≤ \(calls) calls per query"]
            lines += imported.warnings.map { "warning: \($0)" }
            return CellResult(number: number, output: lines.joined(separator: "\n"))

        case let .exportArchon(name, path):
            guard let arch = workspace.architecture(name) else {
                throw ScriptError("no architecture named '\(name)'" + Suggestion.hint(for: name, in: workspace.architectures.map(\.name)))
            }
            // A replay writes no files unless asked: it reports the recorded result instead.
            if let recorded = replayRecorded, !replayWritesFiles {
                replayFiles[path] = ArchonConfig.export(arch)
                var r = CellResult(number: number, output: recorded)
                r.skippedWrite = path
                return r
            }
            do {
                let url = URL(fileURLWithPath: path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try ArchonConfig.export(arch).write(to: url)
            } catch {
                throw ScriptError("cannot write \(path): \(error.localizedDescription) — check the folder exists and is writable")
            }
            return CellResult(number: number, output: "wrote \(name) to \(path) (Archon JSON, \(arch.layers.count) layers)")

        case let .model(spec):
            let replaced = workspace.define(spec)
            var text = "\(replaced ? "redefined" : "defined") model \(spec.name) → \(spec.reference)"
            if let env = spec.keyEnv, (ProcessInfo.processInfo.environment[env] ?? "").isEmpty {
                text += " (note: \(env) is not set; calls will fail until it is)"
            }
            return CellResult(number: number, output: text)

        case let .ask(target, prompt, _) where workspace.architecture(target) != nil:
            let arch = workspace.architecture(target)!
            recorder.resetTotals()
            let start = ContinuousClock.now
            let store = self.store
            let recordedLayers = replayTiming?.layers ?? [:]
            let run = try await ArchitectureRunner(client: client).run(arch, query: [.user(prompt)]) { measured in
                var trace = measured
                if let s = recordedLayers[trace.layer] { trace.seconds = s }
                try? store.recordLayer(trace.stored, cell: cell)
                if let onToken, self.streamingFlag.value {
                    onToken("layer \(trace.layer) \(trace.technique): \(trace.candidatesIn.count) → \(trace.candidatesOut.count) candidates · \(Formatting.duration(trace.seconds))\(trace.parseFailures > 0 ? " · \(trace.parseFailures) fallback(s)" : "")\n")
                }
            }
            let elapsed = ContinuousClock.now - start
            let seconds = reported(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            let t = recorder.totals()
            var footer = "[\(number)] \(arch.name) · \(arch.layers.count) layers · \(t.calls) calls · \(t.prompt) → \(t.completion) tokens · \(SessionReport.costText(t.cost, unpriced: t.unpriced)) · \(Formatting.duration(seconds))"
            if t.cached > 0 { footer += " · \(t.cached) from cache" }
            if run.parseFailures > 0 { footer += " · \(run.parseFailures) parse fallback(s), see show \(number)" }
            footer += "\nanswer: \(run.choice)"
            var result = CellResult(number: number, output: run.answer, footer: footer)
            result.seconds = seconds
            return result

        case let .ask(target, prompt, token):
            guard let model = workspace.model(target) else {
                let hint = Suggestion.closest(to: target, in: workspace.names).map { " — did you mean '\($0)'?" }
                    ?? (workspace.names.isEmpty ? " — define one first, e.g. model tiny = local/smollm2"
                                                : " — defined: \(workspace.names.joined(separator: ", "))")
                throw ScriptError("no model named '\(target)'" + hint, source: "ask \(target) …",
                                  start: 4, end: 4 + token.text.count)
            }
            let stream = streaming ? onToken : nil
            recorder.resetTotals()
            let start = ContinuousClock.now
            let response = try await client.complete(model: model, messages: [.user(prompt)],
                                                     context: CallContext(onToken: stream))
            let elapsed = ContinuousClock.now - start
            let seconds = reported(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            let tokens = "\(response.promptTokens.map(String.init) ?? "?") → \(response.completionTokens.map(String.init) ?? "?") tokens"
            let t = recorder.totals()
            var footer = "[\(number)] \(model.name) · \(model.reference) · \(tokens) · \(SessionReport.costText(t.cost, unpriced: t.unpriced)) · \(Formatting.duration(seconds))"
            if t.cached > 0 { footer += " · from cache" }
            var result = CellResult(number: number, output: response.content, footer: footer, streamed: stream != nil)
            result.seconds = seconds
            return result

        case .models:
            guard !workspace.models.isEmpty else {
                return CellResult(number: number, output: "no models defined — e.g. model tiny = local/smollm2 temperature=0")
            }
            let provider = OpenAICompatibleProvider()
            let env = ProcessInfo.processInfo.environment
            func endpoint(_ m: ModelSpec) -> String {
                m.preset?.wire == .openAI ? provider.endpoint(for: m) : (m.baseURL ?? m.preset?.baseURL ?? "(not callable)")
            }
            let rows = workspace.models.map { m -> [String] in
                let key: String = m.keyEnv.map { (env[$0] ?? "").isEmpty ? "\($0) not set" : "\($0) set" } ?? "no key needed"
                let params = m.definition.split(separator: " ").dropFirst(4).joined(separator: " ")
                let price = client.pricing.price(for: m).map { "$\(Formatting.number($0.input)) / $\(Formatting.number($0.output))" } ?? "unknown"
                return [m.name, m.reference, endpoint(m), params.isEmpty ? "-" : params, key, price]
            }
            return CellResult(number: number, output: Formatting.table(["name", "model", "endpoint", "parameters", "key", "USD per 1M in / out"], rows))

        case let .show(cell):
            guard cell < number else {
                throw ScriptError(cell == number ? "cell \(cell) is this command — show an earlier cell (1–\(number - 1))"
                                                 : "there is no cell \(cell) yet — this is cell \(number)", source: "show \(cell)",
                                  start: 5, end: 5 + String(cell).count)
            }
            let row = try store.cell(session: sessionID, number: cell)
            return CellResult(number: number, output: SessionReport.cell(row, calls: try store.calls(cell: row.id!),
                                                                        layers: LayerTrace.decode(try store.layers(cell: row.id!)),
                                                                        items: try store.benchItems(cell: row.id!)))

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
            case "cache":
                guard let mode = CacheMode(rawValue: value) else {
                    throw ScriptError("cache takes on, off or refresh — e.g. set cache off")
                }
                client.cacheMode = mode
                return CellResult(number: number, output: "cache = \(mode.rawValue)" + (mode == .refresh ? " (calls go to the model and replace what the cache holds)" : ""))
            case "deadline":
                if value == "off" {
                    deadline = nil
                    return CellResult(number: number, output: "deadline = off")
                }
                guard let s = Double(value), s > 0 else {
                    throw ScriptError("deadline takes seconds above 0, or off — e.g. set deadline 120")
                }
                deadline = s
                return CellResult(number: number, output: "deadline = \(Formatting.number(s)) s per cell")
            case "stream":
                guard value == "on" || value == "off" else { throw ScriptError("stream takes on or off") }
                streaming = value == "on"
                streamingFlag.value = streaming
                return CellResult(number: number, output: "stream = \(value)")
            default:
                throw ScriptError("unknown setting '\(key)'" + (Suggestion.closest(to: key, in: ["cache", "concurrency", "stream", "deadline"])
                    .map { " — did you mean '\($0)'?" } ?? " — settings: cache, concurrency, deadline, stream"))
            }

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
        var layers: [Layer] = []
        for layer in syntax.layers {
            var components: [Component] = []
            for c in layer {
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
            layers.append(Layer(components))
        }
        let arch = Architecture(name: syntax.name, layers: layers)
        let violations = ConstructionRules.violations(arch)
        if !violations.isEmpty {
            throw ScriptError("architecture \(syntax.name) breaks the construction rules: " + violations.joined(separator: "; "))
        }
        return arch
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
