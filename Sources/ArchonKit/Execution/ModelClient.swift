// The one door techniques use to reach a model: provider choice, limits, timing and recording.

import Foundation

/// Where a call comes from, so the store can tie it to its layer and technique.
public struct CallContext: Sendable {
    public var layer: Int?
    public var technique: String?
    /// Receives streamed text; when nil the request is not streamed.
    public var onToken: (@Sendable (String) -> Void)?

    public init(layer: Int? = nil, technique: String? = nil, onToken: (@Sendable (String) -> Void)? = nil) {
        self.layer = layer
        self.technique = technique
        self.onToken = onToken
    }
}

/// Sends chat requests for techniques and records each call.
///
/// Techniques see only this type: they cannot tell which provider answered, or whether the
/// answer was recorded, cached or replayed.
public final class ModelClient: Sendable {
    let provider: @Sendable (ModelSpec) -> any ChatProvider
    let recorder: (any CallRecorder)?
    let overall: AsyncSemaphore
    private let perModel = PerModelLimits()

    public init(provider: @escaping @Sendable (ModelSpec) -> any ChatProvider, recorder: (any CallRecorder)?,
                concurrency: Int = 64) {
        self.provider = provider
        self.recorder = recorder
        self.overall = AsyncSemaphore(limit: concurrency)
    }

    /// Sets how many calls may be in flight at once across all models.
    public func setConcurrency(_ n: Int) async { await overall.setLimit(n) }

    /// The canonical JSON of a request: what identifies it, with keys sorted and no secrets.
    public static func canonicalRequest(_ request: ChatRequest, model: ModelSpec) -> String {
        var object: [String: Any] = [
            "provider": model.provider,
            "model": model.model,
            "messages": request.messages.map { ["role": $0.role, "content": $0.content] },
            "sample": request.sampleIndex,
        ]
        var params: [String: Any] = [:]
        if let t = request.parameters.temperature { params["temperature"] = t }
        if let m = request.parameters.maxTokens { params["max_tokens"] = m }
        if let p = request.parameters.topP { params["top_p"] = p }
        if let s = request.parameters.seed { params["seed"] = s }
        object["parameters"] = params
        if let b = model.baseURL { object["base_url"] = b }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Sends `messages` to `model` (its parameters, overridden by `parameters`) and records the call.
    public func complete(model: ModelSpec, messages: [ChatMessage], parameters: GenerationParameters = .init(),
                         sampleIndex: Int = 0, context: CallContext = .init()) async throws -> ChatResponse {
        let request = ChatRequest(messages: messages, parameters: model.parameters.overridden(by: parameters),
                                  sampleIndex: sampleIndex)
        let canonical = Self.canonicalRequest(request, model: model)
        let limit = await perModel.semaphore(for: model)
        return try await overall.withPermit {
            try await limit.withPermit {
                let started = Date()
                let clock = ContinuousClock.now
                func record(_ response: ChatResponse?, _ error: Error?) {
                    let elapsed = ContinuousClock.now - clock
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    recorder?.record(CallRecord(
                        modelName: model.name, provider: model.provider, model: model.model, request: canonical,
                        response: response?.raw, content: response?.content, promptTokens: response?.promptTokens,
                        completionTokens: response?.completionTokens, latency: seconds,
                        error: error.map { ($0 as? ProviderError)?.description ?? ($0 is CancellationError ? "cancelled" : "\($0)") },
                        layer: context.layer, technique: context.technique, sampleIndex: sampleIndex, startedAt: started))
                }
                do {
                    let response = try await provider(model).complete(request, model: model, onToken: context.onToken)
                    record(response, nil)
                    return response
                } catch {
                    record(nil, error)
                    throw error
                }
            }
        }
    }
}

/// One semaphore per model that sets `max_concurrency`.
actor PerModelLimits {
    private var limits: [String: AsyncSemaphore] = [:]
    private static let unlimited = AsyncSemaphore(limit: Int.max / 2)

    func semaphore(for model: ModelSpec) -> AsyncSemaphore {
        guard let n = model.maxConcurrency else { return Self.unlimited }
        let key = "\(model.name)#\(n)"
        if let s = limits[key] { return s }
        let s = AsyncSemaphore(limit: n)
        limits[key] = s
        return s
    }
}
