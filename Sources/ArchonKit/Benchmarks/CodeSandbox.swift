// Runs untrusted Python (a candidate solution, then its tests) inside bubblewrap: its own file system
// view, no network, limits, and a pass only when the tests provably ran to their end.

import Foundation

/// What one sandboxed run did.
public struct SandboxResult: Sendable {
    /// Every test ran to its end: the harness wrote this run's nonce after the last test and the
    /// program exited 0 within its limits.
    public var passed: Bool
    public var exitStatus: Int32
    public var timedOut: Bool
    /// The run was stopped because its task was cancelled (a cell's deadline, Ctrl-C).
    public var cancelled: Bool
    /// Exited 0 without the proof that the tests completed (an early `exit`, `os._exit`, …).
    public var exitedEarly: Bool
    /// First bytes of standard output and error (capped).
    public var output: String
    public var seconds: Double
}

/// Why code cannot be scored here.
public struct SandboxUnavailable: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String {
        "code scoring needs bubblewrap with user namespaces, and \(reason) — install it with `apt-get install bubblewrap` "
            + "and allow user namespaces (`sysctl -w kernel.unprivileged_userns_clone=1` and `user.max_user_namespaces` above 0)"
    }
}

/// A sandbox for candidate code.
///
/// Each run is one `bwrap` process (bubblewrap) with every namespace unshared (no network, its own
/// PIDs, hostname and IPC), a new session, a cleared environment, a read-only `/usr` and nothing else
/// of the host: a private tmpfs `/tmp`, a fresh `/dev` and `/proc`, and the run's own folder at `/work`
/// as the only writable place. Under root it first drops to a user id of its own (one per run, so the
/// process limit of one run does not count another's). Inside, `prlimit` caps address space,
/// processes, file size, CPU time (`timeout` seconds) and open files; the parent kills it when its
/// wall time passes one and a half times that (a program that sleeps or blocks) or when its task is cancelled, and the PID namespace takes every process it started with it.
///
/// A pass needs proof: the harness reads a per-run nonce from standard input before any candidate
/// code is loaded, runs the candidate and then the tests, and only after the last test writes the
/// nonce to a copy of standard output that the candidate's own output never reaches, then exits at
/// once. Exiting early (`exit`, `os._exit`, `atexit`, a signal, closing the streams) leaves no nonce and
/// scores failed. (Code that deliberately searches the harness's own memory for the nonce is still
/// contained by the sandbox; it is the one forgery this channel does not rule out.)
public struct CodeSandbox: Sendable {
    public var timeout: Double = 10
    public var memoryBytes: Int = 512 << 20
    public var maxProcesses: Int = 64
    public var maxFileBytes: Int = 16 << 20
    public var outputCap: Int = 16 << 10

    public init() {}

    static let bwrap = "/usr/bin/bwrap"
    static let python = "/usr/bin/python3"
    static let marker = "ARCHON-TESTS-COMPLETED "

    /// Whether the sandbox works here (checked once per process): nil when ready, else why not.
    public static let unavailable: SandboxUnavailable? = {
        guard FileManager.default.isExecutableFile(atPath: bwrap) else { return SandboxUnavailable(reason: "\(bwrap) is missing") }
        guard FileManager.default.isExecutableFile(atPath: python) else { return SandboxUnavailable(reason: "\(python) is missing") }
        var probe = CodeSandbox()
        probe.timeout = 20
        let r = probe.runBlocking(candidate: "x = 1", tests: "assert x == 1", cancelled: CancelFlag())
        return r.passed ? nil : SandboxUnavailable(reason: "a trial run failed here: \(Formatting.snippet(r.output, 160))")
    }()

    /// Throws `SandboxUnavailable` when code cannot be scored on this machine.
    public static func requireAvailable() throws {
        if let unavailable { throw unavailable }
    }

    /// Runs `candidate`, then `tests` in the same namespace, and reports how it ended. Waits on a
    /// thread of its own (not on Swift's cooperative pool); cancelling the task kills the run.
    ///
    /// Runs beyond the machine's cores wait for one to be free: the limit is the program's CPU time,
    /// and a slow but correct solution must not be failed because a bench started more runs than the
    /// machine can run at once.
    public func run(candidate: String, tests: String) async -> SandboxResult {
        do { try await Self.cores.acquire() } catch {
            return SandboxResult(passed: false, exitStatus: -1, timedOut: false, cancelled: true, exitedEarly: false,
                                 output: "", seconds: 0)
        }
        let result = await runOnThread(candidate: candidate, tests: tests)
        await Self.cores.release()
        return result
    }

