// Turns one line of the command language into a Command, or a ScriptError that points at the problem.

/// Parses command lines. See `docs/LANGUAGE.md` for the grammar.
public enum Parser {
    /// Parses one logical line; returns nil for a blank line or a comment.
    public static func parse(_ source: String) throws(ScriptError) -> Command? {
        let tokens: [Token]
        do { tokens = try Lexer.tokenize(source) } catch let e as ScriptError { throw e } catch {
            throw ScriptError("\(error)", source: source)
        }
        guard let first = tokens.first else { return nil }
        var p = Cursor(tokens: tokens, source: source)
        guard first.kind == .word else {
            throw ScriptError("a command starts with a command word such as 'ask' — `help` lists them",
                              source: source, token: first)
        }
        p.index = 1
        let word = CommandCatalog.aliases[first.text] ?? first.text
        let command: Command
        switch word {
        case "model": command = try parseModel(&p)
        case "ask":
            let target = try p.name("a model name after 'ask'")
            let prompt = try p.string("the prompt in quotes, e.g. ask \(target.text) \"Why is the sky blue?\"")
            command = .ask(target: target.text, prompt: prompt.text, targetToken: target)
        case "models": command = .models
        case "show":
            let n = try p.integer("a cell number, e.g. show 2")
            command = .show(cell: n)
        case "help":
            if let t = p.peek {
                guard t.kind == .word else { throw ScriptError("help takes a command name, e.g. help ask", source: source, token: t) }
                guard CommandCatalog.named(t.text) != nil else {
                    throw ScriptError("no command '\(t.text)'" + Suggestion.hint(for: t.text, in: CommandCatalog.names),
                                      source: source, token: t)
                }
                p.index += 1
                command = .help(topic: CommandCatalog.aliases[t.text] ?? t.text)
            } else {
                command = .help(topic: nil)
            }
        case "set":
            let key = try p.name("a setting name, e.g. set concurrency 16")
            guard let value = p.peek, value.kind != .symbol else {
                throw ScriptError("set \(key.text) needs a value, e.g. set concurrency 16", source: source,
                                  start: key.end, end: key.end + 1)
            }
            p.index += 1
            command = .set(key: key.text, value: value.text)
        case "sessions": command = .sessions
        case "bench":
            let target = try p.name("a model, an architecture or reference after 'bench', e.g. bench tiny math500[0:20]")
            var request = BenchRequest(target: target.text, slice: try parseSlice(&p))
            try parseBenchOptions(&p, into: &request, command: "bench")
            command = .bench(request)
        case "results":
            var filter: String?
            if let t = p.peek {
                guard t.kind == .word else { throw p.errorHere("a dataset name, e.g. results math500") }
                filter = t.text
                p.index += 1
            }
            command = .results(dataset: filter)
        case "compare":
            let first = try p.name("two models or architectures after 'compare', e.g. compare tiny trio math500[0:20]")
            let second = try p.name("a second model or architecture, e.g. compare \(first.text) trio math500[0:20]")
            var request = BenchRequest(target: first.text, slice: try parseSlice(&p))
            try parseBenchOptions(&p, into: &request, command: "compare")
            command = .compare(request, other: second.text)
        case "dataset": command = try parseDataset(&p)
        case "ablate": command = try parseAblate(&p)
        case "diagnose":
            let name = try p.name("an architecture after 'diagnose', e.g. diagnose a math500[0:20]")
            var request = BenchRequest(target: name.text, slice: try parseSlice(&p))
            try parseBenchOptions(&p, into: &request, command: "diagnose")
            command = .diagnose(request)
        case "answers": command = try parseAnswers(&p)
        case "space": command = try parseSpace(&p)
        case "search": command = try parseSearch(&p)
        case "datasets":
            // A slice is written without spaces (math500[0:20]); its tokens are joined back.
            let rest = p.tokens[p.index...].map(\.text).joined()
            p.index = p.tokens.count
            command = .datasets(slice: rest.isEmpty ? nil : try Slice.parse(rest))
        case "arch": command = try parseArchitecture(&p)
        case "replay":
            let n = try p.integer("a session number, e.g. replay 3 (`sessions` lists them)")
            command = .replay(session: Int64(n))
        case "rerun":
            let n = try p.integer("a cell number, e.g. rerun 2")
            command = .rerun(cell: n)
        case "fork":
            guard let t = p.peek, t.kind == .word else { throw p.errorHere("SESSION:CELL, e.g. fork 3:5") }
            let parts = t.text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let s = Int64(parts[0]), let c = Int(parts[1]), s > 0, c >= 0 else {
                throw ScriptError("'\(t.text)' is not SESSION:CELL — e.g. fork 3:5", source: source, token: t)
            }
            p.index += 1
            command = .fork(session: s, cell: c)
        case "archs": command = .architectures
        case "explain":
            let topic = try p.name("a technique or architecture name, e.g. explain fuser (or explain techniques)")
            command = .explain(topic: topic.text)
        case "load":
            let format = try p.name("a format after 'load', e.g. load archon \"config.json\" as moa")
            guard format.text == "archon" else {
                throw ScriptError("unknown format '\(format.text)' — only 'archon' (the reference JSON) can be loaded", source: source, token: format)
            }
            let path = try p.string("the file in quotes, e.g. load archon \"config.json\" as moa")
            var name: String?
            if let t = p.peek, t.kind == .word, t.text == "as" {
                p.index += 1
                name = try p.name("a name after 'as'", defining: true).text
            }
            var options = LoadOptions()
            /// `KEY=VALUE` where VALUE names a case of `T` (after KEY was read).
            func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws(ScriptError) -> T where T.RawValue == String {
                let cases = T.allCases.map(\.rawValue).joined(separator: " or ")
                guard p.peek?.isSymbol("=") == true else { throw p.errorHere("= after \(key), e.g. \(key)=reference") }
                p.index += 1
                let v = try p.name("\(cases) after \(key)=")
                guard let value = T(rawValue: v.text) else {
                    throw ScriptError("\(key) takes \(cases), not '\(v.text)'", source: source, token: v)
                }
                return value
            }
            while let t = p.peek {
                if t.kind == .word, t.text == "rules" {
                    p.index += 1
                    options.rules = try choice("rules", RuleSet.self)
                } else if t.kind == .word, t.text == "prompts" {
                    p.index += 1
                    options.prompts = try choice("prompts", PromptStyle.self)
                } else if t.kind == .word, t.text == "route" {
                    p.index += 1
                    repeat {
                        if p.peek?.isSymbol(",") == true { p.index += 1 }
                        guard let from = p.peek, from.kind == .word || from.kind == .string else {
                            throw p.errorHere("a model or model_type of the file, e.g. route Together_API=box, llm-blender/PairRM=tiny")
                        }
                        p.index += 1
                        guard p.peek?.isSymbol("=") == true else { throw p.errorHere("= and a model of yours, e.g. route \(from.text)=tiny") }
                        p.index += 1
                        let to = try p.name("a model of yours after \(from.text)=")
                        options.routes.append(.init(from: from.text, to: to.text))
                    } while p.peek?.isSymbol(",") == true
                } else {
                    throw p.errorHere("rules=reference, prompts=reference or route KEY=MODEL (or nothing) after the name")
                }
            }
            command = .loadArchon(path: path.text, name: name, options: options)
        case "export":
            let format = try p.name("a format after 'export', e.g. export archon moa \"moa.json\"")
            guard format.text == "archon" else {
                throw ScriptError("unknown format '\(format.text)' — only 'archon' (the reference JSON) can be exported", source: source, token: format)
            }
            let name = try p.name("the architecture to export")
            let path = try p.string("the file in quotes, e.g. export archon \(name.text) \"\(name.text).json\"")
            command = .exportArchon(name: name.text, path: path.text)
        case "exit": command = .exit
        default:
            throw ScriptError("unknown command '\(first.text)'" + (Suggestion.closest(to: first.text, in: CommandCatalog.names + Array(CommandCatalog.aliases.keys))
                .map { " — did you mean '\($0)'?" } ?? " — `help` lists the commands"),
                              source: source, token: first)
        }
        try p.expectEnd()
        return command
    }

