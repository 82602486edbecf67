// The response cache: content-addressed by the canonical request and sample index.

import ArchonKit
import ArchonTestSupport
import XCTest

final class CacheTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    /// Two identical instances in one layer give two candidates live and the same two from the cache.
    func testTwinInstancesInALayerHaveTheirOwnCacheKeys() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let server = try FakeServer()
        defer { server.stop() }
        let store = try SessionStore(path: dir.path("t.sqlite"))
        let i = try Interpreter(store: store, kind: "test")
        _ = await i.execute("model hot = compatible/c base_url=\(server.baseURL("counter")) temperature=1")
        _ = await i.execute("arch twins = gen(hot) + gen(hot)")
        let live = await i.execute("ask twins \"Name a colour.\"")
        _ = await i.execute("ask twins \"Name a colour.\"")
        XCTAssertEqual(live.status, .ok, live.output)
        let sid = i.sessionID
        func contents(_ cell: Int) throws -> [String] {
            try store.calls(cell: try store.cell(session: sid, number: cell).id!).map { $0.content ?? "" }.sorted()
        }
        XCTAssertEqual(Set(try contents(3)).count, 2, "live: two different candidates")
        XCTAssertEqual(try contents(4), try contents(3), "from the cache: the same two, not one twice")
        XCTAssertTrue(try store.calls(cell: try store.cell(session: sid, number: 4).id!).allSatisfy(\.cached))
    }

    /// A sampling model in-process: every request draws a new answer, so a repeated answer can only
    /// have come from the cache.
    static func sampling() -> ScriptedProvider {
        ScriptedProvider { _, _ in "answer-\(UInt32.random(in: 0...UInt32.max))" }
    }

    func testSampledAnswersAreServedAgainUntilTurnedOffOrRefreshed() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let store = try SessionStore(path: dir.path("c.sqlite"))
        let provider = Self.sampling()
        let i = try Interpreter(store: store, kind: "test", providers: { _ in provider })
        _ = await i.execute("model warm = local/smollm2 temperature=1.2 max_tokens=24")
        let first = await i.execute("ask warm \"Invent a name for a cat.\"")
        let second = await i.execute("ask warm \"Invent a name for a cat.\"")
        XCTAssertEqual(first.status, .ok, first.output)
        XCTAssertEqual(second.output, first.output, "a sampled answer is served again from the cache")
        XCTAssertTrue(second.footer?.contains("from cache") ?? false, second.footer ?? "")
        let sid = i.sessionID
        func cachedFlags(_ cell: Int) throws -> [Bool] { try store.calls(cell: try store.cell(session: sid, number: cell).id!).map(\.cached) }
        XCTAssertEqual(try cachedFlags(2), [false])
        XCTAssertEqual(try cachedFlags(3), [true])
        let shown = await i.execute("show 3")
        XCTAssertTrue(shown.output.contains(" · cached"), shown.output)

        _ = await i.execute("set cache off")
        _ = await i.execute("ask warm \"Invent a name for a cat.\"")
        XCTAssertEqual(try cachedFlags(6), [false], "off: the model is called")
        _ = await i.execute("set cache refresh")
        let refreshed = await i.execute("ask warm \"Invent a name for a cat.\"")
        XCTAssertEqual(try cachedFlags(8), [false])
        _ = await i.execute("set cache on")
        let after = await i.execute("ask warm \"Invent a name for a cat.\"")
        XCTAssertEqual(try cachedFlags(10), [true])
        XCTAssertEqual(after.output, refreshed.output, "the newest answer is what the cache serves")
        XCTAssertEqual(provider.requests.count, 3, "the first ask, cache off, refresh")

        let summary = try store.session(sid)
        XCTAssertEqual(summary.cachedCalls, 2)
        XCTAssertGreaterThan(summary.savedTokens, 0)
        XCTAssertTrue(SessionReport.sessions([summary]).contains("2 ("), SessionReport.sessions([summary]))
    }

    func testAVariantSharingTheFirstLayerReusesItsGenerations() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let store = try SessionStore(path: dir.path("v.sqlite"))
        let provider = Self.sampling()
        let i = try Interpreter(store: store, kind: "test", providers: { _ in provider })
        _ = await i.execute("model warm = local/smollm2 temperature=1.0 max_tokens=16")
        _ = await i.execute("model tiny = local/smollm2 temperature=0 max_tokens=16")
        _ = await i.execute("arch a = gen(warm, samples=3) | rank(tiny, top_k=1)")
        _ = await i.execute("arch b = gen(warm, samples=3) | fuse(tiny)")
        let ra = await i.execute("ask a \"Name a river.\"")
        let rb = await i.execute("ask b \"Name a river.\"")
        XCTAssertEqual(ra.status, .ok, ra.output)
        XCTAssertEqual(rb.status, .ok, rb.output)
        let sid = i.sessionID
        let calls = try store.calls(cell: try store.cell(session: sid, number: 6).id!)
        XCTAssertEqual(calls.filter { $0.layer == 1 }.map(\.cached), [true, true, true], "the three samples are reused")
        XCTAssertEqual(calls.filter { $0.layer == 2 }.map(\.cached), [false], "the new fuser layer calls the model")
        let first = LayerTrace.decode(try store.layers(cell: try store.cell(session: sid, number: 5).id!))[0].candidatesOut.map(\.text)
        let second = LayerTrace.decode(try store.layers(cell: try store.cell(session: sid, number: 6).id!))[0].candidatesOut.map(\.text)
        XCTAssertEqual(first, second, "sample k is the same k-th sample")
        XCTAssertEqual(provider.requests.count, 3 + 1 + 1, "three samples, a ranker, a fuser")
        XCTAssertEqual(provider.requests.filter { $0.request.sampleIndex > 0 }.map(\.request.parameters.seed), [nil, nil],
                       "unseeded samples are told apart by their index, not a seed")
    }

    func testFailedCallsAreNotCached() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.remove() }
        let i = try Interpreter(store: try SessionStore(path: dir.path("f.sqlite")), kind: "test")
        _ = await i.execute("model f = compatible/echo base_url=\(server.baseURL("status-500")) retries=0")
        let a = await i.execute("ask f \"x\"")
        let b = await i.execute("ask f \"x\"")
        XCTAssertEqual(a.status, .error)
        XCTAssertEqual(b.status, .error)
        XCTAssertEqual(try server.stats().requests, 2, "the failure was not served from the cache")
    }
}