    /// One run at a time per core, for every sandbox of this process.
    static let cores = AsyncSemaphore(limit: ProcessInfo.processInfo.activeProcessorCount)

    private func runOnThread(candidate: String, tests: String) async -> SandboxResult {
        let flag = CancelFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<SandboxResult, Never>) in
                let thread = Thread {
                    continuation.resume(returning: self.runBlocking(candidate: candidate, tests: tests, cancelled: flag))
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// The parent folder of this process's runs, private to its user.
    static let runsRoot: URL? = {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("archon-sandboxes-\(getuid())")
        mkdir(base.path, 0o711)
        var st = stat()
        // Refuse a folder someone else made (or a link to one).
        guard lstat(base.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == getuid() else { return nil }
        chmod(base.path, 0o711)
        removeLeftovers(in: base)
        return base
    }()

    /// Removes the run folders of archon processes that no longer exist (killed mid-run).
    public static func removeLeftovers() { _ = runsRoot }

    public static func removeLeftovers(in base: URL) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: base.path)) ?? [] {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, parts[0] == "run", let pid = Int32(parts[1]) else { continue }
            if pid != getpid(), !ProcessLiveness.isAlive(Int64(pid)) {
                try? fm.removeItem(at: base.appendingPathComponent(name))
            }
        }
    }

    private static let uidCounter = Counter()

    /// The whole run, blocking the calling thread.
    func runBlocking(candidate: String, tests: String, cancelled: CancelFlag) -> SandboxResult {
        let start = Date()
        func failure(_ text: String) -> SandboxResult {
            SandboxResult(passed: false, exitStatus: -1, timedOut: false, cancelled: false, exitedEarly: false, output: text,
                          seconds: Date().timeIntervalSince(start))
        }
        guard let root = Self.runsRoot else { return failure("cannot make a private folder for sandbox runs in \(NSTemporaryDirectory())") }
        let fm = FileManager.default
        let dir = root.appendingPathComponent("run-\(getpid())-\(UUID().uuidString.prefix(12))")
        guard mkdir(dir.path, 0o700) == 0 else { return failure("cannot make \(dir.path): \(String(cString: strerror(errno)))") }
        defer { try? fm.removeItem(at: dir) }

        var argv: [String] = []
        if getuid() == 0 {
            // A user id of this run's own: its processes are counted apart from every other run's.
            let uid = 1_900_000 + Self.uidCounter.next() % 50_000
            chown(dir.path, uid_t(uid), gid_t(uid))
            argv += ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--inh-caps=-all", "--"]
        }
        let seconds = Int(timeout.rounded(.up))
        let namespaces: [String] = [Self.bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
        let environment: [String] = ["--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/work", "--setenv", "LANG", "C.UTF-8"]
        let system: [String] = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                                "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin"]
        let scratch: [String] = ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp",
                                 "--bind", dir.path, "/work", "--chdir", "/work", "--hostname", "sandbox"]
        var limits: [String] = ["/usr/bin/prlimit", "--as=" + String(memoryBytes), "--nproc=" + String(maxProcesses)]
        limits += ["--fsize=" + String(maxFileBytes), "--cpu=" + String(seconds), "--nofile=64", "--core=0", "--"]
        let program: [String] = [Self.python, "-I", "-B", "-c", Self.harness]
        argv += namespaces
        argv += environment
        argv += system
        argv += scratch
        argv += limits
        argv += program

        let nonce = UUID().uuidString + UUID().uuidString
        let input = (try? JSONSerialization.data(withJSONObject: ["nonce": nonce, "candidate": candidate, "tests": tests])) ?? Data()

        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        p.currentDirectoryURL = dir
        p.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        do { try p.run() } catch { return failure("cannot start the sandbox: \(error)") }
        let pid = p.processIdentifier
        cancelled.onCancel { kill(pid, SIGKILL) }

        // Standard input: the nonce and the code, then closed (written aside so a child that never reads cannot block us).
        let writer = Thread {
            let fd = inPipe.fileHandleForWriting.fileDescriptor
            input.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let n = write(fd, raw.baseAddress! + off, raw.count - off)
                    if n <= 0 { if errno == EINTR { continue }; break }
                    off += n
                }
            }
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()

        // Read both streams until they close, keeping only the first bytes; kill at the wall timeout.
        var report = Data(), output = Data()
        var outputBytes = 0
        let fds = [outPipe.fileHandleForReading.fileDescriptor, errPipe.fileHandleForReading.fileDescriptor]
        var open = [true, true]
        // The limit is CPU time (prlimit); the wall clock only ends a program that waits instead of
        // working (sleep, a blocked read) or spreads itself over many processes, at one and a half
        // times the limit so a busy machine does not fail a program within it.
        let wallDeadline = Date().addingTimeInterval(1.5 * timeout + 1)
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.contains(true) {
            if cancelled.isCancelled { break }
            let left = wallDeadline.timeIntervalSinceNow
            if left <= 0 { timedOut = true; break }
            var polls: [pollfd] = []
            for i in 0..<fds.count where open[i] { polls.append(pollfd(fd: fds[i], events: Int16(POLLIN), revents: 0)) }
            let waitMillis: Int32 = left < 0.25 ? Int32(left * 1000) + 1 : 250
            let r = poll(&polls, nfds_t(polls.count), waitMillis)
            if r < 0 { if errno == EINTR { continue }; break }
            for pfd in polls where pfd.revents != 0 {
                let i = fds.firstIndex(of: pfd.fd)!
                let n = read(pfd.fd, &buffer, buffer.count)
                if n <= 0 { if n < 0, errno == EINTR || errno == EAGAIN { continue }; open[i] = false; continue }
                if i == 0 {
                    if report.count < 4096 { report.append(contentsOf: buffer.prefix(min(n, 4096 - report.count))) }
                } else {
                    if output.count < outputCap { output.append(contentsOf: buffer.prefix(min(n, outputCap - output.count))) }
                    outputBytes += n
                }
            }
        }
        if open.contains(true) || p.isRunning { kill(pid, SIGKILL) }
        p.waitUntilExit()
        let status = p.terminationStatus
        let signalled = p.terminationReason == .uncaughtSignal
        // The CPU limit ends the program with SIGKILL/SIGXCPU: that is a time-out too.
        // bubblewrap passes on its child's death by a signal as the exit status 128 + signal.
        let killedByLimit = [SIGKILL, SIGXCPU].contains { signalled ? status == $0 : status == 128 + $0 }
        if killedByLimit && !cancelled.isCancelled { timedOut = true }
        let proof = String(decoding: report, as: UTF8.self)
        let proven = proof.contains(Self.marker + nonce + "\n")
        let wasCancelled = cancelled.isCancelled
        let exitedCleanly = !signalled && status == 0
        let passed = proven && exitedCleanly && !timedOut && !wasCancelled
        var text = String(decoding: output, as: UTF8.self)
        if outputBytes > outputCap { text += "\n… (output cut at \(outputCap) bytes)" }
        let early = !proven && exitedCleanly && !timedOut
        return SandboxResult(passed: passed, exitStatus: signalled ? 128 + status : status, timedOut: timedOut,
                             cancelled: wasCancelled, exitedEarly: early,
                             output: text, seconds: Date().timeIntervalSince(start))
    }

    /// The harness (run with `python3 -I -B -c`): reads the nonce and the code from standard input,
    /// keeps a private copy of standard output for the proof, sends everything the candidate prints to
    /// standard error, runs candidate then tests, and writes the proof only after the last test.
    static let harness = #"""
