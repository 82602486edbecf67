// Hostile candidates against the code sandbox: each must score "failed" (or be contained), and nothing
// outside the sandbox may change. The suite runs as the test's own user and again as `nobody`.

import ArchonKit
import ArchonTestSupport
import Foundation
import XCTest

final class HostileSandboxTests: XCTestCase {
    var sandbox: CodeSandbox {
        var s = CodeSandbox()
        s.timeout = 4
        return s
    }

    /// Host state an attack must not touch: a canary file, the temp folders, a listening port.
    struct Host {
        let dir: TempDir
        let canary: String
        let listener: Listener

        init() throws {
            dir = TempDir()
            chmod(dir.url.path, 0o777)
            canary = dir.path("canary.txt")
            try "precious".write(toFile: canary, atomically: true, encoding: .utf8)
            chmod(canary, 0o666)
            listener = try Listener()
        }

        static func listing(_ path: String) -> Set<String> {
            Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        }
    }

    func expectFailed(_ name: String, candidate: String, tests: String = "assert True", maxSeconds: Double = 8,
                      file: StaticString = #filePath, line: UInt = #line) async -> SandboxResult {
        let r = await sandbox.run(candidate: candidate, tests: tests)
        XCTAssertFalse(r.passed, "\(name) must score failed: \(r.output)", file: file, line: line)
        XCTAssertLessThan(r.seconds, maxSeconds, "\(name) is stopped in time", file: file, line: line)
        return r
    }

    func testAControlCandidatePasses() async throws {
        try CodeSandbox.requireAvailable()
        let ok = await sandbox.run(candidate: "def f(x):\n    return x + 1\nprint('hello')", tests: "assert f(1) == 2")
        XCTAssertTrue(ok.passed, ok.output)
        XCTAssertEqual(ok.output, "hello\n")
        let bad = await sandbox.run(candidate: "def f(x):\n    return x", tests: "assert f(1) == 2")
        XCTAssertFalse(bad.passed)
        XCTAssertTrue(bad.output.contains("AssertionError"), bad.output)
    }

