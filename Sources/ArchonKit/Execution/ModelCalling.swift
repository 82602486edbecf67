// The model-calling chain: a protocol for "answer this request", the live implementation, and the
// replay and cache decorators that wrap it. A technique cannot tell which of them answered.

import Foundation

/// One request on its way to a model: what identifies it (canonical JSON and its hash) and where it
/// comes from.
public struct ModelCall: Sendable {
    public var model: ModelSpec
    public var request: ChatRequest
    /// Canonical request JSON (no secrets) and its SHA-256, the cache and replay key.
    public var canonical: String
    public var key: String
    public var context: CallContext

    /// A record of this call with nothing answered yet.
    func record(latency: Double = 0, attempts: Int = 1, cached: Bool = false, started: Date = Date()) -> CallRecord {
        var r = CallRecord(modelName: model.name, provider: model.provider, model: model.model, request: canonical,
                           latency: latency, attempts: attempts, layer: context.layer, technique: context.technique,
                           sampleIndex: request.sampleIndex, startedAt: started, cached: cached)
        r.cacheKey = key
        return r
    }
}

/// Answers model calls. Each answer — or failure — is reported to `record` exactly once.
public protocol ModelCalling: Sendable {
    func answer(_ call: ModelCall, record: @escaping @Sendable (CallRecord) -> Void) async throws -> ChatResponse
}

/// Serves calls from a recorded session while a replay is set; otherwise passes them on.
public final class ReplayedCalls: ModelCalling {
    let inner: any ModelCalling
    /// The recorded calls to serve; nil when no replay runs.
    public let source = LockedValue<ReplaySource?>(nil)

    public init(_ inner: any ModelCalling) { self.inner = inner }

    public func answer(_ call: ModelCall, record: @escaping @Sendable (CallRecord) -> Void) async throws -> ChatResponse {
        guard let source = source.value else { return try await inner.answer(call, record: record) }
        if let recorded = source.take(call.key) {
            var r = recorded
            r.layer = call.context.layer
            r.technique = call.context.technique
            r.startedAt = Date()
            r.cacheKey = call.key
            r.item = nil
            record(r)
            if let error = recorded.error {
                throw error == "cancelled" ? ProviderError.cancelled : ProviderError.replayedFailure(error)
            }
            let response = ChatResponse(content: recorded.content ?? "", promptTokens: recorded.promptTokens,
                                        completionTokens: recorded.completionTokens, raw: recorded.response ?? "")
            if let onToken = call.context.onToken, !response.content.isEmpty { onToken(response.content) }
            return response
        }
        if source.offline {
            let last = call.request.messages.last.map { Formatting.snippet($0.content, 60) } ?? ""
            throw ProviderError.notRecorded("a call to \(call.model.name) (\(call.model.reference), sample \(call.request.sampleIndex + 1)) asking \"\(last)\"")
        }
        return try await inner.answer(call, record: record)
    }
}

/// Serves a call from the response cache when the same request was answered before (`set cache`).
public final class CachedCalls: ModelCalling {
    let inner: any ModelCalling
    let cache: any ResponseCache
    /// How the cache is used; on by default.
    public let mode = LockedValue(CacheMode.on)

    public init(_ inner: any ModelCalling, cache: any ResponseCache) {
        self.inner = inner
        self.cache = cache
    }

    public func answer(_ call: ModelCall, record: @escaping @Sendable (CallRecord) -> Void) async throws -> ChatResponse {
        guard mode.value == .on, let hit = cache.lookup(call.key) else { return try await inner.answer(call, record: record) }
        var r = call.record(attempts: 0, cached: true)
        r.response = hit.response.raw
        r.content = hit.response.content
        r.promptTokens = hit.response.promptTokens
        r.completionTokens = hit.response.completionTokens
        r.cost = hit.cost
        record(r)
        if let onToken = call.context.onToken, !hit.response.content.isEmpty { onToken(hit.response.content) }
        return hit.response
    }
}

/// Sends calls to their providers: a model's own limits first (`max_concurrency`, `rpm`/`tpm`), then
/// a global permit (`set concurrency`) held only while the request is on the wire, retries with
/// backoff in between. Waiting calls of earlier benchmark items go first.
public final class LiveCalls: ModelCalling {
    let provider: @Sendable (ModelSpec) -> any ChatProvider
    let overall: AsyncSemaphore
    let pricing: Pricing
    let retry: RetryPolicy
    private let perModel = PerModelLimits()

    public init(provider: @escaping @Sendable (ModelSpec) -> any ChatProvider, concurrency: Int = 64,
                pricing: Pricing = Pricing(), retry: RetryPolicy = RetryPolicy()) {
        self.provider = provider
        self.overall = AsyncSemaphore(limit: concurrency)
        self.pricing = pricing
        self.retry = retry
    }

    public func answer(_ call: ModelCall, record: @escaping @Sendable (CallRecord) -> Void) async throws -> ChatResponse {
        let model = call.model, request = call.request
        let limit = await perModel.semaphore(for: model)
        let rate = await perModel.rateLimiter(for: model)
        let policy = RetryPolicy(maxRetries: model.retries ?? retry.maxRetries, baseDelay: retry.baseDelay, maxDelay: retry.maxDelay)
        let estimate = request.messages.map(\.content.utf8.count).reduce(0, +) / 4 + (request.parameters.maxTokens ?? 512)
        let priority = ItemScope.current?.priority(layer: call.context.layer) ?? 0
        let started = Date()
        let clock = ContinuousClock.now
        var attempts = 0
        var log: [String] = []
        func finish(_ response: ChatResponse?, _ error: Error?) {
            let elapsed = ContinuousClock.now - clock
            var r = call.record(latency: elapsed.seconds,
                                attempts: attempts, started: started)
            r.response = response?.raw
            r.content = response?.content
            r.promptTokens = response?.promptTokens
            r.completionTokens = response?.completionTokens
            r.error = error.map(ModelClient.describe)
            r.cost = response.flatMap { pricing.cost(for: model, promptTokens: $0.promptTokens, completionTokens: $0.completionTokens) }
            r.attemptLog = log.isEmpty ? nil : log.joined(separator: " | ")
            record(r)
        }
        let provider = self.provider(model), overall = self.overall
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
                try Task.checkCancellation()
                // The model's own limits before a global slot: a throttled model does not hold slots
                // other models could use while it waits.
                let response = try await limit.withPermit(priority: priority) {
                    if let rate { try await rate.acquire(tokens: estimate) }
                    return try await overall.withPermit(priority: priority) {
                        try Task.checkCancellation()
                        return try await APIKeys.$rotations.withValue(rotations) {
                            try await provider.complete(request, model: model, onToken: call.context.onToken)
                        }
                    }
                }
                countRotations()
                finish(response, nil)
                return response
            } catch {
                countRotations()
                let cancelled = error is CancellationError || (error as? ProviderError) == .cancelled || Task.isCancelled
                guard !cancelled, RetryPolicy.isRetryable(error), attempts <= policy.maxRetries else {
                    finish(nil, cancelled ? ProviderError.cancelled : error)
                    throw error
                }
                let wait = policy.delay(retry: attempts, after: error)
                log.append("\(attempts): \(Formatting.snippet(ModelClient.describe(error), 80)); waited \(Formatting.duration(wait))")
                do { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) } catch {
                    finish(nil, ProviderError.cancelled)
                    throw ProviderError.cancelled
                }
            }
        }
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
