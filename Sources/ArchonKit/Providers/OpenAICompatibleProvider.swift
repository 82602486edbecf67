// The OpenAI chat-completions wire format, spoken by OpenAI, Together, Groq, vLLM, llama.cpp and more.

import Foundation

/// A provider that speaks `POST {base}/chat/completions`, plain or streamed (SSE).
public struct OpenAICompatibleProvider: ChatProvider {
    let http: HTTPClient
    let environment: [String: String]
    /// Resolves the base URL of models whose preset has none (the local server).
    let localBaseURL: (@Sendable () async throws -> String)?

    public init(http: HTTPClient = .shared, environment: [String: String] = ProcessInfo.processInfo.environment,
                localBaseURL: (@Sendable () async throws -> String)? = nil) {
        self.http = http
        self.environment = environment
        self.localBaseURL = localBaseURL
    }

    public func endpoint(for model: ModelSpec) -> String {
        if let b = model.baseURL { return b }
        if let env = model.preset?.baseURLEnv, let b = environment[env], !b.isEmpty { return b }
        if model.provider == "local" { return "local llama.cpp server (127.0.0.1, started on first use)" }
        return model.preset?.baseURL ?? "(no endpoint: set base_url=)"
    }

    func baseURL(for model: ModelSpec) async throws -> String {
        if let b = model.baseURL { return b }
        if let env = model.preset?.baseURLEnv, let b = environment[env], !b.isEmpty {
            return b.hasSuffix("/") ? String(b.dropLast()) : b
        }
        if model.provider == "local" {
            guard let localBaseURL else { throw ProviderError.localServer("no local model server configured") }
            return try await localBaseURL()
        }
        guard let b = model.preset?.baseURL else { throw ProviderError.missingBaseURL(model: model.name) }
        return b
    }

    /// The JSON body for `request`.
    public static func body(_ request: ChatRequest, model: ModelSpec, stream: Bool) -> [String: Any] {
        var body: [String: Any] = [
            "model": model.model,
            "messages": request.messages.map { ["role": $0.role, "content": $0.content] },
        ]
        let p = request.parameters
        if let t = p.temperature { body["temperature"] = t }
        if let m = p.maxTokens { body["max_tokens"] = m }
        if let t = p.topP { body["top_p"] = t }
        if let s = p.seed { body["seed"] = s }
        if let g = p.grammar { body["grammar"] = g }
        if model.preset?.evaluatesPromptWhole == true { body["cache_prompt"] = false }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return body
    }

    public func complete(_ request: ChatRequest, model: ModelSpec,
                         onToken: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        let base = try await baseURL(for: model)
        let stream = onToken != nil
        let payload = try JSONSerialization.data(withJSONObject: Self.body(request, model: model, stream: stream),
                                                 options: [.sortedKeys])
        return try await APIKeys.rotating(model, environment) { key in
            var headers = [("Content-Type", "application/json")]
            if let key { headers.append(("Authorization", "Bearer \(key)")) }
            let http = HTTPRequest(url: base + "/chat/completions", headers: headers, body: payload,
                                   timeout: model.timeout ?? 300)
            if let onToken {
                let collector = StreamCollector(onToken: onToken)
                let response = try await self.http.send(http) { collector.feed($0) }
                try ProviderError.check(response)
                return try collector.finish(body: response.body)
            }
            let response = try await self.http.send(http)
            try ProviderError.check(response)
            return try Self.parse(response.body)
        }
    }

    /// Reads a non-streamed chat-completions body.
    public static func parse(_ body: Data) throws -> ChatResponse {
        let raw = String(decoding: body, as: UTF8.self)
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw ProviderError.badResponse("not JSON: \(Formatting.snippet(raw, 120))")
        }
        guard let choices = json["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else {
            throw ProviderError.badResponse("no choices[0].message: \(Formatting.snippet(raw, 120))")
        }
        // Absent or null content is an empty answer (a refusal, a tool call); any other type is an error.
        let content: String
        switch message["content"] {
        case let text as String: content = text
        case nil, is NSNull: content = ""
        case let other?: throw ProviderError.badResponse("choices[0].message.content is \(type(of: other)), not text: \(Formatting.snippet(raw, 120))")
        }
        let usage = json["usage"] as? [String: Any]
        return ChatResponse(content: content, promptTokens: usage?["prompt_tokens"] as? Int,
                            completionTokens: usage?["completion_tokens"] as? Int,
                            finishReason: first["finish_reason"] as? String, raw: raw)
    }
}

/// Reassembles a streamed answer from SSE chunks, passing each piece of text on as it arrives.
final class StreamCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var parser = SSEParser()
    private var content = ""
    private var promptTokens: Int?
    private var completionTokens: Int?
    private var finishReason: String?
    private var done = false
    private var badChunk: String?
    private let onToken: @Sendable (String) -> Void

    init(onToken: @escaping @Sendable (String) -> Void) { self.onToken = onToken }

    func feed(_ chunk: Data) {
        lock.lock()
        let events = parser.feed(chunk)
        lock.unlock()
        events.forEach(handle)
    }

    private func handle(_ event: String) {
        if event == "[DONE]" {
            lock.lock(); done = true; lock.unlock()
            return
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any] else {
            lock.lock(); if badChunk == nil { badChunk = event }; lock.unlock()
            return
        }
        var piece = ""
        lock.lock()
        if let choices = json["choices"] as? [[String: Any]], let first = choices.first {
            if let delta = first["delta"] as? [String: Any], let text = delta["content"] as? String { piece = text }
            if let reason = first["finish_reason"] as? String { finishReason = reason }
        }
        if let usage = json["usage"] as? [String: Any] {
            promptTokens = usage["prompt_tokens"] as? Int ?? promptTokens
            completionTokens = usage["completion_tokens"] as? Int ?? completionTokens
        }
        content += piece
        lock.unlock()
        if !piece.isEmpty { onToken(piece) }
    }

    func finish(body: Data) throws -> ChatResponse {
        lock.lock()
        let rest = parser.finish()
        lock.unlock()
        rest.forEach(handle)
        lock.lock()
        defer { lock.unlock() }
        if let badChunk {
            throw ProviderError.badResponse("stream chunk is not JSON: \(Formatting.snippet(badChunk, 120))")
        }
        guard done || finishReason != nil else {
            let raw = String(decoding: body.prefix(200), as: UTF8.self)
            throw ProviderError.truncatedStream("no [DONE] or finish_reason after \(content.count) characters; body began \(Formatting.snippet(raw, 120))")
        }
        var final: [String: Any] = ["choices": [["message": ["role": "assistant", "content": content],
                                                   "finish_reason": finishReason.map { $0 as Any } ?? NSNull()]]]
        if promptTokens != nil || completionTokens != nil {
            final["usage"] = ["prompt_tokens": promptTokens ?? 0, "completion_tokens": completionTokens ?? 0]
        }
        let raw = (try? JSONSerialization.data(withJSONObject: final, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        return ChatResponse(content: content, promptTokens: promptTokens, completionTokens: completionTokens,
                            finishReason: finishReason, raw: raw)
    }
}
