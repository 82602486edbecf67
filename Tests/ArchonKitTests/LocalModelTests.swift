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

    /// Seeded samples differ (each gets its own seed from the model's seed and its index), and a
    /// fresh run without the cache draws the very same ones.
    func testSeededSamplesDifferAndAreReproducible() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        var runs: [[String]] = []
        for run in 0..<2 {
            let store = try SessionStore(path: dir.path("seed\(run).sqlite"))
            let interpreter = try Interpreter(store: store, kind: "test")
            _ = await interpreter.execute("model warm = local/smollm2 temperature=0.8 seed=7 max_tokens=24")
            _ = await interpreter.execute("arch three = gen(warm, samples=3)")
            let r = await interpreter.execute("ask three \"Write one sentence about the sea.\"")
            XCTAssertEqual(r.status, .ok, r.output)
            let calls = try store.calls(session: interpreter.sessionID)
            XCTAssertEqual(calls.count, 3)
            let seeds = calls.sorted { $0.sampleIndex < $1.sampleIndex }.map { call in
                call.request.firstMatch(of: #/"seed":(\d+)/#).map { String($0.output.1) } ?? "none"
            }
            XCTAssertEqual(seeds[0], "7", "sample 1 keeps the model's seed")
            XCTAssertEqual(Set(seeds).count, 3, "each sample has its own seed: \(seeds)")
            XCTAssertEqual(seeds[1], String(ModelClient.sampleSeed(7, sample: 1)))
            runs.append(calls.sorted { $0.sampleIndex < $1.sampleIndex }.map { $0.content ?? "" })
        }
        XCTAssertGreaterThan(Set(runs[0]).count, 1, "seeded samples are not all the same: \(runs[0])")
        XCTAssertEqual(runs[0], runs[1], "a re-run draws the same samples")
    }
}
