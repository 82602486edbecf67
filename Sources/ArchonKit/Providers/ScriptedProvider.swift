// An in-process provider whose replies are scripted: for tests and benchmarks where a model's words
// do not matter — it records every request and answers after a chosen latency, with no network.

import Foundation

/// Answers each request with `reply(request, model)` after `latency` seconds, and keeps the requests.
public final class ScriptedProvider: ChatProvider, @unchecked Sendable {
    /// One request as it arrived, with when it started and ended (seconds since the provider was made).
    public struct Received: Sendable {
        public var model: String
        public var request: ChatRequest
        public var started: Double
        public var ended: Double?
    }

    private let lock = NSLock()
    private var log: [Received] = []
    private var inFlight = 0
    private var peak = 0
    private let born = ContinuousClock.now
    let latency: Double
    let reply: @Sendable (ChatRequest, ModelSpec) throws -> String

    /// `reply` gives the answer's text (throw to fail the request); tokens are counted as words.
    public init(latency: Double = 0, reply: @escaping @Sendable (ChatRequest, ModelSpec) throws -> String = { r, _ in
        "echo: " + (r.messages.last?.content ?? "")
    }) {
        self.latency = latency
        self.reply = reply
    }

    /// Every request so far, in arrival order.
    public var requests: [Received] { lock.withLock { log } }
    /// Most requests in flight at once.
    public var maxInFlight: Int { lock.withLock { peak } }

    private func now() -> Double { (ContinuousClock.now - born).seconds }

    public func complete(_ request: ChatRequest, model: ModelSpec, onToken: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        let index: Int = lock.withLock {
            log.append(Received(model: model.name, request: request, started: now()))
            inFlight += 1
            peak = max(peak, inFlight)
            return log.count - 1
        }
        defer { lock.withLock { inFlight -= 1; log[index].ended = now() } }
        if latency > 0 { try await Task.sleep(nanoseconds: UInt64(latency * 1e9)) }
        let text = try reply(request, model)
        onToken?(text)
        let words = { (s: String) in s.split(whereSeparator: \.isWhitespace).count }
        let prompt = request.messages.map { words($0.content) }.reduce(0, +)
        let raw = #"{"scripted":true}"#
        return ChatResponse(content: text, promptTokens: prompt, completionTokens: words(text), finishReason: "stop", raw: raw)
    }

    public func endpoint(for model: ModelSpec) -> String { "scripted://\(model.name)" }
}
