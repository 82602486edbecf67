// The `arch` line: layers separated by `|`, instances in a layer joined by `+`.

/// One technique instance as written: `rank(judge, top_k=3)`, before names are resolved.
public struct ComponentSyntax: Sendable, Equatable {
    public var kind: TechniqueKind
    public var kindToken: Token
    /// The model name (a workspace model), if given.
    public var model: Token?
    public var options: [(key: Token, value: Token)]

    public static func == (a: ComponentSyntax, b: ComponentSyntax) -> Bool {
        a.kind == b.kind && a.kindToken == b.kindToken && a.model == b.model
            && a.options.map(\.key) == b.options.map(\.key) && a.options.map(\.value) == b.options.map(\.value)
    }
}

/// An `arch NAME = …` definition as written, with the source kept for error carets.
public struct ArchitectureSyntax: Sendable, Equatable {
    public var name: String
    public var layers: [[ComponentSyntax]]
    public var source: String
}

extension Parser {
    /// `arch NAME = tech(model, k=v) + tech(…) | tech(…) …`
    static func parseArchitecture(_ p: inout Cursor) throws(ScriptError) -> Command {
        let name = try p.name("a name for the architecture, e.g. arch moa = gen(tiny, samples=3) | fuse(tiny)", defining: true)
        try p.symbol("=", "'=' after the architecture name")
        var layers = [try parseLayer(&p)]
        while let s = p.peek, s.isSymbol("|") {
            p.index += 1
            layers.append(try parseLayer(&p))
        }
        return .architecture(ArchitectureSyntax(name: name.text, layers: layers, source: p.source))
    }

    /// One technique instance: `tech(MODEL, key=value, …)`.
    static func parseComponent(_ p: inout Cursor) throws(ScriptError) -> ComponentSyntax {
        guard let t = p.peek, t.kind == .word else {
            throw p.errorHere("a technique such as gen(MODEL), fuse(MODEL), rank(MODEL, top_k=3) — `explain techniques` lists them")
        }
        guard let kind = TechniqueKind.named(t.text) else {
            throw ScriptError("unknown technique '\(t.text)'" + (Suggestion.closest(to: t.text, in: TechniqueKind.allNames)
                .map { " — did you mean '\($0)'?" } ?? " — `explain techniques` lists them"), source: p.source, token: t)
        }
        p.index += 1
        try p.symbol("(", "'(' after \(t.text), e.g. \(kind.shortName)(tiny)")
        var comp = ComponentSyntax(kind: kind, kindToken: t, model: nil, options: [])
        var first = true
        while let next = p.peek, !next.isSymbol(")") {
            if !first { try p.symbol(",", "',' between arguments") }
            guard let arg = p.peek, arg.kind == .word else { throw p.errorHere("a model name or key=value") }
            p.index += 1
            if let eq = p.peek, eq.isSymbol("=") {
                p.index += 1
                guard let value = p.peek, value.kind != .symbol else { throw p.errorHere("a value after '\(arg.text)='") }
                p.index += 1
                comp.options.append((arg, value))
            } else {
                guard first else {
                    throw ScriptError("the model goes first, e.g. \(kind.shortName)(tiny, samples=3)", source: p.source, token: arg)
                }
                comp.model = arg
            }
            first = false
        }
        try p.symbol(")", "')' to close \(t.text)(…)")
        return comp
    }

    /// Instances of one layer joined by `+`: `fuse(t)`, `gen(a) + gen(b)`.
    static func parseLayer(_ p: inout Cursor) throws(ScriptError) -> [ComponentSyntax] {
        var layer = [try parseComponent(&p)]
        while let s = p.peek, s.isSymbol("+") {
            p.index += 1
            layer.append(try parseComponent(&p))
        }
        return layer
    }
}