    /// A slice as written without spaces (`math500[0:20]`), its tokens joined back.
    static func parseSlice(_ p: inout Cursor) throws(ScriptError) -> Slice {
        guard let first = p.peek, first.kind == .word else {
            throw p.errorHere("a dataset slice, e.g. math500[0:20] (`datasets` lists them)")
        }
        var slice = first.text
        p.index += 1
        if let open = p.peek, open.isSymbol("[") {
            while let t = p.peek {
                slice += t.text
                p.index += 1
                if t.isSymbol("]") { break }
            }
        }
        return try Slice.parse(slice)
    }

    /// `samples=K judge=MODEL baseline=NAME`, each at most once.
    static func parseBenchOptions(_ p: inout Cursor, into request: inout BenchRequest, command: String) throws(ScriptError) {
        var seen: Set<String> = []
        while p.peek != nil { try parseBenchOption(&p, into: &request, seen: &seen, command: command) }
    }

    /// One bench option at the cursor.
    static func parseBenchOption(_ p: inout Cursor, into request: inout BenchRequest, seen: inout Set<String>, command: String,
                                 alsoTakes: String = "") throws(ScriptError) {
        guard let key = p.peek, key.kind == .word, BenchRequest.optionKeys.contains(key.text) else {
            let key = p.peek!
            throw ScriptError("unexpected '\(key.text)' — \(command) takes samples=K, judge=MODEL and baseline=NAME after the slice\(alsoTakes)"
                              + (key.kind == .word ? Suggestion.hint(for: key.text, in: BenchRequest.optionKeys) : ""),
                              source: p.source, token: key)
        }
        p.index += 1
        guard seen.insert(key.text).inserted else {
            throw ScriptError("'\(key.text)' is given twice — keep one", source: p.source, token: key)
        }
        try p.symbol("=", "'=' after \(key.text)")
        switch key.text {
        case "samples":
            guard let v = p.peek, let n = Int(v.text), n >= 1, n <= Limits.maxSamples else {
                throw p.errorHere("samples= takes \(Limits.samplesHint)")
            }
            p.index += 1
            request.samples = n
        case "judge": request.judge = try p.name("a model name after judge=, e.g. judge=grader").text
        default: request.baseline = try p.name("a model or architecture after baseline=, e.g. baseline=tiny").text
        }
    }

