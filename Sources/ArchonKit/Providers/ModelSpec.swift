// A named model definition: which provider and model, with which generation parameters.

/// Generation parameters sent with every request of a model (nil means "provider default").
public struct GenerationParameters: Sendable, Hashable, Codable {
    public var temperature: Double?
    public var maxTokens: Int?
    public var topP: Double?
    public var seed: Int?
    /// A llama.cpp GBNF grammar the reply must follow (set by judges whose model has `verdict_grammar=on`).
    public var grammar: String?

    public init(temperature: Double? = nil, maxTokens: Int? = nil, topP: Double? = nil, seed: Int? = nil, grammar: String? = nil) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.seed = seed
        self.grammar = grammar
    }

    /// These parameters with `other`'s non-nil values laid over them.
    public func overridden(by other: GenerationParameters) -> GenerationParameters {
        GenerationParameters(temperature: other.temperature ?? temperature, maxTokens: other.maxTokens ?? maxTokens,
                             topP: other.topP ?? topP, seed: other.seed ?? seed, grammar: other.grammar ?? grammar)
    }
}

/// A model as the user defined it with `model NAME = PROVIDER/MODEL key=value…`.
///
/// For example: `model tiny = local/smollm2 temperature=0 max_tokens=64`.
public struct ModelSpec: Sendable, Hashable, Codable {
    public var name: String
    public var provider: String
    public var model: String
    public var parameters: GenerationParameters
    /// Overrides the preset's endpoint.
    public var baseURL: String?
    /// Overrides the preset's key variable. The key itself is read at call time and never stored.
    public var apiKeyEnv: String?
    /// Most requests of this model in flight at once.
    public var maxConcurrency: Int?
    /// Per-request timeout in seconds.
    public var timeout: Double?
    /// Retries after a failed attempt (429, 5xx, timeout, connection error); nil = the default (3).
    public var retries: Int?
    /// Requests per minute and (estimated) tokens per minute this model may use.
    public var rpm: Int?
    public var tpm: Int?
    /// As a judge, constrain replies to end in the asked-for verdict (llama.cpp grammars; local models).
    public var verdictGrammar: Bool?
    /// The model's context window in tokens (prompt and answer), when known: a search leaves out
    /// configurations whose estimated prompts would not fit.
    public var contextTokens: Int?

    public init(name: String, provider: String, model: String, parameters: GenerationParameters = .init(),
                baseURL: String? = nil, apiKeyEnv: String? = nil, maxConcurrency: Int? = nil, timeout: Double? = nil) {
        self.name = name
        self.provider = provider
        self.model = model
        self.parameters = parameters
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.maxConcurrency = maxConcurrency
        self.timeout = timeout
    }

    /// `provider/model`.
    public var reference: String { "\(provider)/\(model)" }

    public var preset: ProviderPreset? { ProviderPreset.named(provider) }

    /// The environment variable holding this model's key, if it needs one.
    public var keyEnv: String? { apiKeyEnv ?? preset?.keyEnv }

    /// The keys `model` accepts after the reference, with what each takes.
    public static let optionKeys: [(key: String, help: String)] = [
        ("temperature", "sampling temperature, 0 to 2 (0 = deterministic)"),
        ("max_tokens", "most tokens to generate, a whole number ≥ 1"),
        ("top_p", "nucleus sampling mass, above 0 and at most 1"),
        ("seed", "sampling seed, a whole number (sample k > 1 gets a seed derived from it and k)"),
        ("base_url", "endpoint up to /chat/completions, e.g. http://127.0.0.1:8080/v1"),
        ("api_key_env", "name of the environment variable that holds the key"),
        ("max_concurrency", "most requests in flight at once for this model"),
        ("timeout", "per-request timeout in seconds"),
        ("retries", "retries after a 429, 5xx, timeout or connection error (default 3)"),
        ("rpm", "requests per minute at most"),
        ("tpm", "tokens per minute at most (prompt estimate + max_tokens)"),
        ("context", "the context window in tokens (prompt + answer); a search drops configurations that would overflow it"),
        ("verdict_grammar", "on: as a judge, a llama.cpp grammar makes replies end in the verdict (local/, llamacpp/, compatible/)"),
    ]

