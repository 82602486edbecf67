// The unit-test evaluator honours first_k / the reference's first_pass: it judges candidates in order
// and stops at the first that passes every test, as the reference does.

import ArchonKit
import ArchonTestSupport
import XCTest

final class UnitTestEvaluatorTests: XCTestCase {
    func testFirstPassStopsAtTheFirstCandidateThatPassesEveryTest() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let model = ModelSpec(name: "judge", provider: "compatible", model: "j", baseURL: server.baseURL("allpass"))
        var c = Component(kind: .unitTestEvaluator, model: model)
        c.firstK = 1
        let candidates = (1...5).map { Candidate(text: "answer \($0)", origin: "gen #\($0)") }
        let state = CandidateState(query: [.user("Write a function that adds two numbers.")], candidates: candidates,
                                   unitTests: ["add(1, 2) == 3", "add(0, 0) == 0"])
        let openai = OpenAICompatibleProvider(environment: [:])
        let client = ModelClient(provider: { _ in openai }, recorder: nil)
        let outcome = try await UnitTestEvaluator.run(c, state: state, ctx: TechniqueContext(client: client, layer: 2))
        XCTAssertEqual(outcome.state.candidates.map(\.text), ["answer 1"], "the first candidate passing every test is kept")
        XCTAssertEqual(try server.stats().requests, 1, "judging stopped after the first: 1 call, not 5")
        XCTAssertTrue(outcome.notes.contains { $0.contains("stopped after 1 of 5") }, outcome.notes.joined(separator: "\n"))

        // Without first_k every candidate is judged.
        c.firstK = nil
        _ = try await UnitTestEvaluator.run(c, state: state, ctx: TechniqueContext(client: client, layer: 2))
        XCTAssertEqual(try server.stats().requests, 6)
    }

    func testTheReferencesFirstPassKeyIsRead() throws {
        let dir = repositoryRoot.appendingPathComponent("Tests/Fixtures/archon-configs")
        let imported = try ArchonConfig.load(path: dir.appendingPathComponent(
            "archon-gpt-4o-sample_5_then_unit_test_generation_5_with_gpt-4o_then_unit_test_evaluation_with_gpt-4o_first_pass.json").path)
        let evaluator = try XCTUnwrap(imported.architecture.layers.last?.components.first)
        XCTAssertEqual(evaluator.kind, .unitTestEvaluator)
        XCTAssertEqual(evaluator.firstK, 1, "first_pass: true means first_k = 1 in the reference")
        XCTAssertFalse(imported.warnings.contains { $0.contains("first_pass") }, imported.warnings.joined(separator: "\n"))
    }
}

/// Tests-first architectures show the tests to later generators, as the reference does.
final class TestsFirstTests: XCTestCase {
    func testAGeneratorAfterUnitTestsIsAskedToPassThem() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let model = ModelSpec(name: "g", provider: "compatible", model: "g", baseURL: server.baseURL())
        let state = CandidateState(query: [.user("Write add(a, b).")], unitTests: ["add(1, 2) == 3", "add(0, 0) == 0"])
        let openai = OpenAICompatibleProvider(environment: [:])
        let client = ModelClient(provider: { _ in openai }, recorder: nil)
        let outcome = try await Generator.run(Component(kind: .generator, model: model), state: state,
                                              ctx: TechniqueContext(client: client, layer: 2))
        XCTAssertEqual(outcome.state.candidates.first?.text,
                       "echo: Write add(a, b). Your response should pass the following unit tests: \n- add(1, 2) == 3\n- add(0, 0) == 0")
        let plain = try await Generator.run(Component(kind: .generator, model: model), state: CandidateState(query: [.user("Write add(a, b).")]),
                                            ctx: TechniqueContext(client: client, layer: 1))
        XCTAssertEqual(plain.state.candidates.first?.text, "echo: Write add(a, b).", "without tests the query is sent as it is")
    }
}
