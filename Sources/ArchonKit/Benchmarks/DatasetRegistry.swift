// The bundled benchmarks: where each file is, how it is read, and which scorer it takes.

import Foundation

/// A loaded benchmark.
public struct Dataset: Sendable {
    public var name: String
    public var items: [BenchmarkItem]
    /// The scorer it is meant for: `math`, `code`, `mixeval`/`match`, `judge` (1–10 single-answer grading),
    /// `pairwise` (win rate against a baseline) or `arena` (five-level verdicts, Bradley–Terry).
    public var scorer: ScorerKind
    public var source: String

    public init(name: String, items: [BenchmarkItem], scorer: ScorerKind, source: String) {
        (self.name, self.items, self.scorer, self.source) = (name, items, scorer, source)
    }
}

/// Why a dataset could not be loaded.
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The bundled datasets (vendored under `datasets/` with their provenance in `datasets/SOURCES.md`).
public enum DatasetRegistry {
    public struct Entry: Sendable {
        public var name: String
        public var scorer: ScorerKind
        public var source: String
        let load: @Sendable (URL) throws -> [BenchmarkItem]
    }

    public static let entries: [Entry] = [
        Entry(name: "mt_bench", scorer: .judge, source: "mt_bench/question.jsonl (FastChat)", load: mtBench),
        Entry(name: "arena_hard", scorer: .arena, source: "arena_hard_v0.1/question.jsonl", load: arenaHard),
        Entry(name: "alpaca_eval", scorer: .pairwise, source: "alpaca_eval/alpaca_eval_gpt4_baseline.json", load: alpacaEval),
        Entry(name: "mixeval_hard", scorer: .mixeval, source: "mixeval_hard/{free-form,multiple-choice}.json", load: mixEval),
        Entry(name: "math500", scorer: .math, source: "math500_aime/en.json (MATH500)", load: { try math($0, sources: ["MATH500"]) }),
        Entry(name: "aime", scorer: .math, source: "math500_aime/en.json (AIME 2024 + 2025)", load: { try math($0, sources: ["AIME2024", "AIME2025"]) }),
        Entry(name: "humaneval", scorer: .code, source: "humaneval/HumanEval.jsonl", load: humanEval),
        Entry(name: "mbpp", scorer: .code, source: "mbpp/mbpp_test.jsonl", load: mbpp),
    ]

    public static var names: [String] { entries.map(\.name) }

    private static let loaded = LockedValue<[String: Dataset]>([:])

