// The one place providers are wired: which implementation answers a model, by its preset's wire format.

import Foundation

public enum Providers {
    /// The providers of a session: OpenAI-compatible (incl. the embedded local server), Anthropic and
    /// Gemini, chosen by each model's preset.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                localServer: LocalModelServer = .shared) -> @Sendable (ModelSpec) -> any ChatProvider {
        let openAI = OpenAICompatibleProvider(environment: environment, localBaseURL: { try await localServer.baseURL() })
        let anthropic = AnthropicProvider(environment: environment)
        let gemini = GeminiProvider(environment: environment)
        return { model in
            switch model.preset?.wire {
            case .openAI?: openAI
            case .anthropic?: anthropic
            case .gemini?: gemini
            default: UnsupportedProvider()
            }
        }
    }
}
