// The code sandbox passes correct code (every canonical HumanEval solution) and fails wrong code; the
// hostile candidates are in HostileSandboxTests.

import ArchonKit
import ArchonTestSupport
import XCTest

final class CodeSandboxTests: XCTestCase {
    var sandbox: CodeSandbox {
        var s = CodeSandbox()
        s.timeout = 5
        return s
    }

    func testEveryCanonicalHumanEvalSolutionPassesItsTests() async throws {
        try CodeSandbox.requireAvailable()
        let root = repositoryRoot.appendingPathComponent("datasets")
        let items = Array(try DatasetRegistry.load("humaneval", root: root).items.prefix(10))
        for item in items {
            let program = CodeSandbox.humanEvalProgram(prompt: item.turns[0], completion: item.reference!, tests: item.tests!,
                                                       entryPoint: item.entryPoint!)
            let r = await sandbox.run(candidate: program.candidate, tests: program.tests)
            XCTAssertTrue(r.passed, "\(item.id): \(r.output)")
        }
        let wrong = CodeSandbox.humanEvalProgram(prompt: items[0].turns[0], completion: "    return False\n",
                                                 tests: items[0].tests!, entryPoint: items[0].entryPoint!)
        let r = await sandbox.run(candidate: wrong.candidate, tests: wrong.tests)
        XCTAssertFalse(r.passed)
    }

    func testASyntaxErrorInTheCandidateFails() async throws {
        try CodeSandbox.requireAvailable()
        let r = await sandbox.run(candidate: "def f(:\n", tests: "assert True")
        XCTAssertFalse(r.passed)
        XCTAssertTrue(r.output.contains("SyntaxError"), r.output)
    }

    /// A slow but correct solution passes however many runs a bench starts at once: the time limit is
    /// the program's own CPU time, and runs beyond the machine's cores wait their turn instead of
    /// sharing a core against the clock (MBPP 123, ~4 s of CPU, timed out in CI this way).
    func testASlowCorrectSolutionPassesUnderConcurrentRuns() async throws {
        try CodeSandbox.requireAvailable()
        var s = CodeSandbox()
        s.timeout = 3
        let limited = s
        // About a second of CPU each (calibrated here so the test means the same on any machine).
        let start = ContinuousClock.now
        let probe = await limited.run(candidate: "def spin(n):\n    t = 0\n    for i in range(n):\n        t += i % 7\n    return t\n",
                                      tests: "spin(4_000_000)")
        XCTAssertTrue(probe.passed, probe.output)
        let one = (ContinuousClock.now - start) / .seconds(1)
        let n = max(1_000_000, Int(4_000_000 * 1.2 / max(0.05, one)))
        let runs = ProcessInfo.processInfo.activeProcessorCount * 4
        let results = await withTaskGroup(of: SandboxResult.self) { group in
            for _ in 0..<runs {
                group.addTask {
                    await limited.run(candidate: "def spin(n):\n    t = 0\n    for i in range(n):\n        t += i % 7\n    return t\n",
                                      tests: "spin(\(n))")
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(results.filter(\.passed).count, runs, results.filter { !$0.passed }.map(\.output).joined(separator: "\n"))
        XCTAssertFalse(results.contains(where: \.timedOut))
    }
}
