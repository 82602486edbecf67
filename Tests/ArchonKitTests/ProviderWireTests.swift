// Anthropic and Gemini wire formats, retries, Retry-After, key rotation, limits and cost,
// against the fake server; the real local model through the `llamacpp/` preset.

import ArchonKit
import ArchonTestSupport
import XCTest

/// Keeps recorded calls in memory.
final class MemoryRecorder: CallRecorder, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [CallRecord] = []
    func record(_ call: CallRecord) { lock.withLock { stored.append(call) } }
    var calls: [CallRecord] { lock.withLock { stored } }
}

final class ProviderWireTests: XCTestCase {
    nonisolated(unsafe) static var server: FakeServer!
    override class func setUp() { server = try! FakeServer() }
    override class func tearDown() { server.stop() }

    func last() throws -> [String: Any] {
        let box = PieceBox()
        let url = "http://127.0.0.1:\(Self.server.port)/last"
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let r = try? await HTTPClient.shared.send(HTTPRequest(url: url, method: "GET", timeout: 5))
            box.append(String(decoding: r?.body ?? Data(), as: UTF8.self))
            done.signal()
        }
        done.wait()
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(box.joined.utf8)) as? [String: Any])
    }

    let conversation: [ChatMessage] = [.system("Be brief."), .user("first"), .assistant("ok"), .user("hello there")]

    /// Each preset's base-URL variable points its models at another server (a box of one's own).
    func testEveryPresetsBaseURLVariableIsHonoured() async throws {
        let base = "http://127.0.0.1:\(Self.server.port)/ok/v1"
        let claude = ModelSpec(name: "c", provider: "anthropic", model: "claude-3-5-sonnet-20240620")
        let a = try await AnthropicProvider(environment: ["ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": base + "/"])
            .complete(ChatRequest(messages: [.user("hi")]), model: claude, onToken: nil)
        XCTAssertEqual(a.content, "echo: hi")
        XCTAssertEqual(try last()["path"] as? String, "/ok/v1/messages")
        let gemini = ModelSpec(name: "g", provider: "gemini", model: "gemini-1.5-pro")
        let g = try await GeminiProvider(environment: ["GEMINI_API_KEY": "k", "GEMINI_BASE_URL": "http://127.0.0.1:\(Self.server.port)/ok/v1beta"])
            .complete(ChatRequest(messages: [.user("hi")]), model: gemini, onToken: nil)
        XCTAssertEqual(g.content, "echo: hi")
        XCTAssertEqual(try last()["path"] as? String, "/ok/v1beta/models/gemini-1.5-pro:generateContent")
        for (provider, variable) in [("together", "TOGETHER_BASE_URL"), ("groq", "GROQ_BASE_URL"), ("openrouter", "OPENROUTER_BASE_URL"),
                                     ("deepseek", "DEEPSEEK_BASE_URL"), ("fireworks", "FIREWORKS_BASE_URL"), ("vllm", "VLLM_BASE_URL"),
                                     ("ollama", "OLLAMA_BASE_URL"), ("llamacpp", "LLAMACPP_BASE_URL"), ("openai", "OPENAI_BASE_URL")] {
            XCTAssertEqual(ProviderPreset.named(provider)?.baseURLEnv, variable)
            let m = ModelSpec(name: "m", provider: provider, model: "x")
            let r = try await OpenAICompatibleProvider(environment: [variable: base, "TOGETHER_API_KEY": "k", "GROQ_API_KEY": "k", "OPENROUTER_API_KEY": "k",
                                                                     "DEEPSEEK_API_KEY": "k", "FIREWORKS_API_KEY": "k", "OPENAI_API_KEY": "k"])
                .complete(ChatRequest(messages: [.user("hi \(provider)")]), model: m, onToken: nil)
            XCTAssertEqual(r.content, "echo: hi \(provider)", provider)
        }
    }

    func testAnthropicMessagesWireFormat() async throws {
        var m = ModelSpec(name: "claude", provider: "anthropic", model: "claude-3-5-sonnet-20240620", parameters: .init(temperature: 0.2))
        m.baseURL = "http://127.0.0.1:\(Self.server.port)/ok/v1"
        let p = AnthropicProvider(environment: ["ANTHROPIC_API_KEY": "k-1"])
        let r = try await p.complete(ChatRequest(messages: conversation, parameters: .init(temperature: 0.2)), model: m, onToken: nil)
        XCTAssertEqual(r.content, "echo: hello there")
        XCTAssertEqual(r.promptTokens, 2)
        XCTAssertEqual(r.completionTokens, 3)
        let sent = try last()
        XCTAssertEqual(sent["path"] as? String, "/ok/v1/messages")
        let headers = try XCTUnwrap(sent["headers"] as? [String: String])
        XCTAssertEqual(headers["x-api-key"], "k-1")
        XCTAssertEqual(headers["anthropic-version"], "2023-06-01")
        XCTAssertNil(headers["authorization"])
        let body = try XCTUnwrap(sent["body"] as? [String: Any])
        XCTAssertEqual(body["system"] as? String, "Be brief.")
        XCTAssertEqual(body["max_tokens"] as? Int, AnthropicProvider.defaultMaxTokens)
        XCTAssertEqual((body["messages"] as? [[String: String]])?.map { $0["role"]! }, ["user", "assistant", "user"])

        let pieces = PieceBox()
        let s = try await p.complete(ChatRequest(messages: conversation), model: m, onToken: { pieces.append($0) })
        XCTAssertEqual(s.content, "echo: hello there")
        XCTAssertEqual(pieces.joined, s.content)
        XCTAssertEqual(s.promptTokens, 2)
        XCTAssertEqual(s.completionTokens, 3)
        m.baseURL = "http://127.0.0.1:\(Self.server.port)/truncated/v1"
        do {
            _ = try await p.complete(ChatRequest(messages: conversation), model: m, onToken: { _ in })
            XCTFail("a cut stream must fail")
        } catch let e as ProviderError {
            guard case .truncatedStream = e else { return XCTFail("\(e)") }
        }
    }

    func testGeminiGenerateContentWireFormat() async throws {
        var m = ModelSpec(name: "gem", provider: "gemini", model: "gemini-1.5-pro", parameters: .init(temperature: 0, maxTokens: 50))
        m.baseURL = "http://127.0.0.1:\(Self.server.port)/ok/v1beta"
        let p = GeminiProvider(environment: ["GOOGLE_API_KEY": "g-1"])
        let r = try await p.complete(ChatRequest(messages: conversation, parameters: m.parameters), model: m, onToken: nil)
        XCTAssertEqual(r.content, "echo: hello there")
        XCTAssertEqual(r.completionTokens, 3)
        let sent = try last()
        XCTAssertEqual(sent["path"] as? String, "/ok/v1beta/models/gemini-1.5-pro:generateContent")
        XCTAssertEqual((sent["headers"] as? [String: String])?["x-goog-api-key"], "g-1", "GOOGLE_API_KEY is used when GEMINI_API_KEY is unset")
        let body = try XCTUnwrap(sent["body"] as? [String: Any])
        XCTAssertEqual((body["contents"] as? [[String: Any]])?.map { $0["role"] as! String }, ["user", "model", "user"])
        XCTAssertNotNil(body["systemInstruction"])
        XCTAssertEqual((body["generationConfig"] as? [String: Any])?["maxOutputTokens"] as? Int, 50)

        let pieces = PieceBox()
        let s = try await p.complete(ChatRequest(messages: conversation), model: m, onToken: { pieces.append($0) })
        XCTAssertEqual(s.content, "echo: hello there")
        XCTAssertEqual(pieces.joined, s.content)
        XCTAssertEqual(try last()["path"] as? String, "/ok/v1beta/models/gemini-1.5-pro:streamGenerateContent?alt=sse")
    }

    func client(_ recorder: MemoryRecorder, concurrency: Int = 64, prices: Pricing = Pricing()) -> ModelClient {
        let env = ["ROT_KEY": "bad-key", "ROT_KEY_2": "also-bad", "ROT_KEY_3": "good-key"]
        let openai = OpenAICompatibleProvider(environment: env)
        return ModelClient(provider: { _ in openai }, recorder: recorder, concurrency: concurrency, pricing: prices,
                           retry: RetryPolicy(maxRetries: 3, baseDelay: 0.05, maxDelay: 5))
    }

    func fake(_ mode: String, _ extra: (inout ModelSpec) -> Void = { _ in }) -> ModelSpec {
        var m = ModelSpec(name: "f", provider: "compatible", model: "echo", baseURL: Self.server.baseURL(mode))
        extra(&m)
        return m
    }

    func testRetriesOn5xxThenSucceedsAndRecordsEveryAttempt() async throws {
        let rec = MemoryRecorder()
        let r = try await client(rec).complete(model: fake("flaky-2"), messages: [.user("x")])
        XCTAssertEqual(r.content, "echo: x")
        let call = try XCTUnwrap(rec.calls.first)
        XCTAssertEqual(call.attempts, 3)
        XCTAssertNil(call.error)
        XCTAssertEqual(call.attemptLog?.components(separatedBy: " | ").count, 2)
        XCTAssertTrue(call.attemptLog?.hasPrefix("1: HTTP 503") ?? false, call.attemptLog ?? "")
    }

    func testGivesUpAfterRetriesAndNeverRetriesOther4xx() async throws {
        let rec = MemoryRecorder()
        do {
            _ = try await client(rec).complete(model: fake("flaky-9") { $0.retries = 1 }, messages: [.user("x")])
            XCTFail("expected failure")
        } catch {}
        XCTAssertEqual(rec.calls.last?.attempts, 2)
        XCTAssertTrue(rec.calls.last?.error?.hasPrefix("HTTP 503") ?? false)
        do {
            _ = try await client(rec).complete(model: fake("status-400"), messages: [.user("x")])
            XCTFail("expected failure")
        } catch {}
        XCTAssertEqual(rec.calls.last?.attempts, 1, "a 400 is not retried")
        do {
            _ = try await client(rec).complete(model: fake("garbled"), messages: [.user("x")])
            XCTFail("expected failure")
        } catch {}
        XCTAssertEqual(rec.calls.last?.attempts, 1, "a garbled body is recorded, not retried")
        XCTAssertTrue(rec.calls.last?.error?.contains("<html>upstream error") ?? false)
    }

    func testHonoursRetryAfter() async throws {
        let rec = MemoryRecorder()
        let start = Date()
        _ = try await client(rec).complete(model: fake("limited-1"), messages: [.user("x")])
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.95, "waited the server's Retry-After: 1")
        XCTAssertEqual(rec.calls.first?.attempts, 2)
        XCTAssertTrue(rec.calls.first?.attemptLog?.contains("waited 1.00 s") ?? false, rec.calls.first?.attemptLog ?? "")
        XCTAssertEqual(RetryPolicy.parseRetryAfter("7"), 7)
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT",
                                                   now: Date(timeIntervalSince1970: 1_445_412_480)), 10)
        XCTAssertLessThanOrEqual(RetryPolicy().delay(retry: 3, after: ProviderError.timeout(1), random: 1), 2)
    }

    func testRotatesKeysOn401InNumericOrder() async throws {
        let rec = MemoryRecorder()
        let r = try await client(rec).complete(model: fake("keyed") { $0.apiKeyEnv = "ROT_KEY" }, messages: [.user("k")])
        XCTAssertEqual(r.content, "echo: k")
        XCTAssertEqual(try last()["headers"].flatMap { ($0 as? [String: String])?["authorization"] }, "Bearer good-key")
        XCTAssertEqual(APIKeys.all("ROT", ["ROT": "a", "ROT_2": "b", "ROT_4": "d"]), ["a", "b"])
        XCTAssertFalse(rec.calls.contains { $0.request.contains("good-key") }, "keys never reach the record")
        // Three requests were sent: the call says so, and which keys were refused.
        let call = try XCTUnwrap(rec.calls.last)
        XCTAssertEqual(call.attempts, 3)
        XCTAssertEqual(call.attemptLog, "key rotation: ROT_KEY answered HTTP 401; tried ROT_KEY_2 | key rotation: ROT_KEY_2 answered HTTP 401; tried ROT_KEY_3")
    }

    func testConcurrencyLimitAcrossModels() async throws {
        let rec = MemoryRecorder()
        let c = client(rec, concurrency: 4)
        let m = fake("slow-100")
        _ = try await withThrowingTaskGroup(of: Void.self) { g in
            for i in 0..<16 { g.addTask { _ = try await c.complete(model: m, messages: [.user("\(i)")], sampleIndex: i) } }
            try await g.waitForAll()
        }
        let stats = try Self.server.stats()
        XCTAssertLessThanOrEqual(stats.maxInFlight, 4)
        XCTAssertGreaterThanOrEqual(stats.maxInFlight, 3)
    }

    func testRequestsPerMinuteLimitHoldsTheThirdRequest() async throws {
        let limiter = RateLimiter(rpm: 2, tpm: nil)
        try await limiter.acquire(tokens: 1)
        try await limiter.acquire(tokens: 1)
        let third = Task { try await limiter.acquire(tokens: 1) }
        try await Task.sleep(nanoseconds: 500_000_000)
        third.cancel()
        do {
            try await third.value
            XCTFail("the third request within a minute must wait")
        } catch {}
    }

    func testCostIsRecordedWhenPricedAndUnknownOtherwise() async throws {
        let rec = MemoryRecorder()
        let prices = Pricing(table: ["compatible/echo": .init(input: 1_000_000, output: 2_000_000)])
        _ = try await client(rec, prices: prices).complete(model: fake("ok"), messages: [.user("one two")])
        XCTAssertEqual(rec.calls.last?.cost, 2 * 1.0 + 3 * 2.0, "2 prompt tokens at $1 each, 3 completion tokens at $2")
        _ = try await client(rec).complete(model: fake("ok"), messages: [.user("x")])
        XCTAssertNil(rec.calls.last?.cost)
        XCTAssertEqual(Pricing.format(nil), "$?")
        XCTAssertEqual(Pricing().cost(for: ModelSpec(name: "l", provider: "local", model: "smollm2"), promptTokens: 5, completionTokens: 5), 0)
        let dir = TempDir()
        defer { dir.remove() }
        try #"{"openai/new-model": {"input": 1, "output": 3}}"#.write(toFile: dir.path("p.json"), atomically: true, encoding: .utf8)
        let loaded = try Pricing.load(environment: ["ARCHON_PRICES": dir.path("p.json")])
        XCTAssertEqual(loaded.price(for: ModelSpec(name: "n", provider: "openai", model: "new-model")), .init(input: 1, output: 3))
        XCTAssertNotNil(loaded.price(for: ModelSpec(name: "g", provider: "openai", model: "gpt-4o")))
        try "{oops".write(toFile: dir.path("bad.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Pricing.load(environment: ["ARCHON_PRICES": dir.path("bad.json")]))
    }

    func testTheLocalModelThroughTheLlamaCppPreset() async throws {
        let base = try await LocalModelServer.shared.baseURL()
        let m = ModelSpec(name: "lc", provider: "llamacpp", model: "smollm2", parameters: .init(temperature: 0, maxTokens: 16), baseURL: base)
        let rec = MemoryRecorder()
        let c = ModelClient(provider: { _ in OpenAICompatibleProvider() }, recorder: rec)
        let a = try await c.complete(model: m, messages: [.user("Say hi.")])
        let b = try await c.complete(model: m, messages: [.user("Say hi.")])
        XCTAssertFalse(a.content.isEmpty)
        XCTAssertEqual(a.content, b.content)
        XCTAssertEqual(rec.calls.first?.provider, "llamacpp")
    }
}
