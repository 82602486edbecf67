// Serves model calls from a recorded session, for replay: the same request gets the same answer.

import Foundation

/// The calls of a recorded session, found by cache key; repeated identical requests are served
/// in the order they were recorded.
public final class ReplaySource: @unchecked Sendable {
    private let lock = NSLock()
    private var queues: [String: [CallRecord]] = [:]
    private var served: [String: Int] = [:]
    /// Whether a call that was never recorded is an error (offline) or goes to the model.
    public let offline: Bool

    public init(calls: [CallRecord], offline: Bool) {
        self.offline = offline
        for c in calls {
            let key = c.cacheKey ?? SHA256.hex(c.request)
            queues[key, default: []].append(c)
        }
    }

    /// The recorded call for `key`: the next unserved one, or the last when all were served.
    public func take(_ key: String) -> CallRecord? {
        lock.withLock {
            guard let q = queues[key], !q.isEmpty else { return nil }
            let n = served[key, default: 0]
            served[key] = n + 1
            return q[min(n, q.count - 1)]
        }
    }

}