    /// Sets one `key=value` option, throwing a message (without position) when it is invalid.
    public mutating func set(_ key: String, _ value: String) throws(OptionError) {
        switch key {
        case "temperature":
            guard let v = Double(value), v >= 0, v <= 2 else { throw .badValue(key, value, "a number from 0 to 2") }
            parameters.temperature = v
        case "max_tokens":
            guard let v = Int(value), v >= 1 else { throw .badValue(key, value, "a whole number ≥ 1") }
            parameters.maxTokens = v
        case "top_p":
            guard let v = Double(value), v > 0, v <= 1 else { throw .badValue(key, value, "a number above 0 and at most 1") }
            parameters.topP = v
        case "seed":
            guard let v = Int(value) else { throw .badValue(key, value, "a whole number") }
            parameters.seed = v
        case "base_url":
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw .badValue(key, value, "a URL starting with http:// or https://")
            }
            baseURL = value.hasSuffix("/") ? String(value.dropLast()) : value
        case "api_key_env":
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw .badValue(key, value, "an environment variable name such as MY_API_KEY")
            }
            apiKeyEnv = value
            Secrets.register(variable: value)
        case "max_concurrency":
            guard let v = Int(value), v >= 1 else { throw .badValue(key, value, "a whole number ≥ 1") }
            maxConcurrency = v
        case "timeout":
            guard let v = Double(value), v > 0 else { throw .badValue(key, value, "a number of seconds above 0") }
            timeout = v
        case "retries":
            guard let v = Int(value), v >= 0 else { throw .badValue(key, value, "a whole number ≥ 0") }
            retries = v
        case "rpm", "tpm":
            guard let v = Int(value), v >= 1 else { throw .badValue(key, value, "a whole number ≥ 1") }
            if key == "rpm" { rpm = v } else { tpm = v }
        case "context":
            guard let v = Int(value), v >= 16 else { throw .badValue(key, value, "a whole number of tokens ≥ 16") }
            contextTokens = v
        case "verdict_grammar":
            guard ["on", "off"].contains(value) else { throw .badValue(key, value, "on or off") }
            guard preset?.takesGrammar == true else {
                throw .badValue(key, value, "a llama.cpp server: local/, llamacpp/ or compatible/ models (other APIs take no grammar)")
            }
            verdictGrammar = value == "on" ? true : nil
        default:
            throw .unknownKey(key, Suggestion.closest(to: key, in: Self.optionKeys.map(\.key)))
        }
    }

    /// Why a `key=value` option was refused.
    public enum OptionError: Error, Sendable, CustomStringConvertible {
        case unknownKey(String, String?)
        case badValue(String, String, String)

        public var description: String {
            switch self {
            case let .unknownKey(key, suggestion):
                let known = ModelSpec.optionKeys.map(\.key).joined(separator: ", ")
                return "unknown model option '\(key)'" + (suggestion.map { " — did you mean '\($0)'?" } ?? " — known: \(known)")
            case let .badValue(key, value, expected):
                return "\(key)=\(value) is not valid — \(key) takes \(expected)"
            }
        }
    }

    /// The definition as the user would type it (for `models`, `show` and exports).
    public var definition: String {
        var parts = ["model \(name) = \(reference)"]
        if let t = parameters.temperature { parts.append("temperature=\(Formatting.number(t))") }
        if let m = parameters.maxTokens { parts.append("max_tokens=\(m)") }
        if let p = parameters.topP { parts.append("top_p=\(Formatting.number(p))") }
        if let s = parameters.seed { parts.append("seed=\(s)") }
        if let b = baseURL { parts.append("base_url=\(b)") }
        if let k = apiKeyEnv { parts.append("api_key_env=\(k)") }
        if let c = maxConcurrency { parts.append("max_concurrency=\(c)") }
        if let t = timeout { parts.append("timeout=\(Formatting.number(t))") }
        if let r = retries { parts.append("retries=\(r)") }
        if let r = rpm { parts.append("rpm=\(r)") }
        if let t = tpm { parts.append("tpm=\(t)") }
        if verdictGrammar == true { parts.append("verdict_grammar=on") }
        if let c = contextTokens { parts.append("context=\(c)") }
        return parts.joined(separator: " ")
    }
}
