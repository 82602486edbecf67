// Keeps API keys out of everything archon stores or prints.

import Foundation

/// The values of key variables, and where they would leak.
///
/// A key variable is any environment variable named like a credential (`…_API_KEY`, `…_KEY`,
/// `…_TOKEN`, `…_SECRET`, with or without a rotation suffix `_2`, `_3`, …) and any variable a model
/// names with `api_key_env=`. Their values (8 characters or more) are replaced by `[redacted NAME]` in
/// cell sources and outputs, call records and errors, and in everything printed.
public enum Secrets {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var named: Set<String> = []
    /// The pairs to redact, worked out once from the environment and again after each `register`
    /// (redaction runs on every stored call and every printed line).
    nonisolated(unsafe) private static var cached: [(String, String)]?

    /// Adds a variable to the ones redacted (a model's `api_key_env=`).
    public static func register(variable: String) {
        lock.withLock {
            if named.insert(variable).inserted { cached = nil }
        }
    }

    static func isKeyName(_ name: String) -> Bool {
        name.wholeMatch(of: #/[A-Za-z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)(_[0-9]+)?/#) != nil
    }

    /// (variable, value) pairs to redact, longest value first.
    static func values(environment: [String: String] = ProcessInfo.processInfo.environment) -> [(String, String)] {
        let extra = lock.withLock { named }
        var out: [(String, String)] = []
        for (name, value) in environment where value.count >= 8 {
            let base = name.replacing(#/_[0-9]+$/#, with: "")
            if isKeyName(name) || extra.contains(name) || extra.contains(base) { out.append((name, value)) }
        }
        return out.sorted { $0.1.count > $1.1.count }
    }

    /// `text` with the value of every key variable replaced by `[redacted NAME]`.
    public static func redact(_ text: String) -> String {
        let pairs: [(String, String)] = lock.withLock { cached } ?? {
            let fresh = values()
            lock.withLock { cached = fresh }
            return fresh
        }()
        var result = text
        for (name, value) in pairs where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: "[redacted \(name)]")
        }
        return result
    }

    public static func redact(_ text: String?) -> String? { text.map { redact($0) } }

    /// A key typed into a command (`api_key=…`, `https://user:key@host`): the source with it hidden,
    /// and what was found; nil when there is none.
    public static func inline(in source: String) -> (hidden: String, found: String)? {
        var hidden = source
        var found: String?
        // Cheap checks first: Swift's regex engine is slow on long lines.
        if source.contains("api_key"), source.contains(#/\bapi_key\s*=/#) {
            hidden = hidden.replacing(#/\b(api_key\s*=\s*)("[^"]*"|\S+)/#) { "\($0.output.1)[hidden]" }
            found = "api_key="
        }
        if source.contains("://"), source.contains("@"), source.contains(#/[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:"]+:[^\s/@"]+@/#) {
            hidden = hidden.replacing(#/([A-Za-z][A-Za-z0-9+.-]*://)[^\s/@:"]+:[^\s/@"]+@/#) { "\($0.output.1)[hidden]@" }
            found = found ?? "a user:key@ in a URL"
        }
        return found.map { (hidden, $0) }
    }
}
