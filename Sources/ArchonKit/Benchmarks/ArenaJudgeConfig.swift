// Arena-Hard's official judge configuration (`arena_hard_v0.1/judge_config.yaml`, vendored): the
// system prompt, the prompt template, the verdict pattern, the judgment attempts and the sampling.

import Foundation

/// What Arena-Hard's `judge_config.yaml` says about judging, read from the file as the paper ran it.
public struct ArenaJudgeConfig: Sendable, Equatable {
    public var prompt: JudgePrompt
    /// The verdict pattern (`\[\[([AB<>=]+)\]\]`): the distinct matches must be exactly one.
    public var pattern: String
    public var attempts: Int
    public var temperature: Double
    public var maxTokens: Int

    /// Reads the keys it needs; the file's strings are YAML double-quoted strings, whose escapes (`\n`,
    /// `\"`) are JSON's, and its template is a one-element flow list.
    public static func load(root: URL) throws -> ArenaJudgeConfig {
        let path = root.appendingPathComponent("arena_hard_v0.1/judge_config.yaml")
        guard let text = try? String(contentsOf: path, encoding: .utf8) else {
            throw DatasetError(message: "\(path.path) is missing — restore it from datasets/SOURCES.md (Arena-Hard's judge configuration)")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") && !line.hasPrefix(" ") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            values[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        func value(_ key: String) throws -> String {
            guard let v = values[key], !v.isEmpty else { throw DatasetError(message: "\(path.path) has no \(key)") }
            return v
        }
        func json<T>(_ key: String, as: T.Type) throws -> T {
            guard let v = try? JSONSerialization.jsonObject(with: Data(try value(key).utf8), options: [.fragmentsAllowed]) as? T else {
                throw DatasetError(message: "\(path.path): \(key) is not a quoted string or list")
            }
            return v
        }
        let system = try json("system_prompt", as: String.self)
        guard let template = try json("prompt_template", as: [String].self).first else {
            throw DatasetError(message: "\(path.path): prompt_template is empty")
        }
        guard let attempts = Int(try value("number_of_judgment_attempts")), let temperature = Double(try value("temperature")),
              let maxTokens = Int(try value("max_tokens")) else {
            throw DatasetError(message: "\(path.path): number_of_judgment_attempts, temperature and max_tokens must be numbers")
        }
        return ArenaJudgeConfig(prompt: JudgePrompt(name: "arena-hard-v0.1", system: system, template: template),
                                pattern: try value("regex_pattern"), attempts: attempts, temperature: temperature, maxTokens: maxTokens)
    }

    /// The verdict of a reply as Arena-Hard reads it: every match of the pattern; exactly one distinct
    /// label is the verdict, none or several is no verdict.
    public func verdict(_ reply: String) -> Result<String, VerdictError> {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return .failure(VerdictError("bad verdict pattern \(pattern)")) }
        let ns = reply as NSString
        let labels = re.matches(in: reply, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
        let distinct = Array(Set(labels))
        guard distinct.count == 1, let label = distinct.first else {
            return .failure(VerdictError(distinct.isEmpty ? "no verdict such as [[A>B]] in the reply" : "several verdicts: \(distinct.sorted().joined(separator: ", "))"))
        }
        guard Verdict.arenaLabels.contains(label) else { return .failure(VerdictError("[[\(label)]] is not one of \(Verdict.arenaLabels.joined(separator: ", "))")) }
        return .success(label)
    }
}
