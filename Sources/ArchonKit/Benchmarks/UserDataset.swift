// A user's own benchmark: a JSONL file (or a JSON list) read through a field mapping.

import Foundation

/// A file layout with conventions of its own.
public enum DatasetFormat: String, Sendable, Equatable {
    /// MixEval's release files: items keyed by id, `context`, `target` as option indices.
    case mixeval
}

/// `dataset NAME = "FILE.jsonl" prompt=FIELD [answer=FIELD] … [scorer=S]`: which field holds what.
public struct UserDatasetSpec: Sendable, Equatable {
    public var name: String
    public var path: String
    /// Mapping key → field path in each record (`a.b` reaches into nested objects).
    public var fields: [String: String] = [:]
    /// Chosen scorer, or nil to pick one from the fields given.
    public var scorer: ScorerKind?
    /// A known file layout whose fields and conventions apply (`format=mixeval`).
    public var format: DatasetFormat?

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// What each mapping key means (for help, completion and errors).
    public static let keys: [(key: String, meaning: String)] = [
        ("prompt", "the question (text)"),
        ("context", "text the prompt puts before the question (MixEval's context)"),
        ("turns", "the user turns (a list of texts), instead of prompt"),
        ("answer", "the gold answer (math, match) or reference answer (judge)"),
        ("targets", "accepted answers (a list, or one text)"),
        ("options", "the options of a multiple-choice item (a list)"),
        ("tests", "Python tests run after the answer's code (text, or a list of asserts)"),
        ("entry_point", "the function the tests call (with a `check` function in tests); a prompt that is code (HumanEval's) runs before the answer, a prompt in words does not"),
        ("baseline", "an answer to compare against (pairwise, arena)"),
        ("category", "the category, for per-category rows"),
        ("id", "the item id (default: the line number)"),
        ("scorer", "math | match | mixeval | code | judge | pairwise | arena (default: chosen from the fields)"),
        ("format", "mixeval: a MixEval release file (an object of items keyed by id) read with MixEval's fields and prompts"),
    ]
    /// MixEval's field names, the mapping `format=mixeval` starts from (each can still be set).
    public static let mixEvalFields = ["prompt": "prompt", "context": "context", "targets": "target", "options": "options",
                                       "category": "benchmark_name"]
    public static let scorers = ScorerKind.forUserDatasets.map(\.rawValue)

    public struct SpecError: Error, Sendable {
        public var message: String
        public var isKey: Bool
    }

    public mutating func set(_ key: String, _ value: String) throws(SpecError) {
        if key == "format" {
            guard value == "mixeval" else {
                throw SpecError(message: "unknown format '\(value)' — the one format with defaults is mixeval (MixEval's release files); "
                    + "other files need prompt=FIELD and the rest", isKey: false)
            }
            format = .mixeval
            for (k, field) in Self.mixEvalFields where fields[k] == nil { fields[k] = field }
            if scorer == nil { scorer = .mixeval }
            return
        }
        if key == "scorer" {
            guard let kind = ScorerKind(rawValue: value), ScorerKind.forUserDatasets.contains(kind) else {
                throw SpecError(message: "unknown scorer '\(value)'" + (Suggestion.closest(to: value, in: Self.scorers).map { " — did you mean '\($0)'?" }
                    ?? " — use one of \(Self.scorers.joined(separator: ", "))"), isKey: false)
            }
            scorer = kind
            return
        }
        guard Self.keys.contains(where: { $0.key == key }) else {
            throw SpecError(message: "unknown dataset key '\(key)'" + Suggestion.hint(for: key, in: Self.keys.map(\.key))
                + " (keys: \(Self.keys.map(\.key).joined(separator: ", ")))", isKey: true)
        }
        fields[key] = value
    }

    /// The scorer used: the one chosen, else code (tests), match (options, answer or targets), judge.
    public var effectiveScorer: ScorerKind {
        if let scorer { return scorer }
        if fields["tests"] != nil { return .code }
        if fields["baseline"] != nil { return .pairwise }
        if fields["options"] != nil || fields["answer"] != nil || fields["targets"] != nil { return .match }
        return .judge
    }

    /// Checks that the mapping can feed its scorer.
    public func validate() throws(SpecError) {
        if (fields["prompt"] == nil) == (fields["turns"] == nil) {
            throw SpecError(message: "dataset \(name) needs exactly one of prompt=FIELD or turns=FIELD — e.g. prompt=question", isKey: false)
        }
        switch effectiveScorer {
        case .math where fields["answer"] == nil:
            throw SpecError(message: "scorer math needs answer=FIELD (the gold final answer)", isKey: false)
        case .match where fields["answer"] == nil && fields["targets"] == nil, .mixeval where fields["answer"] == nil && fields["targets"] == nil:
            throw SpecError(message: "scorer \(effectiveScorer) needs answer=FIELD or targets=FIELD", isKey: false)
        case .code where fields["tests"] == nil:
            throw SpecError(message: "scorer code needs tests=FIELD (Python run after the answer's code)", isKey: false)
        default: break
        }
    }

