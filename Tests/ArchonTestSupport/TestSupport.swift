// Shared helpers for the test targets: temp folders, the fake HTTP server, running the archon binary, tmux.

import ArchonKit
import Foundation

/// The repository root (tests run from anywhere).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary folder, removed by `remove()`.
public struct TempDir: Sendable {
    public let url: URL
    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("archon-test-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The fake OpenAI-compatible server (`fake_openai.py`), for faults a real server cannot produce on demand.
public final class FakeServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let input: Pipe

    /// Starts `script` (a server of this folder that prints "PORT n") with `arguments`.
    public init(script: String = "fake_openai.py", arguments: [String] = []) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("Tests/ArchonTestSupport/\(script)").path] + arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        let handle = output.fileHandleForReading
        while true {
            let b = handle.readData(ofLength: 1)
            if b.isEmpty || b == Data("\n".utf8) { break }
            line.append(b)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let p = Int(text.dropFirst(5)) else {
            throw NSError(domain: "FakeServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "fake server did not start: \(text)"])
        }
        port = p
    }

    /// Base URL for a behaviour mode (`ok`, `slow-200`, `status-500`, `garbled`, `truncated`, `hang`, `reset`).
    public func baseURL(_ mode: String = "ok") -> String { "http://127.0.0.1:\(port)/\(mode)/v1" }

    /// The server's counters: requests seen and most requests in flight at once.
    public func stats() throws -> (requests: Int, maxInFlight: Int) {
        let box = DataBox()
        let done = DispatchSemaphore(value: 0)
        let url = "http://127.0.0.1:\(port)/stats"
        Task.detached {
            box.data = (try? await HTTPClient.shared.send(HTTPRequest(url: url, method: "GET", timeout: 5)))?.body ?? Data()
            done.signal()
        }
        done.wait()
        let data = box.data
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Int]
        return (json["requests"] ?? 0, json["max_in_flight"] ?? 0)
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }
}

/// What a finished process printed and how it ended.
public struct ProcessOutput: Sendable {
    public var stdout: String
    public var stderr: String
    public var status: Int32
    /// Whether it ended by a signal (a crash) rather than exiting.
    public var signalled: Bool
}

