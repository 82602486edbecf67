// The OpenAI-compatible provider over libcurl, against a fake server's faults.

import ArchonKit
import ArchonTestSupport
import XCTest

final class ProviderTests: XCTestCase {
    nonisolated(unsafe) static var server: FakeServer!

    override class func setUp() {
        server = try! FakeServer()
    }

    override class func tearDown() {
        server.stop()
    }

    func model(_ mode: String, timeout: Double? = nil) -> ModelSpec {
        ModelSpec(name: "fake", provider: "compatible", model: "echo", parameters: .init(temperature: 0, maxTokens: 16),
                  baseURL: Self.server.baseURL(mode), timeout: timeout)
    }

    func complete(_ mode: String, stream: Bool = false, timeout: Double? = nil) async throws -> ChatResponse {
        let pieces = PieceBox()
        let onToken: (@Sendable (String) -> Void)? = stream ? { @Sendable s in pieces.append(s) } : nil
        let r = try await OpenAICompatibleProvider().complete(
            ChatRequest(messages: [.user("hello there")]), model: model(mode, timeout: timeout), onToken: onToken)
        if stream { XCTAssertEqual(pieces.joined, r.content, "streamed pieces add up to the answer") }
        return r
    }

    func expect(_ mode: String, stream: Bool = false, timeout: Double? = nil,
                _ check: (ProviderError) -> Bool, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            let r = try await complete(mode, stream: stream, timeout: timeout)
            XCTFail("expected an error, got \(r.content)", file: file, line: line)
        } catch let e as ProviderError {
            XCTAssertTrue(check(e), "unexpected error: \(e)", file: file, line: line)
        } catch {
            XCTFail("not a ProviderError: \(error)", file: file, line: line)
        }
    }

    func testPlainAndStreamedAnswers() async throws {
        let plain = try await complete("ok")
        XCTAssertEqual(plain.content, "echo: hello there")
        XCTAssertEqual(plain.promptTokens, 2)
        XCTAssertEqual(plain.completionTokens, 3)
        let streamed = try await complete("ok", stream: true)
        XCTAssertEqual(streamed.content, "echo: hello there")
        XCTAssertEqual(streamed.completionTokens, 3)
    }

    func testServerErrorIsAnHTTPError() async {
        await expect("status-500") { if case .http(500, let body, _) = $0 { body.contains("fake status 500") } else { false } }
        await expect("status-429", stream: true) { if case .http(429, _, _) = $0 { true } else { false } }
    }

    func testGarbledBodyIsABadResponseWithItsFirstBytes() async {
        await expect("garbled") { if case .badResponse(let s) = $0 { s.contains("<html>upstream error") } else { false } }
    }

    func testTruncatedStreamAndBody() async {
        await expect("truncated", stream: true) { if case .truncatedStream = $0 { true } else { false } }
        await expect("truncated") {
            switch $0 {
            case .transport, .badResponse: true
            default: false
            }
        }
    }

    func testTimeoutAndReset() async {
        await expect("hang", timeout: 1) { $0 == .timeout(1) }
        await expect("reset") { if case .transport = $0 { true } else { false } }
    }

    func testMissingKeyNamesTheVariable() async {
        let m = ModelSpec(name: "g", provider: "openai", model: "gpt-4o-mini")
        do {
            _ = try await OpenAICompatibleProvider(environment: [:]).complete(ChatRequest(messages: [.user("x")]), model: m, onToken: nil)
            XCTFail("expected missing key")
        } catch {
            XCTAssertEqual("\(error)", "model 'g' needs an API key — set the environment variable OPENAI_API_KEY")
        }
    }

    func testCancellationAbortsAHangingRequestQuickly() async throws {
        let provider = OpenAICompatibleProvider()
        let m = model("hang")
        let task = Task { try await provider.complete(ChatRequest(messages: [.user("x")]), model: m, onToken: nil) }
        try await Task.sleep(nanoseconds: 300_000_000)
        let start = Date()
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertEqual(error as? ProviderError, .cancelled)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5, "cancel returns within a second or so")
    }

    func testSSEParserSplitsAcrossChunks() {
        var p = SSEParser()
        XCTAssertEqual(p.feed(Data("data: {\"a\"".utf8)), [])
        XCTAssertEqual(p.feed(Data(":1}\r\n\r\ndata: x\n".utf8)), ["{\"a\":1}"])
        XCTAssertEqual(p.feed(Data("data: y\n\n: comment\n\n".utf8)), ["x\ny"])
        XCTAssertEqual(p.finish(), [])
    }
}

final class PieceBox: @unchecked Sendable {
    private let lock = NSLock()
    private var pieces: [String] = []
    func append(_ s: String) { lock.withLock { pieces.append(s) } }
    var joined: String { lock.withLock { pieces.joined() } }
}
