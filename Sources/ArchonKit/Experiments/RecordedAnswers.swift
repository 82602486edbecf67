// Answers a published system gave, read from its output file: AlpacaEval's `model_outputs` (a JSON
// list of instruction/output) or FastChat's `model_answer` (JSONL with question ids and turns).

import Foundation

/// Answers a system gave elsewhere, turn by turn, matched to items by id or by instruction text.
public struct RecordedAnswers: Sendable, Equatable {
    /// The file layouts read.
    public enum Format: String, Sendable, CaseIterable {
        /// AlpacaEval `model_outputs`: `[{"instruction", "output", "generator", …}]`, matched by instruction.
        case alpacaEval = "alpaca_eval"
        /// FastChat `model_answer`: one `{"question_id", "model_id", "choices": [{"turns": […]}]}` per line, matched by id.
        case fastchat
    }

    /// How answers find their items.
    public enum Matching: Sendable, Equatable {
        case itemID
        /// The first turn's text (white space collapsed).
        case instruction
    }

    /// A published leaderboard row for these answers (found beside the file).
    public struct LeaderboardRow: Sendable, Equatable {
        public var name: String
        public var winRate: Double
        public var standardError: Double?
        public var lengthControlled: Double?
        public var total: Int?
    }

    public var name: String
    /// Answers by match key (item id, or instruction), each the answer's turns.
    public var answers: [String: [String]]
    public var matchBy: Matching
    /// Where they came from: the file, its format and the system's name in it.
    public var source: String?
    public var format: Format?
    public var generator: String?
    public var leaderboard: LeaderboardRow?

    public init(name: String, answers: [String: [String]], matchBy: Matching = .itemID) {
        self.name = name
        self.answers = answers
        self.matchBy = matchBy
    }

    /// The recorded turns for an item; nil when it has none, or a different number of turns than the
    /// item asks (a two-turn MT-Bench answer does not answer a one-turn question whose id happens to match).
    public func answer(for item: BenchmarkItem) -> [String]? {
        let found: [String]?
        switch matchBy {
        case .itemID: found = answers[item.id]
        case .instruction: found = item.turns.first.flatMap { answers[Self.instructionKey($0)] }
        }
        guard let found, found.count == item.turns.count else { return nil }
        return found
    }

    static func instructionKey(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Reads a recorded-answers file (relative paths from `directory`). The format is taken from
    /// the file when not given: a JSON list is AlpacaEval's, JSONL FastChat's.
    public static func load(name: String, path: String, format: Format?, relativeTo directory: URL) throws -> RecordedAnswers {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DatasetError(message: "cannot read \(path) — check the path (relative paths start at \(directory.path))")
        }
        let text = String(decoding: data, as: UTF8.self)
        let chosen = format ?? (text.drop(while: \.isWhitespace).first == "[" ? .alpacaEval : .fastchat)
        var r: RecordedAnswers
        switch chosen {
        case .alpacaEval:
            guard let list = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
                throw DatasetError(message: "\(path) is not a JSON list — format=alpaca_eval reads AlpacaEval's model_outputs: [{\"instruction\": …, \"output\": …}, …]")
            }
            var answers: [String: [String]] = [:]
            var generators: Set<String> = []
            for (i, element) in list.enumerated() {
                guard let o = element as? [String: Any], let instruction = o["instruction"] as? String, let output = o["output"] as? String else {
                    throw DatasetError(message: "\(path): entry \(i + 1) has no instruction and output texts — is this AlpacaEval's model_outputs format?")
                }
                answers[instructionKey(instruction)] = [output]
                if let g = o["generator"] as? String { generators.insert(g) }
            }
            r = RecordedAnswers(name: name, answers: answers, matchBy: .instruction)
            r.generator = generators.count == 1 ? generators.first : nil
        case .fastchat:
            var answers: [String: [String]] = [:]
            var models: Set<String> = []
            for (i, line) in text.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                      let id = DatasetRegistry.string(o["question_id"]),
                      let turns = ((o["choices"] as? [[String: Any]])?.first?["turns"]) as? [String] else {
                    throw DatasetError(message: "\(path) line \(i + 1) has no question_id and choices[0].turns — is this FastChat's model_answer format (JSONL)?")
                }
                answers[id] = turns
                if let m = o["model_id"] as? String { models.insert(m) }
            }
            guard !answers.isEmpty else { throw DatasetError(message: "\(path) has no answers") }
            r = RecordedAnswers(name: name, answers: answers, matchBy: .itemID)
            r.generator = models.count == 1 ? models.first : nil
        }
        r.source = path
        r.format = chosen
        if let generator = r.generator {
            r.leaderboard = leaderboardRow(for: generator, in: url.deletingLastPathComponent().appendingPathComponent("leaderboard.csv"))
        }
        return r
    }

    /// The row of an AlpacaEval leaderboard CSV (`,win_rate,standard_error,…,n_total,…,length_controlled_winrate,…`) named `generator`.
    static func leaderboardRow(for generator: String, in file: URL) -> LeaderboardRow? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let win = header.firstIndex(of: "win_rate") else { return nil }
        func column(_ name: String, _ row: [String]) -> String? { header.firstIndex(of: name).flatMap { $0 < row.count ? row[$0] : nil } }
        guard let row = lines.dropFirst().first(where: { $0.first == generator }), win < row.count, let rate = Double(row[win]) else { return nil }
        return LeaderboardRow(name: generator, winRate: rate / 100, standardError: column("standard_error", row).flatMap(Double.init).map { $0 / 100 },
                              lengthControlled: column("length_controlled_winrate", row).flatMap(Double.init).map { $0 / 100 },
                              total: column("n_total", row).flatMap { Int($0) })
    }
}
