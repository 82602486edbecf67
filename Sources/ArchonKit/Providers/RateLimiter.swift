// Requests-per-minute and tokens-per-minute limits for one model.

import Foundation

/// A sliding one-minute window over requests and (estimated) tokens; `acquire` waits until both fit.
public actor RateLimiter {
    let rpm: Int?
    let tpm: Int?
    private var events: [(time: Double, tokens: Int)] = []

    public init(rpm: Int?, tpm: Int?) {
        self.rpm = rpm
        self.tpm = tpm
    }

    static func now() -> Double { Date().timeIntervalSinceReferenceDate }

    /// Waits until one more request of about `tokens` tokens fits in the last minute, then counts it.
    public func acquire(tokens: Int) async throws {
        while true {
            let t = Self.now()
            events.removeAll { $0.time <= t - 60 }
            let requestsOK = rpm.map { events.count < $0 } ?? true
            let used = events.map(\.tokens).reduce(0, +)
            let tokensOK = tpm.map { used + tokens <= $0 || events.isEmpty } ?? true
            if requestsOK && tokensOK {
                events.append((t, tokens))
                return
            }
            let wait = max(0.01, (events.first?.time ?? t) + 60 - t)
            try await Task.sleep(nanoseconds: UInt64(min(wait, 1) * 1e9))
        }
    }
}