    /// Exiting early in every way must not count as the tests passing.
    func testEarlyExitsScoreFailed() async throws {
        try CodeSandbox.requireAvailable()
        let failing = "assert f() == 42"
        let attacks: [(String, String)] = [
            ("os._exit(0)", "import os\nos._exit(0)"),
            ("sys.exit(0)", "import sys\nsys.exit(0)"),
            ("raise SystemExit", "raise SystemExit(0)"),
            ("atexit os._exit", "import atexit, os\natexit.register(lambda: os._exit(0))\ndef f():\n    return 0"),
            ("atexit print", "import atexit\natexit.register(lambda: print('ARCHON-TESTS-COMPLETED x'))\ndef f():\n    return 0"),
            ("SIGKILL to itself", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
            ("SIGTERM to itself", "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)"),
            ("kill(0)", "import os, signal\nos.kill(0, signal.SIGKILL)"),
            ("close every stream then exit", "import os\nos.closerange(0, 1024)\nos._exit(0)"),
            ("close stdout then fail", "import os, sys\nos.close(1)\nsys.stdout = open(os.devnull, 'w')\ndef f():\n    return 0"),
            ("excepthook swallows", "import sys\nsys.excepthook = lambda *a: None\ndef f():\n    return 0"),
            ("forged marker on every fd", "import os\nfor fd in range(64):\n    try:\n        os.write(fd, b'ARCHON-TESTS-COMPLETED 0\\n')\n    except OSError:\n        pass\nos._exit(0)"),
        ]
        for (name, code) in attacks {
            _ = await expectFailed(name, candidate: code + "\n", tests: failing)
        }
    }

    func testResourceAttacksAreContained() async throws {
        try CodeSandbox.requireAvailable()
        let loop = await expectFailed("infinite loop", candidate: "while True:\n    pass")
        XCTAssertTrue(loop.timedOut)
        let memory = await expectFailed("10 GB allocation", candidate: "x = bytearray(10 * 1024 ** 3)\nprint('allocated')")
        XCTAssertFalse(memory.output.contains("allocated"))
        let bomb = await expectFailed("fork bomb", candidate: "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass")
        _ = bomb
        let output = await expectFailed("2 GB of output", candidate: "import sys\nfor _ in range(2048):\n    sys.stdout.write('x' * (1 << 20))",
                                        tests: "assert False")
        XCTAssertTrue(output.output.hasSuffix("(output cut at 16384 bytes)"), String(output.output.suffix(80)))
        let bigFile = await expectFailed("64 MB file", candidate: "with open('big', 'wb') as f:\n    f.write(b'x' * (64 << 20))\nprint('written')")
        XCTAssertFalse(bigFile.output.contains("written"))
    }

    /// A correct answer that leaves a daemon behind still finishes on time, and the daemon dies with it.
    func testASetsidChildDoesNotOutliveTheRun() async throws {
        try CodeSandbox.requireAvailable()
        let marker = "archon-daemon-\(UUID().uuidString.prefix(8))"
        let r = await sandbox.run(candidate: """
            import subprocess
            subprocess.Popen(['/usr/bin/python3', '-c', 'import time; time.sleep(60)', '\(marker)'], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            def f():
                return 42
            """, tests: "assert f() == 42")
        XCTAssertTrue(r.passed, r.output)
        XCTAssertLessThan(r.seconds, 3, "the run does not wait for its daemon")
        try await Task.sleep(nanoseconds: 300_000_000)
        XCTAssertEqual(try runProcess("/usr/bin/pgrep", ["-f", marker]).stdout, "", "no process of the run outlives it")
    }

    /// Nothing outside the run's own folder can be read, written, reached or killed.
    func testTheHostIsOutOfReach() async throws {
        try CodeSandbox.requireAvailable()
        let host = try Host()
        defer { host.dir.remove(); host.listener.stop() }
        let temps = ["/tmp", "/dev/shm", "/var/tmp"]
        let before = temps.map(Host.listing)
        let secret = "sk-hostile-\(UUID().uuidString.prefix(8))"
        setenv("ARCHON_HOSTILE_SECRET", secret, 1)
        defer { unsetenv("ARCHON_HOSTILE_SECRET") }
        // A host process of another user that kill(-1) must not reach.
        let sentinel = Process()
        sentinel.executableURL = URL(fileURLWithPath: "/usr/bin/sleep")
        sentinel.arguments = ["30"]
        try sentinel.run()
        defer { sentinel.terminate() }

        let dataset = repositoryRoot.appendingPathComponent("datasets/math500_aime").path
        let source = repositoryRoot.appendingPathComponent("Package.swift").path
        // Each attack sets `got` only if it succeeded; the tests pass only then.
        let attacks: [(String, String)] = [
            ("write the canary", "open(\(String(reflecting: host.canary)), 'w').write('owned')\ngot = True"),
            ("read the canary", "got = open(\(String(reflecting: host.canary))).read() == 'precious'"),
            ("read a dataset", "import os\ngot = len(os.listdir(\(String(reflecting: dataset)))) > 0"),
            ("read the source", "got = 'Package' in open(\(String(reflecting: source))).read()"),
            ("read /etc/passwd", "got = 'root' in open('/etc/passwd').read()"),
            ("find a database", "import glob\ngot = len(glob.glob('/work/**/*.sqlite', recursive=True) + glob.glob('/root/**/*.sqlite', recursive=True)) > 0"),
            ("other runs' folders", "import glob\ngot = len(glob.glob('/tmp/archon-sandbox*/**', recursive=True)) > 0"),
            ("a secret in any environ", """
                import os
                got = False
                for pid in os.listdir('/proc'):
                    try:
                        got = got or \(String(reflecting: secret)).encode() in open('/proc/%s/environ' % pid, 'rb').read()
                    except Exception:
                        pass
                got = got or \(String(reflecting: secret)) in str(os.environ)
                """),
            ("the archon process", "import os\ngot = os.getppid() > 1 and os.path.exists('/proc/%d' % \(getpid()))"),
            ("a local port", """
                import socket
                s = socket.create_connection(('127.0.0.1', \(host.listener.port)), timeout=2)
                s.sendall(b'hello')
                got = True
                """),
            ("kill(-1)", "import os, signal\nos.kill(-1, signal.SIGKILL)\ngot = True"),
            ("fill /tmp, /dev/shm and /var/tmp", """
                import os
                for d in ('/tmp', '/dev/shm', '/var/tmp'):
                    try:
                        with open(os.path.join(d, 'archon-hostile-leftover'), 'wb') as f:
                            f.write(b'x' * (8 << 20))
                    except OSError:
                        pass
                got = False
                """),
        ]
        for (name, code) in attacks {
            _ = await expectFailed(name, candidate: "got = False\ntry:\n" + code.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }.joined(separator: "\n") + "\nexcept Exception:\n    got = False\n", tests: "assert got")
        }
        XCTAssertEqual(try String(contentsOfFile: host.canary, encoding: .utf8), "precious")
        XCTAssertEqual(host.listener.connections(), 0, "no connection reached the host's port")
        XCTAssertTrue(sentinel.isRunning, "kill(-1) did not reach a host process")
        for (i, t) in temps.enumerated() {
            XCTAssertEqual(Host.listing(t).subtracting(before[i]).filter { $0.contains("hostile") }, [], "nothing left in \(t)")
        }
        let leftovers = Host.listing(NSTemporaryDirectory() + "/archon-sandboxes-\(getuid())")
        XCTAssertEqual(leftovers.filter { $0.hasPrefix("run-\(getpid())-") }, [], "every run folder is removed")
    }

