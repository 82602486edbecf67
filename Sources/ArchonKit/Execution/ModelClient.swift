// The one door techniques use to reach a model: provider choice, limits, timing and recording.

import Foundation

/// Where a call comes from, so the store can tie it to its layer and technique.
public struct CallContext: Sendable {
    public var layer: Int?
    public var technique: String?
    /// Receives streamed text; when nil the request is not streamed.
    public var onToken: (@Sendable (String) -> Void)?
    /// Place among identical instances of one layer (part of the cache key when above 0).
    public var instance: Int

    public init(layer: Int? = nil, technique: String? = nil, instance: Int = 0, onToken: (@Sendable (String) -> Void)? = nil) {
        self.layer = layer
        self.technique = technique
        self.instance = instance
        self.onToken = onToken
    }
}

/// Sends chat requests for techniques and records each call.
///
/// Techniques see only this type: they cannot tell which provider answered, or whether the
/// answer was recorded, cached or replayed. A call goes through a chain of ``ModelCalling`` layers —
/// replay, then cache, then the live providers — and its record goes to the recorder, tied to the
/// benchmark item the calling task works for (``ItemScope``).
public final class ModelClient: Sendable {
    let calls: any ModelCalling
    let recorder: (any CallRecorder)?
    let live: LiveCalls?
    let replayed: ReplayedCalls?
    let cached: CachedCalls?
    public let pricing: Pricing

    public init(provider: @escaping @Sendable (ModelSpec) -> any ChatProvider, recorder: (any CallRecorder)?,
                concurrency: Int = 64, pricing: Pricing = Pricing(), retry: RetryPolicy = RetryPolicy(),
                cache: (any ResponseCache)? = nil) {
        let live = LiveCalls(provider: provider, concurrency: concurrency, pricing: pricing, retry: retry)
        let cached = cache.map { CachedCalls(live, cache: $0) }
        let replayed = ReplayedCalls(cached ?? live)
        self.live = live
        self.cached = cached
        self.replayed = replayed
        self.calls = replayed
        self.recorder = recorder
        self.pricing = pricing
    }

    /// A client over any chain of calling layers (tests, other decorators).
    public init(calls: any ModelCalling, recorder: (any CallRecorder)?, pricing: Pricing = Pricing()) {
        self.calls = calls
        self.recorder = recorder
        self.pricing = pricing
        (live, replayed, cached) = (nil, nil, nil)
    }

    /// How the response cache is used (`set cache on|off|refresh`).
    public var cacheMode: CacheMode {
        get { cached?.mode.value ?? .off }
        set { cached?.mode.value = newValue }
    }

    /// Serves calls from a recorded session (nil: none).
    public var replay: ReplaySource? {
        get { replayed?.source.value }
        set { replayed?.source.value = newValue }
    }

    /// Sets how many calls may be in flight at once across all models.
    public func setConcurrency(_ n: Int) async { await live?.overall.setLimit(n) }

    /// How many calls may be in flight at once across all models.
    public func concurrency() async -> Int { await live?.overall.currentLimit ?? 64 }

    /// The seed sent for sample `sample` (0-based) of a model whose seed is `seed`: `seed` itself for
    /// sample 0, else SplitMix64 of (seed, sample) reduced to 0…2^31−2 (a range every server takes).
    public static func sampleSeed(_ seed: Int, sample: Int) -> Int {
        guard sample > 0 else { return seed }
        var z = UInt64(bitPattern: Int64(seed)) &+ UInt64(sample) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % 2_147_483_647)
    }

    /// The canonical JSON of a request: what identifies it, with keys sorted and no secrets.
    public static func canonicalRequest(_ request: ChatRequest, model: ModelSpec) -> String {
        var object: [String: Any] = [
            "provider": model.provider,
            "model": model.model,
            "messages": request.messages.map { ["role": $0.role, "content": $0.content] },
            "sample": request.sampleIndex,
        ]
        if request.instance > 0 { object["instance"] = request.instance }
        var params: [String: Any] = [:]
        if let t = request.parameters.temperature { params["temperature"] = t }
        if let m = request.parameters.maxTokens { params["max_tokens"] = m }
        if let p = request.parameters.topP { params["top_p"] = p }
        if let s = request.parameters.seed { params["seed"] = s }
        if let g = request.parameters.grammar { params["grammar"] = g }
        object["parameters"] = params
        if let b = model.baseURL { object["base_url"] = b }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Sends `messages` to `model` (its parameters, overridden by `parameters`) and records the call.
    public func complete(model: ModelSpec, messages: [ChatMessage], parameters: GenerationParameters = .init(),
                         sampleIndex: Int = 0, context: CallContext = .init()) async throws -> ChatResponse {
        // A cancelled cell (Ctrl-C, its deadline) starts no new call.
        try Task.checkCancellation()
        var effective = model.parameters.overridden(by: parameters)
        // Each sample gets its own seed, derived from the model's seed and the sample's index (the
        // first keeps the seed as given), so seeded samples differ and a re-run draws the same ones.
        if let seed = effective.seed, sampleIndex > 0 { effective.seed = Self.sampleSeed(seed, sample: sampleIndex) }
        var request = ChatRequest(messages: messages, parameters: effective, sampleIndex: sampleIndex)
        request.instance = context.instance
        let canonical = Self.canonicalRequest(request, model: model)
        let call = ModelCall(model: model, request: request, canonical: canonical, key: SHA256.hex(canonical), context: context)
        let scope = ItemScope.current, recorder = self.recorder
        return try await calls.answer(call) { record in
            var r = record
            if let scope {
                r.item = scope.link
                scope.count(r)
            }
            recorder?.record(r)
        }
    }

    static func describe(_ error: Error) -> String {
        (error as? ProviderError)?.description ?? (error is CancellationError ? "cancelled" : "\(error)")
    }
}
