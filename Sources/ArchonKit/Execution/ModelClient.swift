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
/// answer was recorded, cached or replayed.
public final class ModelClient: Sendable {
    let provider: @Sendable (ModelSpec) -> any ChatProvider
    let recorder: (any CallRecorder)?
    let overall: AsyncSemaphore
    let pricing: Pricing
    let retry: RetryPolicy
    let cache: (any ResponseCache)?
    /// How the cache is used (`set cache on|off|refresh`); on by default.
    public let cacheMode = LockedValue(CacheMode.on)
    /// During a replay: the recorded calls to serve.
    public let replay = LockedValue<ReplaySource?>(nil)
    private let perModel = PerModelLimits()

    public init(provider: @escaping @Sendable (ModelSpec) -> any ChatProvider, recorder: (any CallRecorder)?,
                concurrency: Int = 64, pricing: Pricing = Pricing(), retry: RetryPolicy = RetryPolicy(),
                cache: (any ResponseCache)? = nil) {
        self.provider = provider
        self.recorder = recorder
        self.overall = AsyncSemaphore(limit: concurrency)
        self.pricing = pricing
        self.retry = retry
        self.cache = cache
    }

    /// Sets how many calls may be in flight at once across all models.
    public func setConcurrency(_ n: Int) async { await overall.setLimit(n) }

    /// How many calls may be in flight at once across all models.
    public func concurrency() async -> Int { await overall.currentLimit }

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
        var made = ChatRequest(messages: messages, parameters: effective, sampleIndex: sampleIndex)
        made.instance = context.instance
        let request = made
        let canonical = Self.canonicalRequest(request, model: model)
        let key = SHA256.hex(canonical)
        if let source = replay.value {
            if let recorded = source.take(key) {
                var call = recorded
                call.layer = context.layer
                call.technique = context.technique
                call.startedAt = Date()
                call.cacheKey = key
                recorder?.record(call)
                if let error = recorded.error {
                    throw error == "cancelled" ? ProviderError.cancelled : ProviderError.replayedFailure(error)
                }
                let response = ChatResponse(content: recorded.content ?? "", promptTokens: recorded.promptTokens,
                                            completionTokens: recorded.completionTokens, raw: recorded.response ?? "")
                if let onToken = context.onToken, !response.content.isEmpty { onToken(response.content) }
                return response
            }
            if source.offline {
                let last = messages.last.map { Formatting.snippet($0.content, 60) } ?? ""
                throw ProviderError.notRecorded("a call to \(model.name) (\(model.reference), sample \(sampleIndex + 1)) asking \"\(last)\"")
            }
        }
        if cacheMode.value == .on, let hit = cache?.lookup(key) {
            var call = CallRecord(modelName: model.name, provider: model.provider, model: model.model, request: canonical,
                                  response: hit.response.raw, content: hit.response.content,
                                  promptTokens: hit.response.promptTokens, completionTokens: hit.response.completionTokens,
                                  latency: 0, attempts: 0, layer: context.layer, technique: context.technique,
                                  sampleIndex: sampleIndex, cached: true)
            call.cost = hit.cost
            call.cacheKey = key
            recorder?.record(call)
            if let onToken = context.onToken, !hit.response.content.isEmpty { onToken(hit.response.content) }
            return hit.response
        }
        let limit = await perModel.semaphore(for: model)
        let rate = await perModel.rateLimiter(for: model)
        let policy = RetryPolicy(maxRetries: model.retries ?? retry.maxRetries, baseDelay: retry.baseDelay, maxDelay: retry.maxDelay)
        let estimate = request.messages.map(\.content.utf8.count).reduce(0, +) / 4 + (request.parameters.maxTokens ?? 512)
        return try await overall.withPermit {
            try await limit.withPermit {
                try Task.checkCancellation()
                let started = Date()
                let clock = ContinuousClock.now
                var attempts = 0
                var log: [String] = []
                func record(_ response: ChatResponse?, _ error: Error?) {
                    let elapsed = ContinuousClock.now - clock
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    var call = CallRecord(
                        modelName: model.name, provider: model.provider, model: model.model, request: canonical,
                        response: response?.raw, content: response?.content, promptTokens: response?.promptTokens,
                        completionTokens: response?.completionTokens, latency: seconds,
                        error: error.map(Self.describe), attempts: attempts,
                        layer: context.layer, technique: context.technique, sampleIndex: sampleIndex, startedAt: started)
                    call.cost = response.flatMap { pricing.cost(for: model, promptTokens: $0.promptTokens, completionTokens: $0.completionTokens) }
                    call.attemptLog = log.isEmpty ? nil : log.joined(separator: " | ")
                    call.cacheKey = key
                    recorder?.record(call)
                }
                while true {
                    attempts += 1
                    // Key rotation (KEY, KEY_2, …) sends more requests inside one attempt: each counts.
                    let rotations = APIKeys.RotationLog()
                    func countRotations() {
                        let extra = rotations.entries
                        attempts += extra.count
                        log += extra.map { "key rotation: \($0)" }
                    }
                    do {
                        if let rate { try await rate.acquire(tokens: estimate) }
                        let response = try await APIKeys.$rotations.withValue(rotations) {
                            try await provider(model).complete(request, model: model, onToken: context.onToken)
                        }
                        countRotations()
                        record(response, nil)
                        return response
                    } catch {
                        countRotations()
                        let cancelled = error is CancellationError || (error as? ProviderError) == .cancelled || Task.isCancelled
                        guard !cancelled, RetryPolicy.isRetryable(error), attempts <= policy.maxRetries else {
                            record(nil, cancelled ? ProviderError.cancelled : error)
                            throw error
                        }
                        let wait = policy.delay(retry: attempts, after: error)
                        log.append("\(attempts): \(Formatting.snippet(Self.describe(error), 80)); waited \(Formatting.duration(wait))")
                        do { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) } catch {
                            record(nil, ProviderError.cancelled)
                            throw ProviderError.cancelled
                        }
                    }
                }
            }
        }
    }

    static func describe(_ error: Error) -> String {
        (error as? ProviderError)?.description ?? (error is CancellationError ? "cancelled" : "\(error)")
    }
}

/// One semaphore per model that sets `max_concurrency`, one rate limiter per model that sets `rpm`/`tpm`.
actor PerModelLimits {
    private var limits: [String: AsyncSemaphore] = [:]
    private var rates: [String: RateLimiter] = [:]

    func rateLimiter(for model: ModelSpec) -> RateLimiter? {
        guard model.rpm != nil || model.tpm != nil else { return nil }
        let key = "\(model.name)#\(model.rpm ?? 0)#\(model.tpm ?? 0)"
        if let r = rates[key] { return r }
        let r = RateLimiter(rpm: model.rpm, tpm: model.tpm)
        rates[key] = r
        return r
    }
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