    /// The datasets folder: `ARCHON_DATASETS`, else a `datasets/` folder here or above, or above the executable.
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let r = environment["ARCHON_DATASETS"], !r.isEmpty { return URL(fileURLWithPath: r) }
        let fm = FileManager.default
        var starts = [fm.currentDirectoryPath]
        starts.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path)
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("datasets")
                if fm.fileExists(atPath: candidate.appendingPathComponent("SOURCES.md").path) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw DatasetError(message: "the bundled datasets folder was not found here or above — run from the repository or set ARCHON_DATASETS")
    }

    /// Loads a bundled dataset by name.
    public static func load(_ name: String, root: URL) throws -> Dataset {
        guard let e = entries.first(where: { $0.name == name }) else {
            throw DatasetError(message: "no dataset '\(name)'" + (Suggestion.closest(to: name, in: names).map { " — did you mean '\($0)'?" }
                ?? " — `datasets` lists them"))
        }
        // The bundled files are read-only data: each is parsed once per process (a bench, `compare` and
        // `datasets` would otherwise read and decode the same JSON again every time).
        let cacheKey = root.standardizedFileURL.path + "|" + name
        if let cached = loaded.value[cacheKey] { return cached }
        do {
            let dataset = Dataset(name: e.name, items: try e.load(root), scorer: e.scorer, source: e.source)
            loaded.value[cacheKey] = dataset
            return dataset
        } catch let error as DatasetError {
            throw error
        } catch {
            throw DatasetError(message: "cannot read dataset \(name) from \(root.path): \(error)")
        }
    }

    // MARK: Readers

    static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw DatasetError(message: "\(url.lastPathComponent): a line is not a JSON object")
            }
            return o
        }
    }

    static func json(_ url: URL) throws -> Any { try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) }

    static func string(_ v: Any?) -> String? {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        return nil
    }

    static func mtBench(_ root: URL) throws -> [BenchmarkItem] {
        var references: [String: [String]] = [:]
        for r in try jsonLines(root.appendingPathComponent("mt_bench/reference_answer_gpt-4.jsonl")) {
            if let id = string(r["question_id"]), let choices = r["choices"] as? [[String: Any]],
               let turns = choices.first?["turns"] as? [String] {
                references[id] = turns
            }
        }
        return try jsonLines(root.appendingPathComponent("mt_bench/question.jsonl")).map { o in
            let id = string(o["question_id"]) ?? "?"
            return BenchmarkItem(id: id, category: o["category"] as? String ?? "", turns: o["turns"] as? [String] ?? [],
                                 reference: references[id]?.first, referenceTurns: references[id])
        }
    }

    static func arenaHard(_ root: URL) throws -> [BenchmarkItem] {
        try jsonLines(root.appendingPathComponent("arena_hard_v0.1/question.jsonl")).map { o in
            let turns = (o["turns"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
            return BenchmarkItem(id: string(o["question_id"]) ?? "?", category: o["cluster"] as? String ?? "", turns: turns)
        }
    }

    static func alpacaEval(_ root: URL) throws -> [BenchmarkItem] {
        guard let list = try json(root.appendingPathComponent("alpaca_eval/alpaca_eval_gpt4_baseline.json")) as? [[String: Any]] else {
            throw DatasetError(message: "alpaca_eval: expected a JSON list")
        }
        return list.enumerated().map { i, o in
            BenchmarkItem(id: String(i), category: o["dataset"] as? String ?? "", turns: [o["instruction"] as? String ?? ""],
                          baseline: o["output"] as? String)
        }
    }

    static func mixEval(_ root: URL) throws -> [BenchmarkItem] {
        var items: [BenchmarkItem] = []
        for (file, kind) in [("free-form.json", "ff"), ("multiple-choice.json", "mc")] {
            guard let dict = try json(root.appendingPathComponent("mixeval_hard/\(file)")) as? [String: [String: Any]] else {
                throw DatasetError(message: "mixeval_hard/\(file): expected an object of items")
            }
            for key in dict.keys.sorted(by: { (Int($0) ?? 0) < (Int($1) ?? 0) }) {
                let o = dict[key]!
                let targets = (o["target"] as? [Any] ?? []).compactMap(string)
                items.append(BenchmarkItem(id: "\(kind)-\(key)", category: o["benchmark_name"] as? String ?? kind,
                                           turns: [o["prompt"] as? String ?? ""], options: o["options"] as? [String], targets: targets,
                                           context: MixEvalPrompt.context(o["context"])))
            }
        }
        return items
    }

    static func math(_ root: URL, sources: Set<String>) throws -> [BenchmarkItem] {
        guard let list = try json(root.appendingPathComponent("math500_aime/en.json")) as? [[String: Any]] else {
            throw DatasetError(message: "math500_aime/en.json: expected a JSON list")
        }
        return list.enumerated().compactMap { i, o in
            guard let source = o["data_source"] as? String, sources.contains(source) else { return nil }
            return BenchmarkItem(id: "\(source)-\(i)", category: source, turns: [o["question"] as? String ?? ""],
                                 reference: string(o["answer"]))
        }
    }

    static func humanEval(_ root: URL) throws -> [BenchmarkItem] {
        try jsonLines(root.appendingPathComponent("humaneval/HumanEval.jsonl")).map { o in
            BenchmarkItem(id: o["task_id"] as? String ?? "?", category: "python", turns: [o["prompt"] as? String ?? ""],
                          reference: o["canonical_solution"] as? String, tests: o["test"] as? String,
                          entryPoint: o["entry_point"] as? String)
        }
    }

    static func mbpp(_ root: URL) throws -> [BenchmarkItem] {
        try jsonLines(root.appendingPathComponent("mbpp/mbpp_test.jsonl")).enumerated().map { i, o in
            BenchmarkItem(id: string(o["task_id"]) ?? String(i), category: "python", turns: [o["prompt"] as? String ?? ""],
                          reference: o["code"] as? String, tests: (o["test"] as? [String])?.joined(separator: "\n"))
        }
    }
}
