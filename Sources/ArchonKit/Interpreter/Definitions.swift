// Commands that define names: models, architectures, datasets, and Archon JSON in and out.

import Foundation

extension Interpreter {
    func defineArchitecture(_ syntax: ArchitectureSyntax, number: Int) throws -> CellResult {
        let arch = try resolve(syntax)
        if arch.layers.contains(where: { $0.components.contains { $0.prompts == .reference } }) {
            do { try ReferencePrompts.check() } catch { throw ScriptError("\(error)") }
        }
        let replaced = workspace.define(arch)
        var text = "\(replaced ? "redefined" : "defined") architecture \(arch.name): " +
            arch.layers.map { $0.kind?.title ?? "?" }.joined(separator: " → ") +
            " · ≤ \(ArchitectureEstimate.callsPerLayer(arch).reduce(0, +)) calls per query"
        if let note = ConstructionRules.finalChoice(arch) { text += "\nnote: \(note)" }
        return CellResult(number: number, output: text)
    }

    func defineDataset(_ spec: UserDatasetSpec, number: Int) throws -> CellResult {
        let loaded: Dataset
        do { loaded = try spec.load(relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) } catch {
            throw ScriptError("\(error)")
        }
        let replaced = workspace.define(loaded)
        let categories = Set(loaded.items.map(\.category)).subtracting([""]).sorted()
        return CellResult(number: number, output: "dataset \(loaded.name)\(replaced ? " (replaced)" : ""): \(loaded.items.count) items from \(spec.path) · scorer \(loaded.scorer)"
            + (categories.isEmpty ? "" : " · \(categories.count) categor\(categories.count == 1 ? "y" : "ies"): \(categories.prefix(8).joined(separator: ", "))\(categories.count > 8 ? ", …" : "")")
            + (loaded.scorer.isJudged ? "\n(bench it with judge=MODEL\(loaded.scorer == .judge || loaded.items.allSatisfy { $0.baseline != nil } ? "" : " and baseline=NAME"))" : ""))
    }

    func defineAnswers(_ name: String, path: String, format: RecordedAnswers.Format?, number: Int) throws -> CellResult {
        if workspace.model(name) != nil || workspace.architecture(name) != nil {
            throw ScriptError("'\(name)' is already a \(workspace.model(name) != nil ? "model" : "architecture") — give the answers another name")
        }
        let r: RecordedAnswers
        do { r = try RecordedAnswers.load(name: name, path: path, format: format, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) } catch {
            throw ScriptError("\(error)")
        }
        let replaced = workspace.define(r)
        let how = r.matchBy == .instruction ? "matched to items by instruction" : "matched to items by question id"
        var text = "answers \(name)\(replaced ? " (replaced)" : ""): \(r.answers.count) from \(path) · \(r.format?.rawValue ?? "?") format"
            + (r.generator.map { " · \($0)" } ?? "") + " · \(how) · no model calls"
        if let row = r.leaderboard { text += "\n" + Self.leaderboardLine(row) }
        return CellResult(number: number, output: text)
    }

    /// A published leaderboard row, as context (another judge, another protocol).
    static func leaderboardLine(_ row: RecordedAnswers.LeaderboardRow) -> String {
        "published (AlpacaEval 2.0 leaderboard beside the file, GPT-4-turbo annotator\(row.total.map { ", \($0) items" } ?? "")): win rate "
            + String(format: "%.1f%%", row.winRate * 100) + (row.standardError.map { String(format: " ± %.1f", $0 * 100) } ?? "")
            + (row.lengthControlled.map { String(format: ", length-controlled %.1f%%", $0 * 100) } ?? "")
    }

    func loadArchon(_ path: String, name: String?, options: LoadOptions, number: Int) throws -> CellResult {
        var routes: [String: ModelSpec] = [:]
        for r in options.routes {
            guard let m = workspace.model(r.to) else {
                throw ScriptError("route \(r.from)=\(r.to): no model named '\(r.to)'" + (Suggestion.closest(to: r.to, in: workspace.models.map(\.name))
                    .map { " — did you mean '\($0)'?" } ?? " — define it first, e.g. model \(r.to) = local/smollm2"))
            }
            routes[r.from] = m
        }
        let imported: ArchonConfig.Imported
        do {
            if replayRecorded != nil, let unwritten = replayFiles[path] {
                imported = try ArchonConfig.parse(unwritten, file: path, name: name, rules: options.rules, routes: routes)
            } else {
                imported = try ArchonConfig.load(path: path, name: name, rules: options.rules, routes: routes)
            }
        } catch {
            throw ScriptError(error.description)
        }
        var arch = imported.architecture
        if options.prompts == .reference {
            do { try ReferencePrompts.check() } catch { throw ScriptError("\(error)") }
            for l in arch.layers.indices {
                for c in arch.layers[l].components.indices { arch.layers[l].components[c].prompts = .reference }
            }
        }
        guard Self.isName(arch.name) else {
            throw ScriptError("\(path): its name '\(arch.name)' is not a valid name — load it with `as NAME`")
        }
        if workspace.model(arch.name) != nil {
            throw ScriptError("'\(arch.name)' is already a model — load it with `as OTHER_NAME`")
        }
        workspace.define(arch)
        let calls = ArchitectureEstimate.callsPerLayer(arch).reduce(0, +)
        var lines = ["loaded \(arch.name) from \(path): \(arch.layers.count) layers (" +
                     arch.layers.map { "\($0.kind?.title ?? "?")\($0.components.count > 1 ? " ×\($0.components.count)" : "")" }.joined(separator: " → ") +
                     "), \(arch.models.count) model(s), ≤ \(calls) calls per query"]
        lines += imported.warnings.map { "warning: \($0)" }
        lines += ConstructionRules.referenceBehaviour(arch).map { "rules=reference: \($0)" }
        return CellResult(number: number, output: lines.joined(separator: "\n"))
    }

    func exportArchon(_ name: String, path: String, number: Int) throws -> CellResult {
        guard let arch = workspace.architecture(name) else {
            throw ScriptError("no architecture named '\(name)'" + Suggestion.hint(for: name, in: workspace.architectures.map(\.name)))
        }
        // A replay writes no files unless asked: it reports the recorded result instead.
        if let recorded = replayRecorded, !replayWritesFiles {
            replayFiles[path] = ArchonConfig.export(arch)
            var r = CellResult(number: number, output: recorded)
            r.skippedWrite = path
            return r
        }
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ArchonConfig.export(arch).write(to: url)
        } catch {
            throw ScriptError("cannot write \(path): \(error.localizedDescription) — check the folder exists and is writable")
        }
        return CellResult(number: number, output: "wrote \(name) to \(path) (Archon JSON, \(arch.layers.count) layers)")
    }

    func defineModel(_ spec: ModelSpec, number: Int) -> CellResult {
        let replaced = workspace.define(spec)
        var text = "\(replaced ? "redefined" : "defined") model \(spec.name) → \(spec.reference)"
        if let env = spec.keyEnv, (ProcessInfo.processInfo.environment[env] ?? "").isEmpty {
            text += " (note: \(env) is not set; calls will fail until it is)"
        }
        return CellResult(number: number, output: text)
    }
}
