// Runs untrusted Python (a candidate solution plus its tests) with limits, no network, and a throw-away folder.

import Foundation

/// What one sandboxed run did.
public struct SandboxResult: Sendable {
    /// The program exited 0 within its limits.
    public var passed: Bool
    public var exitStatus: Int32
    public var timedOut: Bool
    /// First bytes of standard output and error (capped).
    public var output: String
    /// Whether the run had no network (a new network namespace); said in reports when false.
    public var networkIsolated: Bool
    public var seconds: Double
}

/// A sandbox for candidate code: `python3 -I` in a fresh temporary folder, as user `nobody` when run by
/// root, inside new network and PID namespaces when the kernel allows it (no network; every process it
/// starts dies with it), with limits on address space, processes, file size, CPU time and wall time.
public struct CodeSandbox: Sendable {
    public var timeout: Double = 10
    public var memoryBytes: Int = 512 << 20
    public var maxProcesses: Int = 64
    public var maxFileBytes: Int = 16 << 20
    public var outputCap: Int = 16 << 10

    public init() {}

    /// Whether new network + PID namespaces can be made here (checked once).
    public static let namespacesAvailable: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["-n", "-p", "-f", "--kill-child", "true"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// Runs `program` (Python source) and reports how it ended.
    public func run(_ program: String) -> SandboxResult {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("archon-sandbox-\(UUID().uuidString)")
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let file = dir.appendingPathComponent("main.py")
        try? program.write(to: file, atomically: true, encoding: .utf8)
        let isRoot = getuid() == 0
        if isRoot { chown(dir.path, 65534, 65534); chown(file.path, 65534, 65534) }

        var argv = ["/usr/bin/timeout", "-s", "KILL", String(Int(timeout.rounded(.up)))]
        let isolated = Self.namespacesAvailable
        if isolated { argv += ["/usr/bin/unshare", "-n", "-p", "-f", "--kill-child", "--"] }
        if isRoot { argv += ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] }
        argv += ["/usr/bin/prlimit", "--as=\(memoryBytes)", "--nproc=\(maxProcesses)", "--fsize=\(maxFileBytes)",
                 "--cpu=\(Int(timeout.rounded(.up)))", "--nofile=64", "--core=0", "--", Self.python, "-I", "-B", "main.py"]

        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        p.currentDirectoryURL = dir
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "LANG": "C.UTF-8"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        let start = Date()
        do { try p.run() } catch {
            return SandboxResult(passed: false, exitStatus: -1, timedOut: false, output: "cannot start the sandbox: \(error)",
                                 networkIsolated: isolated, seconds: 0)
        }
        // Read everything (so the child never blocks on a full pipe) but keep only the first bytes.
        var kept = Data()
        let handle = out.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            if kept.count < outputCap { kept.append(chunk.prefix(outputCap - kept.count)) }
        }
        p.waitUntilExit()
        let status = p.terminationStatus
        let timedOut = status == 137 || (p.terminationReason == .uncaughtSignal && status == SIGKILL)
        var text = String(decoding: kept, as: UTF8.self)
        if kept.count >= outputCap { text += "\n… (output cut at \(outputCap) bytes)" }
        return SandboxResult(passed: status == 0, exitStatus: status, timedOut: timedOut, output: text,
                             networkIsolated: isolated, seconds: Date().timeIntervalSince(start))
    }

    /// A HumanEval item's program: prompt + completion, then its `check` tests on the entry point.
    public static func humanEvalProgram(prompt: String, completion: String, tests: String, entryPoint: String) -> String {
        prompt + completion + "\n\n" + tests + "\n\ncheck(\(entryPoint))\n"
    }
}
