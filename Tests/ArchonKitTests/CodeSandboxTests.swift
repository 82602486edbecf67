// The code sandbox contains hostile programs and reports each as a failure; the machine is unharmed.

import ArchonKit
import ArchonTestSupport
import XCTest

final class CodeSandboxTests: XCTestCase {
    var sandbox: CodeSandbox {
        var s = CodeSandbox()
        s.timeout = 3
        return s
    }

    func testPassingAndFailingPrograms() {
        let ok = sandbox.run("assert 1 + 1 == 2\nprint('fine')")
        XCTAssertTrue(ok.passed, ok.output)
        XCTAssertEqual(ok.output, "fine\n")
        let bad = sandbox.run("assert 1 + 1 == 3")
        XCTAssertFalse(bad.passed)
        XCTAssertTrue(bad.output.contains("AssertionError"), bad.output)
    }

    func testEveryCanonicalHumanEvalSolutionPassesItsTests() throws {
        let root = repositoryRoot.appendingPathComponent("datasets")
        let items = Array(try DatasetRegistry.load("humaneval", root: root).items.prefix(10))
        for item in items {
            let program = CodeSandbox.humanEvalProgram(prompt: item.turns[0], completion: item.reference!, tests: item.tests!,
                                                       entryPoint: item.entryPoint!)
            let r = sandbox.run(program)
            XCTAssertTrue(r.passed, "\(item.id): \(r.output)")
        }
        let wrong = CodeSandbox.humanEvalProgram(prompt: items[0].turns[0], completion: "    return False\n",
                                                 tests: items[0].tests!, entryPoint: items[0].entryPoint!)
        XCTAssertFalse(sandbox.run(wrong).passed)
    }

    func testHostileProgramsAreContained() throws {
        let loop = sandbox.run("while True:\n    pass")
        XCTAssertFalse(loop.passed)
        XCTAssertLessThan(loop.seconds, 6, "stopped by the time limit")

        let memory = sandbox.run("x = bytearray(10 * 1024 ** 3)\nprint('allocated')")
        XCTAssertFalse(memory.passed)
        XCTAssertFalse(memory.output.contains("allocated"))

        let bomb = sandbox.run("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass")
        XCTAssertFalse(bomb.passed)
        XCTAssertLessThan(bomb.seconds, 6)
        let leftovers = try runProcess("/usr/bin/pgrep", ["-u", "nobody", "-f", "main.py"]).stdout
        XCTAssertEqual(leftovers, "", "no process of the fork bomb outlives the sandbox")

        let bigFile = sandbox.run("with open('big', 'wb') as f:\n    f.write(b'x' * (64 * 1024 * 1024))\nprint('written')")
        XCTAssertFalse(bigFile.passed)
        XCTAssertFalse(bigFile.output.contains("written"))

        let outsider = TempDir()
        defer { outsider.remove() }
        let victim = outsider.path("keep.txt")
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        let delete = sandbox.run("import os\nos.remove(\(String(reflecting: victim)))\nprint('deleted')")
        XCTAssertFalse(delete.passed)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious")

        let chatty = sandbox.run("print('x' * 1000000)")
        XCTAssertTrue(chatty.output.hasSuffix("(output cut at 16384 bytes)"))
    }

    func testNoNetworkWhereTheKernelAllowsIt() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let r = sandbox.run("""
            import urllib.request
            urllib.request.urlopen('http://127.0.0.1:\(server.port)/stats', timeout=2)
            print('reached')
            """)
        guard r.networkIsolated else { throw XCTSkip("no network namespaces here: the sandbox reports networkIsolated = false") }
        XCTAssertFalse(r.passed)
        XCTAssertFalse(r.output.contains("reached"), r.output)
    }
}