import json, os, sys, traceback
def _archon_run():
    data = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    proof = os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    token = ("ARCHON-TESTS-COMPLETED " + data.pop("nonce") + "\n").encode()
    candidate, tests = data.pop("candidate"), data.pop("tests")
    del data
    scope = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        exec(compile(candidate, "candidate.py", "exec"), scope)
        exec(compile(tests, "tests.py", "exec"), scope)
    except BaseException:
        traceback.print_exc()
        os._exit(1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os.write(proof, token)
    os.close(proof)
    os._exit(0)
_archon_run()
"""#

    /// A HumanEval item's candidate (prompt + completion) and tests (its `check` on the entry point).
    public static func humanEvalProgram(prompt: String, completion: String, tests: String, entryPoint: String) -> (candidate: String, tests: String) {
        (prompt + completion, tests + "\n\ncheck(\(entryPoint))\n")
    }
}

/// A flag set once when a run is cancelled, with the action to take then.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var action: (() -> Void)?

    var isCancelled: Bool { lock.withLock { cancelled } }

    func cancel() {
        let run: (() -> Void)? = lock.withLock {
            cancelled = true
            defer { action = nil }
            return action
        }
        run?()
    }

    /// Runs `body` on cancellation (at once if already cancelled).
    func onCancel(_ body: @escaping () -> Void) {
        let now: Bool = lock.withLock {
            if cancelled { return true }
            action = body
            return false
        }
        if now { body() }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
