// The reference implementation's prompts (`prompts=reference`): rendered by the vendored
// `reference/archon_prompts.py`'s own functions in one python3 helper process, never retyped.

import Foundation

/// Which prompts a technique instance sends.
public enum PromptStyle: String, Sendable, CaseIterable {
    /// This project's prompts (the default).
    case archon
    /// The reference implementation's prompt text, system messages and output conventions.
    case reference
}

/// Renders the reference's prompt functions. The system messages are those of the reference's
/// component classes (Critic.py, Fuser.py, Ranker.py, Verifier.py, Unit_Test_*.py, archon.py).
public enum ReferencePrompts {
    public static let system: [TechniqueKind: String] = [
        .generator: "You are a helpful assistant",
        .critic: "You are a critical evaluator.",
        .fuser: "You are a helpful assistant who fuses multiple answers",
        .ranker: "You are a helpful assistant who ranks multiple answers",
        .unitTestGenerator: "You are a unit test generator.",
        .unitTestEvaluator: "You are a unit test evaluator",
    ]
    public static let verifierReasoningSystem = "You are a reasoning generator for instructions and their responses."
    public static let verifierVerdictSystem = "You are a verification system for judging responses and their reasoning."

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The vendored file: `ARCHON_REFERENCE_PROMPTS`, else `reference/archon_prompts.py` beside the
    /// bundled datasets (here or above, or above the executable).
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let p = environment["ARCHON_REFERENCE_PROMPTS"], !p.isEmpty { return p }
        let fm = FileManager.default
        for start in [fm.currentDirectoryPath,
                      URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path] {
            var dir = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("reference/archon_prompts.py")
                if fm.fileExists(atPath: candidate.path) { return candidate.path }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw Unavailable(description: "prompts=reference needs reference/archon_prompts.py (run from the repository, or set ARCHON_REFERENCE_PROMPTS)")
    }

    static let helper = Helper()

    /// `function(**arguments)` of the reference's prompt file.
    public static func render(_ function: String, _ arguments: [String: Any]) throws -> String {
        try helper.call(function, arguments)
    }

    /// Checks that the prompts can be rendered (python3 and the file are there).
    public static func check() throws {
        _ = try render("make_verifier_reasoning_prompt", ["query": "q", "candidate": "c"])
    }

    /// One python3 process that imports the file and answers one JSON request per line.
    final class Helper: @unchecked Sendable {
        private let lock = NSLock()
        private var process: Process?
        private var input: FileHandle?
        private var output: FileHandle?
        private var buffer = Data()

        static let script = """
            import ctypes, importlib.util, json, signal, sys
            try:
                ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # end with archon, even if a child holds our stdin open
            except Exception:
                pass
            spec = importlib.util.spec_from_file_location("archon_prompts", sys.argv[1])
            prompts = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(prompts)
            for line in sys.stdin:
                request = json.loads(line)
                try:
                    reply = {"ok": getattr(prompts, request["f"])(**request["args"])}
                except Exception as e:
                    reply = {"error": f"{type(e).__name__}: {e}"}
                sys.stdout.write(json.dumps(reply) + "\\n")
                sys.stdout.flush()
            """

        private func start() throws {
            let path = try ReferencePrompts.path()
            guard FileManager.default.fileExists(atPath: path) else {
                throw Unavailable(description: "prompts=reference: \(path) does not exist — set ARCHON_REFERENCE_PROMPTS to the reference's prompts file")
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-I", "-B", "-c", Self.script, path]
            let (stdin, stdout) = (Pipe(), Pipe())
            p.standardInput = stdin
            p.standardOutput = stdout
            p.standardError = FileHandle.nullDevice
            do { try p.run() } catch {
                throw Unavailable(description: "prompts=reference needs python3 to render the reference's prompt file: \(error)")
            }
            (process, input, output, buffer) = (p, stdin.fileHandleForWriting, stdout.fileHandleForReading, Data())
        }

        func call(_ function: String, _ arguments: [String: Any]) throws -> String {
            try lock.withLock {
                if process?.isRunning != true { try start() }
                let request = try JSONSerialization.data(withJSONObject: ["f": function, "args": arguments], options: [.sortedKeys])
                try input!.write(contentsOf: request + Data("\n".utf8))
                while !buffer.contains(0x0A) {
                    // `availableData` returns what the pipe holds (read(upToCount:) would wait for all of it).
                    let chunk = output!.availableData
                    guard !chunk.isEmpty else {
                        process = nil
                        throw Unavailable(description: "prompts=reference: the python3 helper ended (is \(try ReferencePrompts.path()) the reference's prompts file?)")
                    }
                    buffer.append(chunk)
                }
                let end = buffer.firstIndex(of: 0x0A)!
                let line = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[buffer.index(after: end)...])
                let reply = try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
                if let text = reply["ok"] as? String { return text }
                throw Unavailable(description: "prompts=reference: \(function) failed: \(reply["error"] as? String ?? "no reply")")
            }
        }
    }
}