    /// Reads the file (relative paths from `directory`) into a dataset.
    public func load(relativeTo directory: URL) throws -> Dataset {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DatasetError(message: "cannot read \(path) — check the path (relative paths start at \(directory.path))")
        }
        let text = String(decoding: data, as: UTF8.self)
        var records: [(line: Int, object: [String: Any])] = []
        var keys: [Int: String] = [:]
        if text.drop(while: { $0.isWhitespace }).first == "{", let keyed = Self.keyedRecords(data) {
            // MixEval's release files: one object whose values are the items, keyed by id.
            for (i, entry) in keyed.enumerated() {
                records.append((i + 1, entry.object))
                keys[i + 1] = entry.key
            }
        } else if text.drop(while: { $0.isWhitespace }).first == "[" {
            guard let list = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
                throw DatasetError(message: "\(path) starts with [ but is not a JSON list — write one JSON object per line (JSONL) or a valid list")
            }
            for (i, o) in list.enumerated() {
                guard let object = o as? [String: Any] else { throw DatasetError(message: "\(path): element \(i + 1) of the list is not an object") }
                records.append((i + 1, object))
            }
        } else {
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty { continue }
                guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                    throw DatasetError(message: "\(path) line \(i + 1) is not a JSON object — each line must be one object, e.g. {\"question\": \"…\", \"answer\": \"…\"}")
                }
                records.append((i + 1, object))
            }
        }
        guard !records.isEmpty else { throw DatasetError(message: "\(path) has no records") }
        let scorer = effectiveScorer
        var items: [BenchmarkItem] = []
        var ids: Set<String> = []
        for (line, object) in records {
            func value(_ key: String, required: Bool = false) throws -> Any? {
                guard let field = fields[key] else { return nil }
                var current: Any? = object
                for part in field.split(separator: ".") { current = (current as? [String: Any])?[String(part)] }
                if current is NSNull { current = nil }
                if current == nil, required {
                    throw DatasetError(message: "\(path) line \(line) has no field '\(field)' (for \(key)=) — its fields: \(object.keys.sorted().joined(separator: ", "))")
                }
                return current
            }
            func text(_ key: String, required: Bool = false) throws -> String? {
                guard let v = try value(key, required: required) else { return nil }
                if let s = DatasetRegistry.string(v) { return s }
                if let list = v as? [Any] { return list.compactMap(DatasetRegistry.string).joined(separator: "\n") }
                throw DatasetError(message: "\(path) line \(line): field '\(fields[key]!)' (for \(key)=) is not text or a number")
            }
            func list(_ key: String, required: Bool = false) throws -> [String]? {
                guard let v = try value(key, required: required) else { return nil }
                if let l = v as? [Any] { return l.map { DatasetRegistry.string($0) ?? "\($0)" } }
                if let s = DatasetRegistry.string(v) { return [s] }
                throw DatasetError(message: "\(path) line \(line): field '\(fields[key]!)' (for \(key)=) is not a list")
            }
            let turns = try fields["turns"] != nil ? list("turns", required: true)! : [text("prompt", required: true)!]
            let most = scorer.isPairwise ? 1 : 2
            guard (1...most).contains(turns.count) else {
                throw DatasetError(message: "\(path) line \(line): \(turns.count) turns — the \(scorer) scorer takes \(most == 1 ? "one turn" : "one or two turns (as MT-Bench)")")
            }
            let id = try text("id") ?? keys[line] ?? String(line)
            guard ids.insert(id).inserted else {
                throw DatasetError(message: "\(path) line \(line): id '\(id)' is used twice — ids must be unique (or leave id= out)")
            }
            let answer = try text("answer", required: scorer == .math)
            let options = try list("options")
            var targets = try list("targets")
            if let options, format == .mixeval {
                // MixEval's targets of a choice item are 0-based option indices.
                guard let t = targets, !t.isEmpty, t.allSatisfy({ Int($0).map { (0..<options.count).contains($0) } ?? false }) else {
                    throw DatasetError(message: "\(path) item \(keys[line] ?? String(line)): the target \(targets ?? []) is not a list of option indices 0…\(options.count - 1)")
                }
            } else if let options, let a = answer ?? targets?.first {
                // A choice item: keep targets as option indices. A letter (`C`, `(C)`, `C.`) names an option
                // by its place before anything else, so numeric options ("1"…"4") are never misread;
                // then the option's text; then a 0-based index.
                let bare = a.trimmingCharacters(in: CharacterSet(charactersIn: "()[]. "))
                let letter = bare.count == 1 ? MixEvalAnswer.letters.prefix(options.count).firstIndex(of: Character(bare.uppercased())) : nil
                let index = letter ?? options.firstIndex(of: a) ?? Int(a).flatMap { $0 < options.count ? $0 : nil }
                guard let index else {
                    throw DatasetError(message: "\(path) line \(line): the answer '\(a)' is not an option letter, index or option text")
                }
                targets = [String(index)]
            } else if targets == nil, let answer, scorer == .match || scorer == .mixeval {
                targets = [answer]
            }
            items.append(BenchmarkItem(id: id, category: try text("category") ?? "", turns: turns, reference: answer, options: options,
                                       targets: targets, tests: try text("tests", required: scorer == .code),
                                       entryPoint: try text("entry_point"), baseline: try text("baseline"),
                                       context: MixEvalPrompt.context(try value("context"))))
        }
        return Dataset(name: name, items: items, scorer: scorer, source: path)
    }

    /// The items of a file that is one JSON object of objects (keyed by id, numeric keys in number
    /// order); nil for anything else.
    static func keyedRecords(_ data: Data) -> [(key: String, object: [String: Any])]? {
        guard let dict = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], !dict.isEmpty else { return nil }
        var out: [(key: String, object: [String: Any])] = []
        for (key, value) in dict {
            guard let object = value as? [String: Any] else { return nil }
            out.append((key, object))
        }
        return out.sorted { a, b in
            switch (Int(a.key), Int(b.key)) {
            case let (x?, y?): return x < y
            default: return a.key < b.key
            }
        }
    }
}
