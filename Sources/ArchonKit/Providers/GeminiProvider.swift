// Google Gemini generateContent: roles user/model, a system instruction, usage metadata.

import Foundation

/// `POST {base}/models/{model}:generateContent` (or `:streamGenerateContent?alt=sse`) with `x-goog-api-key`.
public struct GeminiProvider: ChatProvider {
    let http: HTTPClient
    let environment: [String: String]

    public init(http: HTTPClient = .shared, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.http = http
        self.environment = environment
    }

    public func endpoint(for model: ModelSpec) -> String { ProviderPreset.baseURL(for: model, environment: environment) ?? "" }

    public static func body(_ request: ChatRequest) -> [String: Any] {
        let system = request.messages.filter { $0.role == "system" }.map(\.content).joined(separator: "\n\n")
        var body: [String: Any] = [
            "contents": request.messages.filter { $0.role != "system" }.map {
                ["role": $0.role == "assistant" ? "model" : "user", "parts": [["text": $0.content]]]
            },
        ]
        if !system.isEmpty { body["systemInstruction"] = ["parts": [["text": system]]] }
        var config: [String: Any] = [:]
        let p = request.parameters
        if let t = p.temperature { config["temperature"] = t }
        if let m = p.maxTokens { config["maxOutputTokens"] = m }
        if let t = p.topP { config["topP"] = t }
        if let s = p.seed { config["seed"] = s }
        if !config.isEmpty { body["generationConfig"] = config }
        return body
    }

    /// Gemini keys: `GEMINI_API_KEY`, falling back to `GOOGLE_API_KEY`.
    func model(withKeyFallback m: ModelSpec) -> ModelSpec {
        guard m.apiKeyEnv == nil, APIKeys.all("GEMINI_API_KEY", environment).isEmpty,
              !APIKeys.all("GOOGLE_API_KEY", environment).isEmpty else { return m }
        var copy = m
        copy.apiKeyEnv = "GOOGLE_API_KEY"
        return copy
    }

    public func complete(_ request: ChatRequest, model: ModelSpec,
                         onToken: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        let m = self.model(withKeyFallback: model)
        let payload = try JSONSerialization.data(withJSONObject: Self.body(request), options: [.sortedKeys])
        let url = endpoint(for: m) + "/models/\(m.model)" + (onToken == nil ? ":generateContent" : ":streamGenerateContent?alt=sse")
        return try await APIKeys.rotating(m, environment) { key in
            var headers = [("Content-Type", "application/json")]
            if let key { headers.append(("x-goog-api-key", key)) }
            let req = HTTPRequest(url: url, headers: headers, body: payload, timeout: m.timeout ?? 300)
            if let onToken {
                let collector = GeminiStream(onToken: onToken)
                let r = try await http.send(req) { collector.feed($0) }
                try ProviderError.check(r)
                return try collector.finish(r.body)
            }
            let r = try await http.send(req)
            try ProviderError.check(r)
            return try Self.parse(r.body)
        }
    }

    static func fields(_ json: [String: Any]) -> (text: String, finish: String?, prompt: Int?, output: Int?)? {
        guard let candidates = json["candidates"] as? [[String: Any]] else { return nil }
        let first = candidates.first
        let parts = (first?["content"] as? [String: Any])?["parts"] as? [[String: Any]] ?? []
        let usage = json["usageMetadata"] as? [String: Any]
        return (parts.compactMap { $0["text"] as? String }.joined(), first?["finishReason"] as? String,
                usage?["promptTokenCount"] as? Int, usage?["candidatesTokenCount"] as? Int)
    }

    public static func parse(_ body: Data) throws -> ChatResponse {
        let raw = String(decoding: body, as: UTF8.self)
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let f = fields(json) else {
            throw ProviderError.badResponse("not a generateContent response: \(Formatting.snippet(raw, 120))")
        }
        return ChatResponse(content: f.text, promptTokens: f.prompt, completionTokens: f.output, finishReason: f.finish, raw: raw)
    }
}

/// Reassembles a streamed generateContent answer; the stream is complete once a finishReason arrives.
final class GeminiStream: @unchecked Sendable {
    private let lock = NSLock()
    private var parser = SSEParser()
    private var text = ""
    private var prompt: Int?
    private var output: Int?
    private var finish: String?
    private var bad: String?
    private let onToken: @Sendable (String) -> Void

    init(onToken: @escaping @Sendable (String) -> Void) { self.onToken = onToken }

    func feed(_ chunk: Data) {
        let events = lock.withLock { parser.feed(chunk) }
        for e in events {
            guard let json = try? JSONSerialization.jsonObject(with: Data(e.utf8)) as? [String: Any],
                  let f = GeminiProvider.fields(json) else {
                lock.withLock { if bad == nil { bad = e } }
                continue
            }
            lock.withLock {
                text += f.text
                finish = f.finish ?? finish
                prompt = f.prompt ?? prompt
                output = f.output ?? output
            }
            if !f.text.isEmpty { onToken(f.text) }
        }
    }

    func finish(_ body: Data) throws -> ChatResponse {
        feed(Data("\n\n".utf8))
        return try lock.withLock {
            if let bad { throw ProviderError.badResponse("stream event is not JSON: \(Formatting.snippet(bad, 120))") }
            guard let finish else {
                throw ProviderError.truncatedStream("no finishReason after \(text.count) characters")
            }
            let raw = (try? JSONSerialization.data(withJSONObject: [
                "candidates": [["content": ["parts": [["text": text]], "role": "model"], "finishReason": finish]],
                "usageMetadata": ["promptTokenCount": prompt ?? 0, "candidatesTokenCount": output ?? 0],
            ], options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return ChatResponse(content: text, promptTokens: prompt, completionTokens: output, finishReason: finish, raw: raw)
        }
    }
}