    /// `ablate ARCH SLICE [options] [drop X] [replace N with LAYER] [vary KEY=V1,V2,…]`
    static func parseAblate(_ p: inout Cursor) throws(ScriptError) -> Command {
        let name = try p.name("an architecture after 'ablate', e.g. ablate a math500[0:20]")
        var request = AblationRequest(bench: BenchRequest(target: name.text, slice: try parseSlice(&p)))
        var seen: Set<String> = []
        while let t = p.peek {
            switch t.kind == .word ? t.text : "" {
            case "drop":
                p.index += 1
                guard let what = p.peek, what.kind == .word else { throw p.errorHere("a layer number, technique or instance after drop, e.g. drop 2, drop rank, drop gen2") }
                p.index += 1
                request.changes.append(.drop(what.text))
            case "replace":
                p.index += 1
                let n = try p.integer("a layer number after replace, e.g. replace 3 with fuse(t)")
                guard let with = p.peek, with.kind == .word, with.text == "with" else { throw p.errorHere("'with' after the layer number, e.g. replace \(n) with fuse(t)") }
                p.index += 1
                request.changes.append(.replace(layer: n, with: try parseLayer(&p), source: p.source))
            case "vary":
                p.index += 1
                guard let key = p.peek, key.kind == .word else { throw p.errorHere("an option after vary, e.g. vary samples=1,2,4") }
                p.index += 1
                try p.symbol("=", "'=' after \(key.text), e.g. vary \(key.text)=1,2,4")
                var values: [String] = []
                while true {
                    guard let v = p.peek, v.kind == .word else { throw p.errorHere("values separated by commas, e.g. vary \(key.text)=1,2,4") }
                    p.index += 1
                    values.append(v.text)
                    guard let c = p.peek, c.isSymbol(",") else { break }
                    p.index += 1
                }
                request.changes.append(.vary(key: key.text, values: values))
            default:
                try parseBenchOption(&p, into: &request.bench, seen: &seen, command: "ablate",
                                     alsoTakes: ", and changes: drop X, replace N with LAYER, vary KEY=V1,V2")
            }
        }
        return .ablate(request)
    }

