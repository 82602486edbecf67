// Import and export of the Archon reference implementation's JSON architecture format.

import Foundation

/// The reference JSON format: `{"name": …, "layers": [[{"type": "generator", "model": …, …}, …], …]}`,
/// plus its legacy layer form `{"branches": N, "models": [...]}`.
public enum ArchonConfig {
    /// An imported architecture and what the importer noticed along the way.
    public struct Imported: Sendable {
        public var architecture: Architecture
        public var warnings: [String]
    }

    /// A file that cannot be imported, with the file and the problem named.
    public struct ImportError: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    /// Provider for each reference `model_type` (and this project's `local` and `OpenAI_Compatible`).
    public static let modelTypes: [String: String] = [
        "OpenAI_API": "openai", "Together_API": "together", "Anthropic_API": "anthropic", "Groq_API": "groq",
        "Google_API": "gemini", "Gemini_API": "gemini", "vLLM": "vllm", "Bedrock_API": "bedrock",
        "DeepSeek_API": "deepseek", "OpenRouter_API": "openrouter", "Fireworks_API": "fireworks",
        "Ollama": "ollama", "llama.cpp": "llamacpp", "local": "local", "OpenAI_Compatible": "compatible",
    ]

    static func modelType(for provider: String) -> String {
        let preferred = ["openai": "OpenAI_API", "gemini": "Google_API"]
        return preferred[provider] ?? modelTypes.first { $0.value == provider }?.key ?? provider
    }

    static let knownKeys: Set<String> = ["type", "model", "model_type", "temperature", "max_tokens", "samples", "top_k",
                                         "first_k", "use_critiques", "length_control", "unit_test_cap",
                                         "remove_unit_tests_from_prompt", "base_url", "first_pass"]
    /// Keys found in the reference configs that its code never read.
    static let ignoredByReference: Set<String> = ["checkpoint", "ranker_batch_size", "batch_num",
                                                  "top_k_generations", "fuse_generations_count", "ranker_config", "no_system"]

