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
}