    static func parseDataset(_ p: inout Cursor) throws(ScriptError) -> Command {
        let name = try p.name("a name for the dataset, e.g. dataset mine = \"questions.jsonl\" prompt=question answer=answer", defining: true)
        try p.symbol("=", "'=' after the dataset name, e.g. dataset \(name.text) = \"questions.jsonl\" prompt=question")
        let path = try p.string("the JSONL file in quotes, e.g. dataset \(name.text) = \"questions.jsonl\" prompt=question")
        var spec = UserDatasetSpec(name: name.text, path: path.text)
        var seen: Set<String> = []
        while let key = p.peek {
            guard key.kind == .word else { throw ScriptError("expected key=FIELD, e.g. prompt=question", source: p.source, token: key) }
            p.index += 1
            try p.symbol("=", "'=' after '\(key.text)', e.g. \(key.text)=FIELD")
            guard let value = p.peek, value.kind != .symbol else { throw p.errorHere("a field name after '\(key.text)='") }
            p.index += 1
            guard seen.insert(key.text).inserted else {
                throw ScriptError("'\(key.text)' is given twice — keep one", source: p.source, token: key)
            }
            do { try spec.set(key.text, value.text) } catch {
                throw ScriptError(error.message, source: p.source, token: error.isKey ? key : value)
            }
        }
        do { try spec.validate() } catch { throw ScriptError(error.message, source: p.source, token: name) }
        if DatasetRegistry.names.contains(name.text) {
            throw ScriptError("'\(name.text)' is a bundled dataset — give yours another name", source: p.source, token: name)
        }
        return .dataset(spec)
    }

    static func parseAnswers(_ p: inout Cursor) throws(ScriptError) -> Command {
        let example = "answers published = \"outputs.json\" format=alpaca_eval"
        let name = try p.name("a name for the answers, e.g. \(example)", defining: true)
        try p.symbol("=", "'=' after the name, e.g. answers \(name.text) = \"outputs.json\"")
        let path = try p.string("the answers file in quotes, e.g. answers \(name.text) = \"outputs.json\"")
        var format: RecordedAnswers.Format?
        if let key = p.peek {
            guard key.kind == .word, key.text == "format" else {
                throw ScriptError("expected format=alpaca_eval or format=fastchat (or nothing: the file's layout decides)", source: p.source, token: key)
            }
            p.index += 1
            try p.symbol("=", "'=' after format, e.g. format=alpaca_eval")
            guard let value = p.peek, value.kind == .word else { throw p.errorHere("alpaca_eval or fastchat after format=") }
            p.index += 1
            guard let f = RecordedAnswers.Format(rawValue: value.text) else {
                throw ScriptError("unknown format '\(value.text)' — use alpaca_eval (AlpacaEval model_outputs, a JSON list) or fastchat (FastChat model_answer, JSONL)"
                    + (Suggestion.closest(to: value.text, in: RecordedAnswers.Format.allCases.map(\.rawValue)).map { " — did you mean '\($0)'?" } ?? ""),
                    source: p.source, token: value)
            }
            format = f
        }
        if let extra = p.peek { throw ScriptError("unexpected '\(extra.text)' — answers takes a name, a file and format= only", source: p.source, token: extra) }
        if name.text == "reference" { throw ScriptError("'reference' is the gold answers — give these another name", source: p.source, token: name) }
        return .answers(name: name.text, path: path.text, format: format)
    }

