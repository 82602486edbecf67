// The response cache: a model call's answer, found again by its canonical request.

/// How the cache is used for the next calls (`set cache on|off|refresh`).
public enum CacheMode: String, Sendable, CaseIterable {
    /// Serve a recorded answer when the same request (same sample index) was answered before.
    case on
    /// Always call the model; still record the answer for later.
    case off
    /// Call the model and let its answer replace the recorded one for later hits.
    case refresh
}

/// A previously recorded successful answer.
public struct CachedResponse: Sendable, Equatable {
    public var response: ChatResponse
    /// What the original call cost (USD), nil when its price was unknown.
    public var cost: Double?
}

/// Looks up answers by cache key (SHA-256 of the canonical request). Failed calls are never found.
public protocol ResponseCache: Sendable {
    func lookup(_ key: String) -> CachedResponse?
}
