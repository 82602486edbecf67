// `space` and `search` lines: a design space's axes as written, and a search's slice and options.

/// `space NAME = generators(a, b) samples(1..3) … [max_calls=N]` (or `= paper models(a, b, …)`).
public struct SpaceSyntax: Sendable, Equatable {
    public var name: String
    /// Generator models (`generators(…)` or, for the paper's axes, `models(…)`).
    public var models: [String] = []
    /// Axis values as written, by axis.
    public var axes: [SpaceAxis: [String]] = [:]
    /// The paper's axes over `models`.
    public var paper = false
    public var limits = SpaceLimits()
    /// The text after the name, as written (stored with searches).
    public var source: String = ""
}

/// `search SPACE SLICE optimizer=… budget=N [seed=N] [lambda=X] [cost=calls|tokens|usd] [test=F] [split=N] [judge=M]`
public struct SearchRequest: Sendable, Equatable {
    public var space: String
    public var slice: Slice
    public var settings: SearchSettings
    public var judge: String?

    public static let optionKeys = ["optimizer", "budget", "seed", "lambda", "cost", "test", "split", "judge"]
}

extension Parser {
    /// `space NAME` (describe), `space NAME = AXES…`, `space paper models(…)`.
    static func parseSpace(_ p: inout Cursor) throws(ScriptError) -> Command {
        let example = "space s1 = generators(a, b, c) samples(1..3) fuse_layers(0..2) fusers(1..3) ranker(off|on top_k=3) critic(off|on)"
        let name = try p.name("a space name, e.g. \(example)", defining: true)
        guard let next = p.peek else { return .describeSpace(name: name.text) }
        var syntax = SpaceSyntax(name: name.text)
        if next.isSymbol("=") {
            p.index += 1
        } else if !(name.text == "paper" && next.kind == .word && next.text == "models") {
            throw ScriptError("expected '=' after the space name — e.g. \(example)", source: p.source, token: next)
        }
        let start = p.peek?.start ?? p.source.count
        syntax.source = String(p.source.dropFirst(start)).trimmingCharacters(in: .whitespaces)
        if let t = p.peek, t.kind == .word, t.text == "paper" {
            p.index += 1
            syntax.paper = true
        } else if name.text == "paper" {
            syntax.paper = true
        }
        var given: Set<String> = []
        while let t = p.peek {
            guard t.kind == .word else { throw ScriptError("expected an axis such as samples(1..3) or a limit such as max_calls=20", source: p.source, token: t) }
            p.index += 1
            guard given.insert(t.text).inserted else { throw ScriptError("'\(t.text)' is given twice — keep one", source: p.source, token: t) }
            if p.peek?.isSymbol("=") == true {
                p.index += 1
                guard let v = p.peek, v.kind == .word else { throw p.errorHere("a number after \(t.text)=") }
                p.index += 1
                switch t.text {
                case "max_calls", "max_tokens":
                    guard let n = Int(v.text), n >= 1 else { throw ScriptError("\(t.text)=\(v.text) is not valid — it takes a whole number ≥ 1", source: p.source, token: v) }
                    if t.text == "max_calls" { syntax.limits.maxCalls = n } else { syntax.limits.maxTokens = n }
                case "max_usd":
                    guard let x = Double(v.text), x > 0 else { throw ScriptError("max_usd=\(v.text) is not valid — it takes dollars above 0, e.g. max_usd=0.05", source: p.source, token: v) }
                    syntax.limits.maxUSD = x
                default:
                    throw ScriptError("unknown space limit '\(t.text)'" + Suggestion.hint(for: t.text, in: ["max_calls", "max_tokens", "max_usd"]), source: p.source, token: t)
                }
                continue
            }
            try p.symbol("(", "'(' after \(t.text), e.g. \(t.text)(…)")
            // The values: words separated by ',' or '|' ("on top_k=3" is one value).
            var values: [String] = []
            var current: [String] = []
            while let v = p.peek, !v.isSymbol(")") {
                p.index += 1
                if v.isSymbol(",") || v.isSymbol("|") {
                    if !current.isEmpty { values.append(current.joined(separator: " ")) }
                    current = []
                } else if v.isSymbol("=") {
                    current[current.count - 1] += "="
                } else if let last = current.last, last.hasSuffix("=") {
                    current[current.count - 1] = last + v.text
                } else {
                    current.append(v.text)
                }
            }
            if !current.isEmpty { values.append(current.joined(separator: " ")) }
            try p.symbol(")", "')' to close \(t.text)(…")
            guard !values.isEmpty else { throw ScriptError("\(t.text)() is empty — give its values, e.g. \(t.text)(1..3)", source: p.source, token: t) }
            if t.text == "generators" || t.text == "models" {
                if t.text == "models", !syntax.paper { throw ScriptError("models(…) belongs to the paper's space — write generators(…) here, or space paper models(…)", source: p.source, token: t) }
                syntax.models = values
            } else if let axis = SpaceAxis(rawValue: t.text), axis != .generators {
                syntax.axes[axis] = values
            } else {
                throw ScriptError("unknown axis '\(t.text)'" + Suggestion.hint(for: t.text, in: SpaceAxis.allCases.map(\.rawValue) + ["max_calls", "max_tokens", "max_usd"]),
                                  source: p.source, token: t)
            }
        }
        guard !syntax.models.isEmpty else {
            throw ScriptError(syntax.paper ? "the paper's space needs its models — e.g. space paper models(a, b, c)" : "a space needs generators(…) — the models that generate, e.g. \(example)",
                              source: p.source, token: name)
        }
        if syntax.paper, !syntax.axes.isEmpty {
            throw ScriptError("the paper's space sets its own axes — give models(…) and limits only, or define your own space", source: p.source, token: name)
        }
        return .space(syntax)
    }