    static func parseModel(_ p: inout Cursor) throws(ScriptError) -> Command {
        let name = try p.name("a name for the model, e.g. model tiny = local/smollm2", defining: true)
        try p.symbol("=", "'=' after the model name, e.g. model \(name.text) = local/smollm2")
        guard let ref = p.peek, ref.kind == .word else {
            throw p.errorHere("a PROVIDER/MODEL reference after '=', e.g. local/smollm2 or openai/gpt-4o-mini")
        }
        p.index += 1
        guard let slash = ref.text.firstIndex(of: "/"), slash != ref.text.startIndex,
              ref.text.index(after: slash) != ref.text.endIndex else {
            throw ScriptError("'\(ref.text)' is not PROVIDER/MODEL — e.g. local/smollm2 or openai/gpt-4o-mini",
                              source: p.source, token: ref)
        }
        let provider = String(ref.text[..<slash])
        let modelID = String(ref.text[ref.text.index(after: slash)...])
        guard ProviderPreset.named(provider) != nil else {
            let known = ProviderPreset.all.map(\.name)
            throw ScriptError("unknown provider '\(provider)'" + (Suggestion.closest(to: provider, in: known)
                .map { " — did you mean '\($0)'?" } ?? " — known: \(known.joined(separator: ", "))"),
                              source: p.source, start: ref.start, end: ref.start + provider.count)
        }
        var spec = ModelSpec(name: name.text, provider: provider, model: modelID)
        var seen: Set<String> = []
        while let key = p.peek {
            guard key.kind == .word else {
                throw ScriptError("expected key=value, e.g. temperature=0", source: p.source, token: key)
            }
            p.index += 1
            try p.symbol("=", "'=' after '\(key.text)', e.g. \(key.text)=VALUE")
            guard let value = p.peek, value.kind != .symbol else {
                throw p.errorHere("a value after '\(key.text)='")
            }
            p.index += 1
            guard seen.insert(key.text).inserted else {
                throw ScriptError("'\(key.text)' is given twice — keep one", source: p.source, token: key)
            }
            do {
                try spec.set(key.text, value.text)
            } catch {
                let isKey: Bool = if case .unknownKey = error { true } else { false }
                throw ScriptError(error.description, source: p.source, token: isKey ? key : value)
            }
        }
        if spec.provider == "compatible", spec.baseURL == nil {
            throw ScriptError("compatible/ models need base_url=http://HOST:PORT/v1", source: p.source, token: ref)
        }
        return .model(spec)
    }
}

/// A position in a token list, with helpers that fail with a pointed message.
struct Cursor {
    var tokens: [Token]
    var source: String
    var index = 0

    var peek: Token? { index < tokens.count ? tokens[index] : nil }

    func errorHere(_ expected: String) -> ScriptError {
        if let t = peek { return ScriptError("expected \(expected)", source: source, token: t) }
        let end = tokens.last?.end ?? 0
        return ScriptError("expected \(expected)", source: source, start: end, end: end + 1)
    }

    /// A name: letters, digits, `_` and `-`, starting with a letter. A name that refers to something
    /// (not `defining` one) may also be an ablation variant's, `a~rank` or `a~temperature0.4`.
    mutating func name(_ expected: String, defining: Bool = false) throws(ScriptError) -> Token {
        guard let t = peek, t.kind == .word else { throw errorHere(expected) }
        let parts = t.text.split(separator: "~", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0]
        let plain = base.first.map { $0.isLetter || $0 == "_" } == true && base.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        let variant = parts.count == 1 || (!defining && !parts[1].isEmpty && parts[1].allSatisfy { $0.isLetter || $0.isNumber || "_-.@~".contains($0) })
        guard plain, variant else {
            throw ScriptError("'\(t.text)' is not a valid name — use letters, digits, _ and -, starting with a letter"
                              + (defining && parts.count > 1 ? " (~ marks the variants ablate names)" : ""),
                              source: source, token: t)
        }
        index += 1
        return t
    }

    mutating func string(_ expected: String) throws(ScriptError) -> Token {
        guard let t = peek else { throw errorHere(expected) }
        guard t.kind == .string else {
            throw ScriptError("expected \(expected)", source: source, token: t)
        }
        index += 1
        return t
    }

    mutating func integer(_ expected: String) throws(ScriptError) -> Int {
        guard let t = peek, t.kind == .word, let n = Int(t.text), n >= 0 else { throw errorHere(expected) }
        index += 1
        return n
    }

    mutating func symbol(_ s: String, _ expected: String) throws(ScriptError) {
        guard let t = peek, t.isSymbol(s) else { throw errorHere(expected) }
        index += 1
    }

    func expectEnd() throws(ScriptError) {
        if let t = peek {
            let end = tokens.last!.end
            throw ScriptError("unexpected '\(t.kind == .string ? "\"" + Formatting.snippet(t.text, 20) + "\"" : t.text)' — nothing more was expected here",
                              source: source, start: t.start, end: end)
        }
    }
}