    /// Reads a file; `name` overrides the architecture's own name. `routes` sends a model (by its name
    /// in the file, e.g. `llm-blender/PairRM`) or a whole provider (by `model_type`, e.g. `Together_API`)
    /// to a model of the session instead; the file's temperature and max_tokens still apply.
    public static func load(path: String, name: String? = nil, rules: RuleSet = .strict,
                            routes: [String: ModelSpec] = [:]) throws(ImportError) -> Imported {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: path, problem: "cannot read the file — check the path")
        }
        return try parse(data, file: path, name: name, rules: rules, routes: routes)
    }

    public static func parse(_ data: Data, file: String, name: String? = nil, rules: RuleSet = .strict,
                             routes: [String: ModelSpec] = [:]) throws(ImportError) -> Imported {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error.localizedDescription)"
            throw ImportError(file: file, problem: "not valid JSON (\(reason)) — fix the file or re-export it")
        }
        guard let object = root as? [String: Any] else { throw ImportError(file: file, problem: "the top level is not a JSON object") }
        guard let layersJSON = object["layers"] as? [Any], !layersJSON.isEmpty else {
            throw ImportError(file: file, problem: "no \"layers\" list")
        }
        var warnings: [String] = []
        for key in object.keys.sorted() where key != "name" && key != "layers" { warnings.append("top-level key '\(key)' is not part of the format; kept for export, not used") }
        let archName = name ?? (object["name"] as? String) ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var layers: [Layer] = []
        for (i, raw) in layersJSON.enumerated() {
            let n = i + 1
            var items: [[String: Any]]
            if let list = raw as? [Any] {
                items = try list.enumerated().map { j, c throws(ImportError) in
                    guard let d = c as? [String: Any] else { throw ImportError(file: file, problem: "layer \(n), component \(j + 1) is not an object") }
                    return d
                }
            } else if let d = raw as? [String: Any], let models = d["models"] as? [[String: Any]] {
                items = models
                warnings.append("layer \(n) uses the legacy form {branches, models}; read its models as the layer" +
                                (d["branches"].map { " ('branches': \($0) is ignored, as in the reference)" } ?? ""))
            } else if let d = raw as? [String: Any], d["type"] != nil {
                items = [d]
                warnings.append("layer \(n) is a single component instead of a list; read as a one-component layer")
            } else {
                throw ImportError(file: file, problem: "layer \(n) is neither a list of components nor {branches, models}")
            }
            var components: [Component] = []
            for (j, item) in items.enumerated() {
                components.append(try component(item, where: "layer \(n), component \(j + 1)", file: file, routes: routes, warnings: &warnings))
            }
            layers.append(Layer(components))
        }
        var arch = Architecture(name: archName, layers: layers)
        arch.topLevel = object.filter { $0.key != "layers" && $0.key != "name" }.mapValues(JSONValue.init(any:))
        arch.rules = rules
        let unused = Set(routes.keys).subtracting(layersJSON.flatMap { raw -> [String] in
            let comps = (raw as? [[String: Any]]) ?? ((raw as? [String: Any])?["models"] as? [[String: Any]]) ?? [raw as? [String: Any] ?? [:]]
            return comps.flatMap { [$0["model"] as? String, $0["model_type"] as? String].compactMap { $0 } }
        })
        for key in unused.sorted() { warnings.append("route \(key)=\(routes[key]!.name): no component has that model or model_type") }
        let violations = ConstructionRules.violations(arch)
        if !violations.isEmpty {
            throw ImportError(file: file, problem: "breaks the construction rules: " + violations.joined(separator: "; ")
                              + (rules == .strict ? " (load it with rules=reference to run it as the reference does)" : ""))
        }
        return Imported(architecture: arch, warnings: warnings)
    }

    static func component(_ d: [String: Any], where place: String, file: String, routes: [String: ModelSpec] = [:],
                          warnings: inout [String]) throws(ImportError) -> Component {
        guard let typeName = d["type"] as? String else { throw ImportError(file: file, problem: "\(place) has no \"type\"") }
        guard let kind = TechniqueKind(rawValue: typeName) else {
            throw ImportError(file: file, problem: "\(place): unknown type '\(typeName)'" +
                              Suggestion.hint(for: typeName, in: TechniqueKind.allCases.map(\.jsonName)))
        }
        for key in d.keys.sorted() where !knownKeys.contains(key) {
            if ignoredByReference.contains(key) {
                warnings.append("\(place): '\(key)' was ignored by the reference implementation; not used here either (kept for export)")
            } else {
                warnings.append("\(place): unknown key '\(key)'" + (Suggestion.closest(to: key, in: knownKeys).map { " — did you mean '\($0)'? (not used; kept for export)" } ?? " (not used; kept for export)"))
            }
        }
        var model: ModelSpec?
        if kind.needsModel {
            guard let id = d["model"] as? String, !id.isEmpty else { throw ImportError(file: file, problem: "\(place) has no \"model\"") }
            let type = d["model_type"] as? String ?? "Together_API"
            if let routed = routes[id] ?? routes[type] {
                var spec = routed
                var c = Component(kind: kind, model: nil)
                if let t = number(d["temperature"]) { spec.parameters.temperature = t; c.overrides["temperature"] = Formatting.number(t) }
                // The file's max_tokens, capped by the routed model's own (a small local model would
                // otherwise be asked for the 2,048 tokens a cloud model was given).
                if let m = number(d["max_tokens"]) {
                    let cap = min(Int(m), routed.parameters.maxTokens ?? Int(m))
                    spec.parameters.maxTokens = cap
                    c.overrides["max_tokens"] = String(cap)
                }
                c.model = spec
                c.route = routes[id] != nil ? id : type
                if type.isEmpty || kind == .ranker && id.lowercased().contains("pairrm") {
                    warnings.append("\(place): '\(id)' is a reward model; routed to \(routed.name), it ranks with the LLM ranker's prompt")
                }
                return try settings(of: c, d, place: place, file: file, warnings: &warnings)
            }
            if type.isEmpty {
                throw ImportError(file: file, problem: "\(place): empty model_type for '\(id)' (a reward model such as PairRM) — route it to a model of yours: load archon \"…\" as NAME route \(id)=MODEL")
            }
            if d["model_type"] == nil { warnings.append("\(place): no model_type; assumed Together_API") }
            guard let provider = modelTypes[type] else {
                throw ImportError(file: file, problem: "\(place): unknown model_type '\(type)'" +
                                  (Suggestion.closest(to: type, in: modelTypes.keys).map { " — did you mean '\($0)'?" }
                                      ?? " — known: \(modelTypes.keys.sorted().joined(separator: ", "))"))
            }
            var spec = ModelSpec(name: id, provider: provider, model: id)
            if let b = d["base_url"] as? String { spec.baseURL = b.hasSuffix("/") ? String(b.dropLast()) : b }
            if provider == "compatible", spec.baseURL == nil {
                throw ImportError(file: file, problem: "\(place): model_type OpenAI_Compatible needs \"base_url\"")
            }
            if let t = number(d["temperature"]) {
                guard t >= 0, t <= 2 else { throw ImportError(file: file, problem: "\(place): temperature \(t) is outside 0…2") }
                spec.parameters.temperature = t
            }
            if let m = number(d["max_tokens"]) {
                guard m >= 1 else { throw ImportError(file: file, problem: "\(place): max_tokens must be ≥ 1") }
                spec.parameters.maxTokens = Int(m)
            }
            model = spec
        }
        return try settings(of: Component(kind: kind, model: model), d, place: place, file: file, warnings: &warnings)
    }

    /// The technique settings of a component's JSON, and the JSON kept as its source.
    static func settings(of component: Component, _ d: [String: Any], place: String, file: String,
                         warnings: inout [String]) throws(ImportError) -> Component {
        var c = component
        let kind = c.kind
        func int(_ key: String) throws(ImportError) -> Int? {
            guard let v = d[key] else { return nil }
            guard let n = number(v), n >= 1, n == n.rounded() else {
                throw ImportError(file: file, problem: "\(place): \(key) must be a whole number ≥ 1, not \(v)")
            }
            return Int(n)
        }
        c.samples = try int("samples") ?? 1
        if c.samples > Limits.maxSamples {
            throw ImportError(file: file, problem: "\(place): samples \(c.samples) is above the cap of \(Limits.maxSamples) — raise it with ARCHON_MAX_SAMPLES")
        }
        c.topK = try int("top_k")
        c.firstK = try int("first_k")
        // The reference's older spelling: `first_pass: true` without first_k means first_k = 1.
        if c.firstK == nil, bool(d["first_pass"]) == true { c.firstK = 1 }
        c.unitTestCap = try int("unit_test_cap")
        for key in ["use_critiques", "length_control", "remove_unit_tests_from_prompt"] where d[key] != nil && bool(d[key]) == nil {
            throw ImportError(file: file, problem: "\(place): \(key) must be true or false, not \(d[key]!)")
        }
        if let b = bool(d["use_critiques"]) { c.useCritiques = b }
        if let b = bool(d["length_control"]) { c.lengthControl = b }
        if let b = bool(d["remove_unit_tests_from_prompt"]) { c.removeUnitTests = b }
        if kind == .generator, d["top_k"] != nil {
            warnings.append("\(place): top_k on a generator has no effect (it was ignored by the reference too)")
            c.topK = nil
        }
        c.source = d.mapValues(JSONValue.init(any:))
        return c
    }

    /// A JSON number (not a boolean, which Foundation also hands over as NSNumber).
    static func number(_ v: Any?) -> Double? {
        guard let n = v as? NSNumber, !isBool(n) else { return nil }
        return n.doubleValue
    }

    static func isBool(_ n: NSNumber) -> Bool {
        let type = String(cString: n.objCType)
        return type == "c" || type == "B"
    }

    static func bool(_ v: Any?) -> Bool? {
        guard let n = v as? NSNumber, isBool(n) else { return nil }
        return n.boolValue
    }

    /// The architecture in the reference format (pretty-printed, keys sorted).
    ///
    /// An imported component is written back as it was read — every key, known or not, with its value
    /// — with only what differs from it now laid over it; nothing is added that would change what the
    /// reference does with the file. A component written in the language gets the keys the reference
    /// reads (`samples` for every technique that reads it, without a default).
    public static func export(_ a: Architecture) -> Data {
        let layers: [[[String: Any]]] = a.layers.map { layer in
            layer.components.map { c in
                var d: [String: Any] = c.source?.mapValues(\.any) ?? [:]
                let imported = c.source != nil
                /// Sets `key` when the file had it, or when the value is not what an absent key means.
                func put(_ key: String, _ value: Any?, absent: Any? = nil) {
                    guard let value else { return }
                    if let had = d[key] {
                        if !same(had, value) { d[key] = value }
                    } else if !imported || !same(value, absent) {
                        d[key] = value
                    }
                }
                d["type"] = c.kind.jsonName
                if let m = c.model, c.route == nil {
                    if !imported || (d["model"] as? String) != m.model { d["model"] = m.model }
                    let type = modelType(for: m.provider)
                    if let had = d["model_type"] as? String, modelTypes[had] == m.provider {} else { d["model_type"] = type }
                    put("temperature", m.parameters.temperature)
                    put("max_tokens", m.parameters.maxTokens)
                    put("base_url", m.baseURL)
                }
                // A routed component's model is the session's, capped to it: the file keeps its own.
                // The reference reads `samples` with no default for these; 1 is what an absent key means elsewhere.
                let needsSamples: Set<TechniqueKind> = [.critic, .verifier, .unitTestGenerator, .unitTestEvaluator]
                if needsSamples.contains(c.kind) {
                    if let had = d["samples"], same(had, c.samples) {} else { d["samples"] = c.samples }
                }
                else if c.kind == .generator || c.kind == .fuser { put("samples", c.samples, absent: 1) }
                put("top_k", c.topK)
                if c.kind == .verifier || c.kind == .unitTestEvaluator {
                    // `first_pass: true` is the reference's spelling of first_k = 1: kept as written.
                    if bool(d["first_pass"]) == true, c.firstK == 1, d["first_k"] == nil {} else { put("first_k", c.firstK) }
                }
                if c.kind == .ranker || c.kind == .fuser { put("use_critiques", c.useCritiques, absent: true) }
                if c.kind == .fuser { put("length_control", c.lengthControl, absent: false) }
                if c.kind == .unitTestGenerator { put("unit_test_cap", c.unitTestCap) }
                if c.kind == .unitTestEvaluator { put("remove_unit_tests_from_prompt", c.removeUnitTests, absent: false) }
                if c.kind == .critic { put("per_candidate", c.perCandidate, absent: false) }
                return d
            }
        }
        var object: [String: Any] = a.topLevel?.mapValues(\.any) ?? [:]
        object["name"] = a.name
        object["layers"] = layers
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// Whether two JSON values are the same (numbers by value: 0 and 0.0 are one; a missing default
    /// is never the same).
    public static func same(_ a: Any, _ b: Any?) -> Bool {
        guard let b else { return false }
        switch (JSONValue(any: a), JSONValue(any: b)) {
        case let (.int(x), .double(y)), let (.double(y), .int(x)): return Double(x) == y
        case let (x, y): return x == y
        }
    }
}
