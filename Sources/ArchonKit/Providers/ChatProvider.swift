// The seam between techniques and the many model APIs.

/// Something that answers chat requests for a model.
public protocol ChatProvider: Sendable {
    /// Sends one request. `onToken`, when given, receives text as it streams in.
    func complete(_ request: ChatRequest, model: ModelSpec,
                  onToken: (@Sendable (String) -> Void)?) async throws -> ChatResponse

    /// The endpoint this model's requests go to, for display and for the recorded request.
    func endpoint(for model: ModelSpec) -> String
}

/// Stands in for a provider whose wire format this build does not speak, with a clear error.
public struct UnsupportedProvider: ChatProvider {
    public init() {}

    public func complete(_ request: ChatRequest, model: ModelSpec,
                         onToken: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        throw ProviderError.unsupported(model.provider)
    }

    public func endpoint(for model: ModelSpec) -> String { model.preset?.baseURL ?? "(not callable)" }
}
