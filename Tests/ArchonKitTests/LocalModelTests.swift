// The real embedded model (llama.cpp + SmolLM2) through the interpreter, recorded in a real store.

import ArchonKit
import ArchonTestSupport
import XCTest

final class LocalModelTests: XCTestCase {
    func testAskIsRecordedAndDeterministicAtTemperatureZero() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let store = try SessionStore(path: dir.path("local.sqlite"))
        let interpreter = try Interpreter(store: store, kind: "test")
        let defined = await interpreter.execute("model tiny = local/smollm2 temperature=0 max_tokens=32")
        XCTAssertEqual(defined.status, .ok)
        let first = await interpreter.execute("ask tiny \"Name three primary colors.\"")
        XCTAssertEqual(first.status, .ok, first.output)
        XCTAssertFalse(first.output.isEmpty)
        XCTAssertTrue(first.footer?.hasPrefix("[2] tiny · local/smollm2 · ") ?? false, first.footer ?? "")
        // The model itself, not the response cache, must give the same text again.
        _ = await interpreter.execute("set cache off")
        let second = await interpreter.execute("ask tiny \"Name three primary colors.\"")
        XCTAssertEqual(second.output, first.output, "temperature 0 gives the same text")
        let again = try store.calls(cell: try store.cell(session: interpreter.sessionID, number: 4).id!)
        XCTAssertEqual(again.map(\.cached), [false], "that answer came from the model")

        let sid = interpreter.sessionID
        let cell = try store.cell(session: sid, number: 2)
        XCTAssertEqual(cell.status, "ok")
        let calls = try store.calls(cell: cell.id!)
        XCTAssertEqual(calls.count, 1)
        let call = try XCTUnwrap(calls.first)
        XCTAssertEqual(call.provider, "local")
        XCTAssertEqual(call.content, first.output)
        XCTAssertGreaterThan(call.promptTokens ?? 0, 0)
        XCTAssertGreaterThan(call.completionTokens ?? 0, 0)
        XCTAssertTrue(call.request.contains("\"temperature\":0"), call.request)
        XCTAssertTrue(call.request.contains("Name three primary colors."))
        XCTAssertTrue(call.response?.contains("\"choices\"") ?? false)
    }

    func testStreamingDeliversTheWholeAnswerInPieces() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let interpreter = try Interpreter(store: try SessionStore(path: dir.path("s.sqlite")), kind: "test", streaming: true)
        _ = await interpreter.execute("model tiny = local/smollm2 temperature=0 max_tokens=24")
        let pieces = PieceBox()
        let r = await interpreter.execute("ask tiny \"Say hello.\"") { pieces.append($0) }
        XCTAssertEqual(r.status, .ok, r.output)
        XCTAssertTrue(r.streamed)
        XCTAssertEqual(pieces.joined, r.output)
    }
}
