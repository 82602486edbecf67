// Every bench result stored in a database, across sessions (`results` in the REPL, `archon results`).

import Foundation

public enum ResultsReport {
    /// One stored run with its items and the cell that evaluated it last.
    struct Entry {
        var run: BenchRunRow
        var rows: [BenchItemRow]
        var cell: CellRow?
        var scorer: ScorerKind? { run.scorerKind }
    }

    static func entries(_ store: SessionStore, dataset filter: String?) throws -> [Entry] {
        try store.benchRuns().compactMap { run in
            if let filter, run.dataset != filter { return nil }
            let rows = try store.benchItems(run: run.id!)
            guard !rows.isEmpty else { return nil }
            return Entry(run: run, rows: rows, cell: try run.cellId.flatMap { try store.cellRow(id: $0) })
        }
    }

    /// The table of stored results, optionally for one dataset. `scorers` names the scorer of datasets
    /// the bundled registry does not know (a session's own `dataset` definitions).
    public static func render(_ store: SessionStore, dataset filter: String?) throws -> String {
        let rows: [[String]] = try entries(store, dataset: filter).map { e in
            let h = e.scorer.map { BenchTable.headline(rows: e.rows, scorer: $0) } ?? (n: e.rows.count, score: "?", interval: "scorer unknown")
            let place = e.cell.map { "session \($0.sessionId), cell \($0.number)" } ?? "?"
            return [Formatting.snippet(e.run.title, 64), String(h.n), h.score, h.interval, place]
        }
        let searches = try store.searches().filter { filter == nil || $0.dataset == filter }
        var searchText = ""
        if !searches.isEmpty {
            searchText = "\n\nsearches:\n" + Formatting.table(["search", "optimizer", "budget", "seed", "objective", "trials", "best (dev → test)", "status"], try searches.map { s in
                let trials = try store.searchTrials(s.id!).filter { $0.phase == "search" }.count
                let best = s.bestDev.map { d in "\(BenchTable.format(d, scorer: .math)) → \(s.bestTest.map { BenchTable.format($0, scorer: .math) } ?? "–")" } ?? "–"
                return ["\(s.space) on \(s.slice)", s.optimizer, String(s.budget), String(s.seed), "score − \(Formatting.number(s.lambda))×\(s.cost)",
                        String(trials), best, s.status]
            })
        }
        guard !rows.isEmpty else {
            if !searchText.isEmpty { return String(searchText.dropFirst(2)) }
            return filter.map { "no stored results on \($0) — bench something first, e.g. bench tiny \($0)[0:10]" }
                ?? "no stored results yet — bench something first, e.g. bench reference math500"
        }
        return Formatting.table(["bench (what is measured)", "n", "score", "95% CI", "where"], rows)
            + "\n(judged scores in their own unit: MT-Bench 1–10, win rates in %; `compare A B SLICE` reads a difference)" + searchText
    }

    /// The same as a JSON array, numbers as numbers (`unit`: `fraction` 0–1, or `rating` 1–10).
    public static func json(_ store: SessionStore, dataset filter: String?) throws -> String {
        let objects: [[String: Any]] = try entries(store, dataset: filter).map { e in
            var o: [String: Any] = ["bench": e.run.title, "dataset": e.run.dataset, "scorer": e.run.scorer ?? NSNull(),
                                    "label": e.run.label, "target_kind": e.run.targetKind, "key": e.run.key,
                                    "unit": e.scorer?.isRating == true ? "rating" : "fraction", "stored_items": e.rows.count]
            let spent = e.rows.filter { $0.calls != nil }
            if !spent.isEmpty {
                o["calls"] = spent.compactMap(\.calls).reduce(0, +)
                o["tokens"] = spent.map { ($0.promptTokens ?? 0) + ($0.completionTokens ?? 0) }.reduce(0, +)
                o["cost_usd"] = spent.compactMap(\.cost).reduce(0, +)
            }
            if let scorer = e.scorer, let h = BenchTable.headlineValues(rows: e.rows, scorer: scorer) {
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