    /// `search SPACE SLICE optimizer=random|greedy|bo|halving budget=N [seed=N] [lambda=X] [cost=…] [test=F] [judge=M]`
    static func parseSearch(_ p: inout Cursor) throws(ScriptError) -> Command {
        let space = try p.name("a space after 'search', e.g. search s1 math500[0:40] optimizer=bo budget=12")
        let slice = try parseSlice(&p)
        var settings = SearchSettings(optimizer: .random, budget: 0)
        var judge: String?
        var seen: Set<String> = []
        while let key = p.peek {
            guard key.kind == .word, SearchRequest.optionKeys.contains(key.text) else {
                throw ScriptError("unknown search option '\(key.text)'" + Suggestion.hint(for: key.text, in: SearchRequest.optionKeys), source: p.source, token: key)
            }
            p.index += 1
            guard seen.insert(key.text).inserted else { throw ScriptError("'\(key.text)' is given twice — keep one", source: p.source, token: key) }
            try p.symbol("=", "'=' after \(key.text)")
            guard let v = p.peek, v.kind == .word else { throw p.errorHere("a value after \(key.text)=") }
            p.index += 1
            func bad(_ takes: String) -> ScriptError { ScriptError("\(key.text)=\(v.text) is not valid — \(key.text) takes \(takes)", source: p.source, token: v) }
            switch key.text {
            case "optimizer":
                guard let o = SearchOptimizer(rawValue: v.text) else { throw bad(SearchOptimizer.allCases.map(\.rawValue).joined(separator: ", ")) }
                settings.optimizer = o
            case "budget":
                guard let n = Int(v.text), n >= 1 else { throw bad("a whole number of trials ≥ 1") }
                settings.budget = n
            case "seed":
                guard let n = Int(v.text), n >= 0 else { throw bad("a whole number ≥ 0") }
                settings.seed = n
            case "lambda":
                guard let x = Double(v.text), x >= 0 else { throw bad("a number ≥ 0 (score points are 0–1: lambda=0.01 with cost=calls charges a point per call)") }
                settings.lambda = x
            case "cost":
                guard let c = SearchCost(rawValue: v.text) else { throw bad("calls, tokens or usd") }
                settings.cost = c
            case "split":
                guard let n = Int(v.text), n >= 0 else { throw bad("a whole number ≥ 0 (the split's seed; default: seed=)") }
                settings.splitSeed = n
            case "test":
                guard let x = Double(v.text), x > 0, x < 1 else { throw bad("the share of the slice held out for test, above 0 and below 1 (default 0.5)") }
                settings.testFraction = x
            default: judge = v.text
            }
        }
        guard seen.contains("optimizer") else { throw p.errorHere("optimizer=random, greedy, bo or halving — e.g. search \(space.text) \(slice) optimizer=bo budget=12") }
        guard seen.contains("budget") else { throw p.errorHere("budget=N, the trials to evaluate — e.g. search \(space.text) \(slice) optimizer=\(settings.optimizer.rawValue) budget=12") }
        return .search(SearchRequest(space: space.text, slice: slice, settings: settings, judge: judge))
    }
}
