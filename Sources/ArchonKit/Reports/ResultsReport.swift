// Every bench result stored in a database, across sessions (`results` in the REPL, `archon results`).

import Foundation

public enum ResultsReport {
    /// One stored result: the bench line that wrote to it last, its dataset and scorer, and where.
    struct Entry {
        var source: String
        var dataset: String
        var scorer: String
        var rows: [BenchItemRow]
        var cell: CellRow?
    }

    static func entries(_ store: SessionStore, dataset filter: String?, scorers: [String: String]) throws -> [Entry] {
        try store.benchResults().compactMap { result in
            let source = result.cell?.source.trimmingCharacters(in: .whitespaces) ?? "?"
            var scorer = ""
            var datasetName = ""
            if case .bench(let request)? = try? Parser.parse(source), let slice = try? Slice.parse(request.slice) {
                datasetName = slice.dataset
                scorer = scorers[datasetName]
                    ?? DatasetRegistry.entries.first { $0.name == datasetName }?.scorer
                    ?? (result.rows.contains { Judgement.from($0.judgement)?.ratings != nil } ? "judge" : "")
            }
            if let filter, datasetName != filter { return nil }
            return Entry(source: source, dataset: datasetName, scorer: scorer, rows: result.rows, cell: result.cell)
        }
    }

    /// The table of stored results, optionally for one dataset. `scorers` names the scorer of datasets
    /// the bundled registry does not know (a session's own `dataset` definitions).
    public static func render(_ store: SessionStore, dataset filter: String?, scorers: [String: String] = [:]) throws -> String {
        let rows: [[String]] = try entries(store, dataset: filter, scorers: scorers).map { e in
            let h = BenchTable.headline(rows: e.rows, scorer: e.scorer)
            let place = e.cell.map { "session \($0.sessionId), cell \($0.number)" } ?? "?"
            return [Formatting.snippet(e.source, 64), String(h.n), h.score, h.interval, place]
        }
        guard !rows.isEmpty else {
            return filter.map { "no stored results on \($0) — bench something first, e.g. bench tiny \($0)[0:10]" }
                ?? "no stored results yet — bench something first, e.g. bench reference math500"
        }
        return Formatting.table(["bench (the newest cell that wrote to it)", "n", "score", "95% CI", "where"], rows)
            + "\n(judged scores in their own unit: MT-Bench 1–10, win rates in %; `compare A B SLICE` reads a difference)"
    }

    /// The same as a JSON array, numbers as numbers (`unit`: `fraction` 0–1, or `rating` 1–10).
    public static func json(_ store: SessionStore, dataset filter: String?) throws -> String {
        let objects: [[String: Any]] = try entries(store, dataset: filter, scorers: [:]).map { e in
            var o: [String: Any] = ["bench": e.source, "dataset": e.dataset, "scorer": e.scorer,
                                    "unit": e.scorer == "judge" ? "rating" : "fraction", "stored_items": e.rows.count]
            if let h = BenchTable.headlineValues(rows: e.rows, scorer: e.scorer) {
                o["n"] = h.n
                o["score"] = h.score
                o["ci_low"] = h.low
                o["ci_high"] = h.high
            } else {
                o["n"] = 0
            }
            if let c = e.cell {
                o["session"] = c.sessionId
                o["cell"] = c.number
            }
            return o
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
