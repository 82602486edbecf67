// USD per million tokens, for the cost of each call; overridable by the user.

import Foundation

/// Prices per model reference (`provider/model`), in USD per million input and output tokens.
///
/// The built-in table holds list prices of common models at the time of writing; a JSON file at
/// `$ARCHON_PRICES` (or `~/.config/archon/prices.json`) overrides or adds entries:
/// `{"openai/gpt-4o": {"input": 2.5, "output": 10}}`. A model with no price has an unknown cost,
/// never zero; `local/` models cost nothing.
public struct Pricing: Sendable {
    public struct Price: Sendable, Equatable, Codable {
        public var input: Double
        public var output: Double
        public init(input: Double, output: Double) {
            self.input = input
            self.output = output
        }
    }

    public var table: [String: Price]

    public static let builtIn: [String: Price] = [
        "openai/gpt-4o": .init(input: 2.50, output: 10.00),
        "openai/gpt-4o-mini": .init(input: 0.15, output: 0.60),
        "openai/gpt-4-turbo": .init(input: 10.00, output: 30.00),
        "openai/gpt-4.1": .init(input: 2.00, output: 8.00),
        "openai/gpt-4.1-mini": .init(input: 0.40, output: 1.60),
        "anthropic/claude-3-5-sonnet-20240620": .init(input: 3.00, output: 15.00),
        "anthropic/claude-3-5-sonnet-20241022": .init(input: 3.00, output: 15.00),
        "anthropic/claude-3-opus-20240229": .init(input: 15.00, output: 75.00),
        "anthropic/claude-3-5-haiku-20241022": .init(input: 0.80, output: 4.00),
        "gemini/gemini-1.5-pro": .init(input: 1.25, output: 5.00),
        "gemini/gemini-1.5-flash": .init(input: 0.075, output: 0.30),
        "together/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo": .init(input: 3.50, output: 3.50),
        "together/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo": .init(input: 0.88, output: 0.88),
        "together/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo": .init(input: 0.18, output: 0.18),
        "together/Qwen/Qwen2-72B-Instruct": .init(input: 0.90, output: 0.90),
        "together/Qwen/Qwen1.5-110B-Chat": .init(input: 1.80, output: 1.80),
        "together/microsoft/WizardLM-2-8x22B": .init(input: 1.20, output: 1.20),
        "groq/llama-3.1-70b-versatile": .init(input: 0.59, output: 0.79),
        "groq/llama-3.1-8b-instant": .init(input: 0.05, output: 0.08),
        "deepseek/deepseek-chat": .init(input: 0.27, output: 1.10),
    ]

    public init(table: [String: Price] = Pricing.builtIn) { self.table = table }

    /// The built-in table with the user's file laid over it. A broken file is an error naming it.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Pricing {
        var p = Pricing()
        let path = environment["ARCHON_PRICES"] ?? (environment["HOME"].map { $0 + "/.config/archon/prices.json" } ?? "")
        guard !path.isEmpty, let data = FileManager.default.contents(atPath: path) else { return p }
        do {
            let user = try JSONDecoder().decode([String: Price].self, from: data)
            for (k, v) in user { p.table[k] = v }
        } catch {
            throw ProviderError.badResponse("price file \(path) is not {\"provider/model\": {\"input\": USD, \"output\": USD}} — fix or remove it")
        }
        return p
    }

    public func price(for model: ModelSpec) -> Price? {
        if model.provider == "local" { return Price(input: 0, output: 0) }
        return table[model.reference]
    }

    /// The cost of a call in USD, or nil when the price or the token counts are unknown.
    public func cost(for model: ModelSpec, promptTokens: Int?, completionTokens: Int?) -> Double? {
        guard let p = price(for: model), let i = promptTokens, let o = completionTokens else { return nil }
        return (Double(i) * p.input + Double(o) * p.output) / 1_000_000
    }

    /// `$0.0123`, `$0` or `$?` (unknown).
    public static func format(_ cost: Double?) -> String {
        guard let c = cost else { return "$?" }
        if c == 0 { return "$0" }
        return c < 0.01 ? String(format: "$%.6f", c) : String(format: "$%.4f", c)
    }
}