    /// Items running at once cannot see or change each other.
    func testConcurrentRunsAreApart() async throws {
        try CodeSandbox.requireAvailable()
        let box = sandbox
        let results = await withTaskGroup(of: (Int, SandboxResult).self) { group in
            for i in 0..<6 {
                group.addTask {
                    let code = i == 0
                        ? "import glob, os\ntime_left = 40\nimport time\nfor _ in range(time_left):\n    for p in glob.glob('/tmp/**/*.py', recursive=True) + glob.glob('/work/../*/**', recursive=True):\n        try:\n            open(p, 'w').write('pass')\n        except OSError:\n            pass\n    time.sleep(0.05)\ndef f():\n    return 0"
                        : "import time\ntime.sleep(1)\ndef f():\n    return 0"
                    return (i, await box.run(candidate: code, tests: "assert f() == 42"))
                }
            }
            var all: [Int: SandboxResult] = [:]
            for await (i, r) in group { all[i] = r }
            return all
        }
        for (i, r) in results { XCTAssertFalse(r.passed, "run \(i) passed although every answer is wrong: \(r.output)") }
    }

    /// A cancelled task stops its run at once (a cell's deadline, Ctrl-C) without holding a pool thread.
    func testCancellationStopsARunAndHangsDoNotStarveThePool() async throws {
        try CodeSandbox.requireAvailable()
        let box = sandbox
        let start = Date()
        let task = Task { await box.run(candidate: "while True:\n    pass", tests: "") }
        try await Task.sleep(nanoseconds: 500_000_000)
        task.cancel()
        let r = await task.value
        XCTAssertTrue(r.cancelled)
        XCTAssertFalse(r.passed)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2.5)

        // Eight hanging runs at once on a 2-core machine; meanwhile other async work keeps running.
        let hangs = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = await box.run(candidate: "import time\ntime.sleep(30)", tests: "") } }
            }
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        let ticks = Date()
        for _ in 0..<20 { await Task.yield(); try await Task.sleep(nanoseconds: 10_000_000) }
        XCTAssertLessThan(Date().timeIntervalSince(ticks), 1.5, "the cooperative pool is free while sandboxes hang")
        hangs.cancel()
        await hangs.value
        XCTAssertLessThan(Date().timeIntervalSince(start), 6, "cancelled hangs end at once")
    }

    /// Run folders of an archon that was killed are removed at the next start.
    func testLeftoversOfAKilledProcessAreRemoved() throws {
        let base = NSTemporaryDirectory() + "/archon-sandboxes-\(getuid())"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // A PID that is not running: a finished child's.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/true")
        try p.run()
        p.waitUntilExit()
        let stale = base + "/run-\(p.processIdentifier)-deadbeef"
        try FileManager.default.createDirectory(atPath: stale + "/sub", withIntermediateDirectories: true)
        let mine = base + "/run-\(getpid())-alive"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mine) }
        CodeSandbox.removeLeftovers(in: URL(fileURLWithPath: base))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "a dead process's run folder is removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: mine), "a live process's run folder is kept")
    }

    /// The same suite as user `nobody` (through setpriv), when the tests run as root.
    func testTheSuiteAsNobody() throws {
        guard getuid() == 0 else { throw XCTSkip("runs the suite as nobody only when the tests run as root") }
        guard ProcessInfo.processInfo.environment["ARCHON_HOSTILE_INNER"] == nil else { return }
        // A copy of the test executable that nobody may run, whatever the checkout's folder allows.
        let built = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let copyDir = TempDir()
        defer { copyDir.remove() }
        chmod(copyDir.url.path, 0o755)
        let bundle = copyDir.path("tests.xctest")
        try FileManager.default.copyItem(atPath: built, toPath: bundle)
        chmod(bundle, 0o755)
        let names = ["testAControlCandidatePasses", "testEarlyExitsScoreFailed", "testResourceAttacksAreContained",
                     "testASetsidChildDoesNotOutliveTheRun", "testTheHostIsOutOfReach", "testConcurrentRunsAreApart",
                     "testCancellationStopsARunAndHangsDoNotStarveThePool", "testLeftoversOfAKilledProcessAreRemoved"]
        let filter = names.map { "ArchonKitTests.HostileSandboxTests/\($0)" }.joined(separator: ",")
        let r = try runProcess("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", bundle, filter],
                               environment: ["ARCHON_HOSTILE_INNER": "1", "HOME": "/tmp", "TMPDIR": "/tmp"])
        let all = r.stdout + r.stderr
        XCTAssertEqual(r.status, 0, String(all.suffix(3000)))
        XCTAssertTrue(all.contains("Executed \(names.count) tests, with 0 failures"), String(all.suffix(3000)))
        XCTAssertFalse(all.contains("skipped"), "nothing was skipped as nobody: \(String(all.suffix(2000)))")
    }
}

/// A TCP listener on 127.0.0.1 that counts the connections it accepts.
final class Listener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var count = 0
    private var stopped = false

    init() throws {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, len) == 0 && listen(sock, 8) == 0 && getsockname(sock, $0, &len) == 0 }
        }
        guard ok else { throw NSError(domain: "Listener", code: 1) }
        fd = sock
        port = Int(UInt16(bigEndian: addr.sin_port))
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            lock.withLock { count += 1 }
            close(c)
        }
    }

    func connections() -> Int { lock.withLock { count } }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
