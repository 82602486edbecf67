// The providers a model reference can name, with their endpoints and key variables.

/// What `PROVIDER/` in `model x = PROVIDER/MODEL` means: wire format, default endpoint, key variable.
public struct ProviderPreset: Sendable, Equatable {
    public enum Wire: String, Sendable {
        case openAI = "openai-chat"
        case anthropic = "anthropic-messages"
        case gemini = "gemini-generate-content"
        /// AWS Bedrock (one reference config uses it): imported and exported, not callable.
        case bedrock
    }

    public var name: String
    public var wire: Wire
    /// Default base URL (ending before `/chat/completions`); nil for `local` (started on demand)
    /// and for `compatible` (the user must give `base_url=`).
    public var baseURL: String?
    /// Environment variable that may override the base URL.
    public var baseURLEnv: String?
    /// Environment variable holding the API key; nil where the endpoint needs none.
    public var keyEnv: String?
    public var summary: String
    /// A llama.cpp server: takes a GBNF `grammar` with a request (what `verdict_grammar=on` sends).
    public var takesGrammar = false
    /// Ask the server to evaluate every prompt whole (`cache_prompt: false`): the embedded server would
    /// otherwise reuse the KV cache of whatever its slot held for a shared prefix, and a prompt evaluated
    /// in two pieces gives slightly different numbers than in one, so temperature 0 would depend on the
    /// order requests arrived in.
    public var evaluatesPromptWhole = false

    public static let all: [ProviderPreset] = [
        .init(name: "local", wire: .openAI, baseURL: nil, baseURLEnv: nil, keyEnv: nil,
              summary: "the embedded SmolLM2-135M model, served by llama.cpp on 127.0.0.1 (started on first use)",
              takesGrammar: true, evaluatesPromptWhole: true),
        .init(name: "openai", wire: .openAI, baseURL: "https://api.openai.com/v1", baseURLEnv: "OPENAI_BASE_URL",
              keyEnv: "OPENAI_API_KEY", summary: "OpenAI chat completions"),
        .init(name: "together", wire: .openAI, baseURL: "https://api.together.xyz/v1", baseURLEnv: "TOGETHER_BASE_URL",
              keyEnv: "TOGETHER_API_KEY", summary: "Together AI (OpenAI-compatible)"),
        .init(name: "groq", wire: .openAI, baseURL: "https://api.groq.com/openai/v1", baseURLEnv: "GROQ_BASE_URL",
              keyEnv: "GROQ_API_KEY", summary: "Groq (OpenAI-compatible)"),
        .init(name: "openrouter", wire: .openAI, baseURL: "https://openrouter.ai/api/v1", baseURLEnv: "OPENROUTER_BASE_URL",
              keyEnv: "OPENROUTER_API_KEY", summary: "OpenRouter (OpenAI-compatible)"),
        .init(name: "deepseek", wire: .openAI, baseURL: "https://api.deepseek.com/v1", baseURLEnv: "DEEPSEEK_BASE_URL",
              keyEnv: "DEEPSEEK_API_KEY", summary: "DeepSeek (OpenAI-compatible)"),
        .init(name: "fireworks", wire: .openAI, baseURL: "https://api.fireworks.ai/inference/v1", baseURLEnv: "FIREWORKS_BASE_URL",
              keyEnv: "FIREWORKS_API_KEY", summary: "Fireworks (OpenAI-compatible)"),
        .init(name: "vllm", wire: .openAI, baseURL: "http://127.0.0.1:8000/v1", baseURLEnv: "VLLM_BASE_URL", keyEnv: nil,
              summary: "a vLLM server (OpenAI-compatible, no key)"),
        .init(name: "ollama", wire: .openAI, baseURL: "http://127.0.0.1:11434/v1", baseURLEnv: "OLLAMA_BASE_URL", keyEnv: nil,
              summary: "an Ollama server (OpenAI-compatible, no key)"),
        .init(name: "llamacpp", wire: .openAI, baseURL: "http://127.0.0.1:8080/v1", baseURLEnv: "LLAMACPP_BASE_URL", keyEnv: nil,
              summary: "a llama.cpp server (OpenAI-compatible, no key)", takesGrammar: true),
        .init(name: "anthropic", wire: .anthropic, baseURL: "https://api.anthropic.com/v1", baseURLEnv: "ANTHROPIC_BASE_URL",
              keyEnv: "ANTHROPIC_API_KEY", summary: "Anthropic Messages API"),
        .init(name: "gemini", wire: .gemini, baseURL: "https://generativelanguage.googleapis.com/v1beta", baseURLEnv: "GEMINI_BASE_URL",
              keyEnv: "GEMINI_API_KEY", summary: "Google Gemini generateContent (GEMINI_API_KEY or GOOGLE_API_KEY)"),
        .init(name: "bedrock", wire: .bedrock, baseURL: nil, baseURLEnv: nil, keyEnv: nil,
              summary: "AWS Bedrock (import/export only; not callable)"),
        .init(name: "compatible", wire: .openAI, baseURL: nil, baseURLEnv: nil, keyEnv: nil,
              summary: "any OpenAI-compatible endpoint: give base_url= (and api_key_env= if it needs a key)",
              takesGrammar: true),
    ]

    public static func named(_ name: String) -> ProviderPreset? { all.first { $0.name == name } }

    /// Where a model's requests go: its own `base_url=`, else the preset's variable (`TOGETHER_BASE_URL`,
    /// `ANTHROPIC_BASE_URL`, …) when set, else the preset's endpoint; no trailing slash.
    public static func baseURL(for model: ModelSpec, environment: [String: String]) -> String? {
        var url = model.baseURL
        if url == nil, let env = model.preset?.baseURLEnv, let v = environment[env], !v.isEmpty { url = v }
        url = url ?? model.preset?.baseURL
        guard let u = url else { return nil }
        return u.hasSuffix("/") ? String(u.dropLast()) : u
    }
}
