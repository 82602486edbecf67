// The Anthropic Messages API: system prompt apart, max_tokens required, content blocks, usage.

import Foundation

/// `POST {base}/messages` with `x-api-key` and `anthropic-version`, plain or streamed (SSE).
public struct AnthropicProvider: ChatProvider {
    let http: HTTPClient
    let environment: [String: String]
    public static let version = "2023-06-01"
    /// Anthropic requires max_tokens; used when the model sets none.
    public static let defaultMaxTokens = 1024

    public init(http: HTTPClient = .shared, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.http = http
        self.environment = environment
    }

    public func endpoint(for model: ModelSpec) -> String { ProviderPreset.baseURL(for: model, environment: environment) ?? "" }

    /// The JSON body: system messages joined into `system`, the rest as user/assistant turns.
    public static func body(_ request: ChatRequest, model: ModelSpec, stream: Bool) -> [String: Any] {
        let system = request.messages.filter { $0.role == "system" }.map(\.content).joined(separator: "\n\n")
        var body: [String: Any] = [
            "model": model.model,
            "max_tokens": request.parameters.maxTokens ?? defaultMaxTokens,
            "messages": request.messages.filter { $0.role != "system" }.map { ["role": $0.role, "content": $0.content] },
        ]
        if !system.isEmpty { body["system"] = system }
        if let t = request.parameters.temperature { body["temperature"] = t }
        if let p = request.parameters.topP { body["top_p"] = p }
        if stream { body["stream"] = true }
        return body
    }

    public func complete(_ request: ChatRequest, model: ModelSpec,
                         onToken: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        let base = endpoint(for: model)
        let payload = try JSONSerialization.data(withJSONObject: Self.body(request, model: model, stream: onToken != nil),
                                                 options: [.sortedKeys])
        return try await APIKeys.rotating(model, environment) { key in
            var headers = [("Content-Type", "application/json"), ("anthropic-version", Self.version)]
            if let key { headers.append(("x-api-key", key)) }
            let req = HTTPRequest(url: base + "/messages", headers: headers, body: payload, timeout: model.timeout ?? 300)
            if let onToken {
                let stream = AnthropicStream(onToken: onToken)
                let r = try await http.send(req) { stream.feed($0) }
                try ProviderError.check(r)
                return try stream.finish(r.body)
            }
            let r = try await http.send(req)
            try ProviderError.check(r)
            return try Self.parse(r.body)
        }
    }

    public static func parse(_ body: Data) throws -> ChatResponse {
        let raw = String(decoding: body, as: UTF8.self)
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let blocks = json["content"] as? [[String: Any]] else {
            throw ProviderError.badResponse("not a Messages response: \(Formatting.snippet(raw, 120))")
        }
        let text = blocks.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }.joined()
        let usage = json["usage"] as? [String: Any]
        return ChatResponse(content: text, promptTokens: usage?["input_tokens"] as? Int,
                            completionTokens: usage?["output_tokens"] as? Int,
                            finishReason: json["stop_reason"] as? String, raw: raw)
    }
}

/// Reassembles a streamed Messages answer: text deltas, usage from message_start/message_delta.
final class AnthropicStream: @unchecked Sendable {
    private let lock = NSLock()
    private var parser = SSEParser()
    private var text = ""
    private var input: Int?
    private var output: Int?
    private var stop: String?
    private var done = false
    private var bad: String?
    private let onToken: @Sendable (String) -> Void

    init(onToken: @escaping @Sendable (String) -> Void) { self.onToken = onToken }

    func feed(_ chunk: Data) {
        let events = lock.withLock { parser.feed(chunk) }
        events.forEach(handle)
    }

    private func handle(_ event: String) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any] else {
            lock.withLock { if bad == nil { bad = event } }
            return
        }
        var piece = ""
        lock.withLock {
            switch json["type"] as? String {
            case "message_start":
                input = ((json["message"] as? [String: Any])?["usage"] as? [String: Any])?["input_tokens"] as? Int
            case "content_block_delta":
                piece = (json["delta"] as? [String: Any])?["text"] as? String ?? ""
                text += piece
            case "message_delta":
                output = (json["usage"] as? [String: Any])?["output_tokens"] as? Int ?? output
                stop = (json["delta"] as? [String: Any])?["stop_reason"] as? String ?? stop
            case "message_stop": done = true
            default: break
            }
        }
        if !piece.isEmpty { onToken(piece) }
    }

    func finish(_ body: Data) throws -> ChatResponse {
        let rest = lock.withLock { parser.finish() }
        rest.forEach(handle)
        return try lock.withLock {
            if let bad { throw ProviderError.badResponse("stream event is not JSON: \(Formatting.snippet(bad, 120))") }
            guard done else {
                throw ProviderError.truncatedStream("no message_stop after \(text.count) characters; body began \(Formatting.snippet(String(decoding: body.prefix(200), as: UTF8.self), 120))")
            }
            let raw = (try? JSONSerialization.data(withJSONObject: [
                "content": [["type": "text", "text": text]], "stop_reason": stop as Any,
                "usage": ["input_tokens": input ?? 0, "output_tokens": output ?? 0],
            ], options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return ChatResponse(content: text, promptTokens: input, completionTokens: output, finishReason: stop, raw: raw)
        }
    }
}
