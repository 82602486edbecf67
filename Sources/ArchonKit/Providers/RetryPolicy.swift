// When to try a failed call again, and how long to wait first.

import Foundation

/// Exponential backoff with full jitter, honouring `Retry-After`.
///
/// Retried: HTTP 429 and 5xx, timeouts, connection errors and streams cut off mid-way.
/// Never retried: other 4xx (the request itself is wrong), unparseable bodies, missing keys,
/// cancellation.
public struct RetryPolicy: Sendable, Equatable {
    /// Tries after the first (0 = no retry).
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxRetries: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static func isRetryable(_ error: Error) -> Bool {
        guard let e = error as? ProviderError else { return false }
        switch e {
        case let .http(status, _, _): return status == 429 || (500...599).contains(status)
        case .timeout, .transport, .truncatedStream: return true
        default: return false
        }
    }

    /// Seconds to wait before retry number `retry` (1-based): the server's Retry-After when it
    /// gave one (capped at `maxDelay`), else a random wait up to base × 2^(retry-1).
    public func delay(retry: Int, after error: Error, random: Double = Double.random(in: 0...1)) -> Double {
        if case let .http(_, _, retryAfter?)? = error as? ProviderError { return min(max(0, retryAfter), maxDelay) }
        let cap = min(maxDelay, baseDelay * pow(2, Double(retry - 1)))
        return cap * random
    }

    /// Reads a `Retry-After` header: whole seconds, or an HTTP date.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        if let s = Double(v) { return s }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: v).map { max(0, $0.timeIntervalSince(now)) }
    }
}
