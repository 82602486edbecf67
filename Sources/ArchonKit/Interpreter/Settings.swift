// `set`: session settings, as a table — each names its values and applies one.

import Foundation

extension Interpreter {
    /// One setting: its name, the values it takes, and what setting it does (the confirmation line).
    struct Setting: Sendable {
        var name: String
        var takes: String
        var example: String
        var apply: @Sendable (Interpreter, String) async -> String?
    }

    static let settings: [Setting] = [
        Setting(name: "cache", takes: "on, off or refresh", example: "set cache off") { i, value in
            guard let mode = CacheMode(rawValue: value) else { return nil }
            await i.setCacheMode(mode)
            return "cache = \(mode.rawValue)" + (mode == .refresh ? " (calls go to the model and replace what the cache holds)" : "")
        },
        Setting(name: "concurrency", takes: "a whole number ≥ 1", example: "set concurrency 16") { i, value in
            guard let n = Int(value), n >= 1 else { return nil }
            await i.client.setConcurrency(n)
            return "concurrency = \(n)"
        },
        Setting(name: "deadline", takes: "seconds above 0, or off", example: "set deadline 120") { i, value in
            if value == "off" {
                await i.setDeadline(nil)
                return "deadline = off"
            }
            guard let s = Double(value), s > 0 else { return nil }
            await i.setDeadline(s)
            return "deadline = \(Formatting.number(s)) s per cell"
        },
        Setting(name: "stream", takes: "on or off", example: "set stream off") { i, value in
            guard value == "on" || value == "off" else { return nil }
            await i.setStreaming(value == "on")
            return "stream = \(value)"
        },
    ]

    func setDeadline(_ seconds: Double?) { deadline = seconds }

    func setStreaming(_ on: Bool) {
        streaming = on
        streamingFlag.value = on
    }

    func applySetting(_ key: String, _ value: String, number: Int) async throws -> CellResult {
        let names = Self.settings.map(\.name)
        guard let setting = Self.settings.first(where: { $0.name == key }) else {
            throw ScriptError("unknown setting '\(key)'" + (Suggestion.closest(to: key, in: names)
                .map { " — did you mean '\($0)'?" } ?? " — settings: \(names.joined(separator: ", "))"))
        }
        guard let confirmation = await setting.apply(self, value) else {
            throw ScriptError("\(key) takes \(setting.takes) — e.g. \(setting.example)")
        }
        return CellResult(number: number, output: confirmation)
    }
}
