// One technique instance in a layer: its kind, model and settings.

/// A technique instance: `gen(tiny, samples=5)`, `rank(judge, top_k=3)`, …
public struct Component: Sendable, Equatable {
    public var kind: TechniqueKind
    /// The model it calls (nil only for majority vote). Its parameters already include the
    /// component's own `temperature`/`max_tokens`.
    public var model: ModelSpec?
    /// Generators and fusers: outputs to produce.
    public var samples: Int = 1
    /// Model options set on this instance (`gen(s, temperature=0.5)`), as written, for printing it back.
    public var overrides: [String: String] = [:]
    /// Ranker, unit-test evaluator: candidates to keep.
    public var topK: Int?
    /// Verifier, unit-test evaluator: stop after this many pass.
    public var firstK: Int?
    /// Ranker, fuser: read the critiques when present.
    public var useCritiques: Bool = true
    /// Fuser: no output longer than the longest candidate.
    public var lengthControl: Bool = false
    /// Unit-test generator: most tests to write (nil: as many as the model writes, as the reference).
    public var unitTestCap: Int?
    /// Critic: one call per candidate instead of the reference's one call that critiques them all.
    public var perCandidate: Bool = false
    /// The reference JSON object this component was imported from, every key as written: export
    /// writes it back, with only the settings changed since laid over it.
    public var source: [String: JSONValue]?
    /// The `route` key (a model name or model_type of the file) that sent this component to a model of
    /// the session; export keeps the file's own model.
    public var route: String?
    /// Whose prompts it sends: this project's, or the reference implementation's (`prompts=reference`).
    public var prompts: PromptStyle = .archon
    /// Unit-test evaluator: drop the unit tests from the state after judging.
    public var removeUnitTests: Bool = false

    public init(kind: TechniqueKind, model: ModelSpec?) {
        self.kind = kind
        self.model = model
    }

    /// The keys `arch` accepts inside a component's parentheses.
    public static let optionKeys: [(key: String, help: String)] = [
        ("samples", "outputs to produce (generator, fuser), ≥ 1"),
        ("temperature", "overrides the model's temperature"),
        ("max_tokens", "overrides the model's max_tokens"),
        ("top_k", "candidates to keep (ranker, unit-test evaluator, best-of-n)"),
        ("first_k", "stop after this many pass (verifier, unit-test evaluator)"),
        ("use_critiques", "true/false: read critiques when present (ranker, fuser)"),
        ("length_control", "true/false: fused answer no longer than the longest candidate"),
        ("unit_test_cap", "most unit tests to write (default: as many as the model writes)"),
        ("prompts", "archon or reference: whose prompt text and output conventions the technique uses"),
        ("per_candidate", "true/false: the critic makes one call per candidate (default: one call for all)"),
        ("remove_unit_tests", "true/false: drop the tests from later prompts"),
    ]

    /// Sets one option, with a message naming the key and what it takes.
    public mutating func set(_ key: String, _ value: String) throws(ComponentError) {
        func int(_ min: Int) throws(ComponentError) -> Int {
            guard let v = Int(value), v >= min else { throw .badValue(key, value, "a whole number ≥ \(min)") }
            return v
        }
        func bool() throws(ComponentError) -> Bool {
            switch value.lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw .badValue(key, value, "true or false")
            }
        }
        switch key {
        case "samples":
            guard let v = Int(value), v >= 1, v <= Limits.maxSamples else { throw .badValue(key, value, Limits.samplesHint) }
            samples = v
        case "top_k": topK = try int(1)
        case "first_k": firstK = try int(1)
        case "use_critiques": useCritiques = try bool()
        case "length_control": lengthControl = try bool()
        case "unit_test_cap": unitTestCap = try int(1)
        case "prompts":
            guard let style = PromptStyle(rawValue: value) else { throw .badValue(key, value, "archon or reference") }
            if style == .reference, kind == .majorityVote || kind == .bestOfN {
                throw .badValue(key, value, "a technique of the reference (its catalogue has no \(kind.shortName))")
            }
            prompts = style
        case "per_candidate":
            guard kind == .critic else { throw .badValue(key, value, "a critic (per_candidate applies to crit(…) only)") }
            perCandidate = try bool()
        case "remove_unit_tests", "remove_unit_tests_from_prompt": removeUnitTests = try bool()
        case "temperature", "max_tokens":
            guard model != nil else { throw .badValue(key, value, "a model to apply to") }
            do { try model!.set(key, value) } catch { throw .badValue(key, value, key == "temperature" ? "a number from 0 to 2" : "a whole number ≥ 1") }
            overrides[key] = value
        default:
            throw .unknownKey(key, Suggestion.closest(to: key, in: Self.optionKeys.map(\.key)))
        }
    }

    public enum ComponentError: Error, Sendable, CustomStringConvertible {
        case unknownKey(String, String?)
        case badValue(String, String, String)
        public var description: String {
            switch self {
            case let .unknownKey(k, s):
                "unknown technique option '\(k)'" + (s.map { " — did you mean '\($0)'?" }
                    ?? " — known: \(Component.optionKeys.map(\.key).joined(separator: ", "))")
            case let .badValue(k, v, e): "\(k)=\(v) is not valid — \(k) takes \(e)"
            }
        }
    }

    /// The component as written in an `arch` line.
    public func notation(modelName: String? = nil) -> String {
        var args: [String] = []
        if let m = model { args.append(modelName ?? m.name) }
        if samples != 1 { args.append("samples=\(samples)") }
        if let k = topK { args.append("top_k=\(k)") }
        if let k = firstK { args.append("first_k=\(k)") }
        if !useCritiques { args.append("use_critiques=false") }
        if lengthControl { args.append("length_control=true") }
        if kind == .unitTestGenerator, let cap = unitTestCap { args.append("unit_test_cap=\(cap)") }
        if perCandidate { args.append("per_candidate=true") }
        if prompts == .reference { args.append("prompts=reference") }
        if removeUnitTests { args.append("remove_unit_tests=true") }
        for key in ["temperature", "max_tokens"] { if let v = overrides[key] { args.append("\(key)=\(v)") } }
        return "\(kind.shortName)(\(args.joined(separator: ", ")))"
    }

    /// Equality that ignores the display name of the model (import/export round trips).
    public func sameTechnique(as other: Component) -> Bool {
        var a = self, b = other
        a.model?.name = ""
        b.model?.name = ""
        (a.overrides, b.overrides) = ([:], [:])
        (a.source, b.source, a.route, b.route) = (nil, nil, nil, nil)
        return a == b
    }
}
