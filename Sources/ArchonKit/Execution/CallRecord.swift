// What the store keeps of one model call; handed over by the model client as a plain value.

import Foundation

/// One model call as it happened: the canonical request (no secrets), the response, usage, timing.
public struct CallRecord: Sendable, Equatable {
    public var modelName: String
    public var provider: String
    public var model: String
    /// Canonical request JSON: provider, model, messages, parameters, sample index. Never a key.
    public var request: String
    /// The response body as received, or nil when the call failed before one arrived.
    public var response: String?
    public var content: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var latency: Double
    public var error: String?
    public var attempts: Int
    public var layer: Int?
    public var technique: String?
    public var sampleIndex: Int
    public var startedAt: Date
    public var cached: Bool
    /// USD, nil when the model's price is unknown.
    public var cost: Double? = nil
    /// One line per failed attempt before the last (`1: HTTP 500 …; waited 0.4 s`), nil when the first try answered.
    public var attemptLog: String? = nil
    /// SHA-256 of the canonical request: the response cache's key.
    public var cacheKey: String? = nil
    /// The benchmark item (and its bench run) the call was made for.
    public var item: ItemLink? = nil

    public init(modelName: String, provider: String, model: String, request: String, response: String? = nil,
                content: String? = nil, promptTokens: Int? = nil, completionTokens: Int? = nil, latency: Double = 0,
                error: String? = nil, attempts: Int = 1, layer: Int? = nil, technique: String? = nil,
                sampleIndex: Int = 0, startedAt: Date = Date(), cached: Bool = false) {
        self.modelName = modelName
        self.provider = provider
        self.model = model
        self.request = request
        self.response = response
        self.content = content
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
        self.error = error
        self.attempts = attempts
        self.layer = layer
        self.technique = technique
        self.sampleIndex = sampleIndex
        self.startedAt = startedAt
        self.cached = cached
    }
}

/// Receives every call as it finishes (the interpreter writes them to the session store).
public protocol CallRecorder: Sendable {
    func record(_ call: CallRecord)
}

/// A call's benchmark item: the bench run's row id and the item's id.
public struct ItemLink: Sendable, Equatable, Hashable {
    public var run: Int64
    public var item: String
    public init(run: Int64, item: String) { (self.run, self.item) = (run, item) }
}
