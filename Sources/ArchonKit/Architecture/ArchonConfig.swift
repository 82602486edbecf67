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

    /// Reads a file; `name` overrides the architecture's own name.
    public static func load(path: String, name: String? = nil) throws(ImportError) -> Imported {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: path, problem: "cannot read the file — check the path")
        }
        return try parse(data, file: path, name: name)
    }

    public static func parse(_ data: Data, file: String, name: String? = nil) throws(ImportError) -> Imported {
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
        for key in object.keys where key != "name" && key != "layers" { warnings.append("top-level key '\(key)' is not part of the format; ignored") }
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
                components.append(try component(item, where: "layer \(n), component \(j + 1)", file: file, warnings: &warnings))
            }
            layers.append(Layer(components))
        }
        let arch = Architecture(name: archName, layers: layers)
        let violations = ConstructionRules.violations(arch)
        if !violations.isEmpty {
            throw ImportError(file: file, problem: "breaks the construction rules: " + violations.joined(separator: "; "))
        }
        return Imported(architecture: arch, warnings: warnings)
    }

    static func component(_ d: [String: Any], where place: String, file: String,
                          warnings: inout [String]) throws(ImportError) -> Component {
        guard let typeName = d["type"] as? String else { throw ImportError(file: file, problem: "\(place) has no \"type\"") }
        guard let kind = TechniqueKind(rawValue: typeName) else {
            throw ImportError(file: file, problem: "\(place): unknown type '\(typeName)'" +
                              Suggestion.hint(for: typeName, in: TechniqueKind.allCases.map(\.jsonName)))
        }
        for key in d.keys.sorted() where !knownKeys.contains(key) {
            if ignoredByReference.contains(key) {
                warnings.append("\(place): '\(key)' was ignored by the reference implementation; ignored here too")
            } else {
                warnings.append("\(place): unknown key '\(key)'" + (Suggestion.closest(to: key, in: knownKeys).map { " — did you mean '\($0)'? (ignored)" } ?? " (ignored)"))
            }
        }
        var model: ModelSpec?
        if kind.needsModel {
            guard let id = d["model"] as? String, !id.isEmpty else { throw ImportError(file: file, problem: "\(place) has no \"model\"") }
            let type = d["model_type"] as? String ?? "Together_API"
            if type.isEmpty {
                throw ImportError(file: file, problem: "\(place): empty model_type for '\(id)' — set one of \(modelTypes.keys.sorted().joined(separator: ", ")) (reward models such as PairRM are not supported)")
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
        var c = Component(kind: kind, model: model)
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
        c.unitTestCap = try int("unit_test_cap") ?? 5
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
    public static func export(_ a: Architecture) -> Data {
        let layers: [[[String: Any]]] = a.layers.map { layer in
            layer.components.map { c in
                var d: [String: Any] = ["type": c.kind.jsonName]
                if let m = c.model {
                    d["model"] = m.model
                    d["model_type"] = modelType(for: m.provider)
                    if let t = m.parameters.temperature { d["temperature"] = t }
                    if let t = m.parameters.maxTokens { d["max_tokens"] = t }
                    if let b = m.baseURL { d["base_url"] = b }
                }
                if c.kind == .generator || c.kind == .fuser { d["samples"] = c.samples }
                if let k = c.topK { d["top_k"] = k }
                if let k = c.firstK { d["first_k"] = k }
                if c.kind == .ranker || c.kind == .fuser { d["use_critiques"] = c.useCritiques }
                if c.kind == .fuser { d["length_control"] = c.lengthControl }
                if c.kind == .unitTestGenerator { d["unit_test_cap"] = c.unitTestCap }
                if c.kind == .unitTestEvaluator { d["remove_unit_tests_from_prompt"] = c.removeUnitTests }
                return d
            }
        }
        let object: [String: Any] = ["name": a.name, "layers": layers]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}