/// Runs an executable with arguments, standard input and extra environment; waits for it.
///
/// `detached` sends the child's output to /dev/null, for commands that leave a daemon holding
/// their output open (tmux starting its server).
public func runProcess(_ path: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
                       directory: String? = nil, detached: Bool = false) throws -> ProcessOutput {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
    _ = ignoreSIGPIPE
    if detached { return spawnDetached(path, arguments) }
    p.standardInput = inPipe
    p.standardOutput = outPipe
    p.standardError = errPipe
    try p.run()
    let outBox = DataBox(), errBox = DataBox()
    let group = DispatchGroup()
    for (pipe, box) in [(outPipe, outBox), (errPipe, errBox)] {
        group.enter()
        DispatchQueue.global().async {
            box.data = pipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
    }
    let data = Data(stdin.utf8)
    DispatchQueue.global().async {
        // A child that exits before reading all its input must not take the test process down.
        try? inPipe.fileHandleForWriting.write(contentsOf: data)
        try? inPipe.fileHandleForWriting.close()
    }
    p.waitUntilExit()
    group.wait()
    return ProcessOutput(stdout: String(decoding: outBox.data, as: UTF8.self),
                         stderr: String(decoding: errBox.data, as: UTF8.self),
                         status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal)
}

/// posix_spawn with /dev/null for all three streams, then waitpid: Foundation's Process can miss
/// the exit of a child that daemonizes (tmux starting its server).
func spawnDetached(_ path: String, _ arguments: [String]) -> ProcessOutput {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else {
        return ProcessOutput(stdout: "", stderr: "spawn failed", status: -1, signalled: false)
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    return ProcessOutput(stdout: "", stderr: "", status: (status >> 8) & 0xFF, signalled: (status & 0x7F) != 0)
}

/// Writing to a pipe whose reader has gone gives EPIPE instead of killing the test process.
let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

final class DataBox: @unchecked Sendable { var data = Data() }

/// The built `archon` binary, next to the test bundle.
public var archonBinary: String {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [here.appendingPathComponent("archon").path,
                      here.deletingLastPathComponent().appendingPathComponent("archon").path,
                      repositoryRoot.appendingPathComponent(".build/debug/archon").path]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[2]
}

/// Runs `archon` with `arguments`, in `directory`, with its history kept out of $HOME.
public func archon(_ arguments: [String], stdin: String = "", environment: [String: String] = [:],
                   directory: String? = nil) throws -> ProcessOutput {
    var env = environment
    if env["ARCHON_HISTORY"] == nil { env["ARCHON_HISTORY"] = FileManager.default.temporaryDirectory.appendingPathComponent("archon-test-history").path }
    return try runProcess(archonBinary, arguments, stdin: stdin, environment: env, directory: directory)
}

/// Process ids of local model servers started by the archon process `owner`.
public func localServers(ownedBy owner: Int32) -> [Int32] {
    let out = (try? runProcess("/usr/bin/pgrep", ["-f", "archon-owner=\(owner)$"]))?.stdout ?? ""
    return out.split(separator: "\n").compactMap { Int32($0) }
}

/// A terminal session under tmux: type keys, read the screen.
public final class Tmux: @unchecked Sendable {
    public let name: String

    public init(command: String, width: Int = 120, height: Int = 40) throws {
        name = "archon-test-\(UUID().uuidString.prefix(6))"
        _ = try runProcess("/usr/bin/tmux", ["-L", "archon-tests", "kill-session", "-t", name])
        let r = try runProcess("/usr/bin/tmux", ["-L", "archon-tests", "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command],
                               detached: true)
        guard r.status == 0 else {
            throw NSError(domain: "Tmux", code: 1, userInfo: [NSLocalizedDescriptionKey: "tmux new-session failed with status \(r.status)"])
        }
        _ = try runProcess("/usr/bin/tmux", ["-L", "archon-tests", "set-option", "-t", name, "remain-on-exit", "on"])
    }

    /// Sends tmux key names or literal text (`literal: true`).
    public func send(_ keys: String..., literal: Bool = false) throws {
        _ = try runProcess("/usr/bin/tmux", ["-L", "archon-tests", "send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// The screen, including scrollback.
    public func screen() -> String {
        (try? runProcess("/usr/bin/tmux", ["-L", "archon-tests", "capture-pane", "-p", "-J", "-S", "-200", "-t", name]))?.stdout ?? ""
    }

    /// Waits until the screen satisfies `condition`, up to `timeout` seconds; returns the last screen.
    @discardableResult
    public func wait(timeout: Double = 20, until condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var s = screen()
        while !condition(s), Date() < deadline {
            usleep(100_000)
            s = screen()
        }
        return s
    }

    /// Whether the program in the pane has exited (the pane stays, remain-on-exit).
    public func isDead() -> Bool {
        let out = (try? runProcess("/usr/bin/tmux", ["-L", "archon-tests", "display-message", "-p", "-t", name, "#{pane_dead}"]))?.stdout ?? ""
        return out.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Waits up to `timeout` seconds for the program in the pane to exit; returns whether it did.
    @discardableResult
    public func waitForExit(timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !isDead(), Date() < deadline { usleep(100_000) }
        return isDead()
    }

    /// The pid of the program running in the pane.
    public func panePID() -> Int32? {
        let out = (try? runProcess("/usr/bin/tmux", ["-L", "archon-tests", "display-message", "-p", "-t", name, "#{pane_pid}"]))?.stdout ?? ""
        return Int32(out.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func kill() { _ = try? runProcess("/usr/bin/tmux", ["-L", "archon-tests", "kill-session", "-t", name]) }
}
