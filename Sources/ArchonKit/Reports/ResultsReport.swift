// Every bench result stored in a database, across sessions (`results` in the REPL, `archon results`).

import Foundation

public enum ResultsReport {
    /// The table of stored results, optionally for one dataset. `scorers` names the scorer of datasets
    /// the bundled registry does not know (a session's own `dataset` definitions).
    public static func render(_ store: SessionStore, dataset filter: String?, scorers: [String: String] = [:]) throws -> String {
        var rows: [[String]] = []
        for result in try store.benchResults() {
            let source = result.cell?.source.trimmingCharacters(in: .whitespaces) ?? "?"
            var scorer = ""
            var datasetName = ""
            if case .bench(let request)? = try? Parser.parse(source), let slice = try? Slice.parse(request.slice) {
                datasetName = slice.dataset
                scorer = scorers[datasetName]
                    ?? DatasetRegistry.entries.first { $0.name == datasetName }?.scorer
                    ?? (result.rows.contains { Judgement.from($0.judgement)?.ratings != nil } ? "judge" : "")
            }
            if let filter, datasetName != filter { continue }
            let h = BenchTable.headline(rows: result.rows, scorer: scorer)
            let place = result.cell.map { "session \($0.sessionId), cell \($0.number)" } ?? "?"
            rows.append([Formatting.snippet(source, 64), String(h.n), h.score, h.interval, place])
        }
        guard !rows.isEmpty else {
            return filter.map { "no stored results on \($0) — bench something first, e.g. bench tiny \($0)[0:10]" }
                ?? "no stored results yet — bench something first, e.g. bench reference math500"
        }
        return Formatting.table(["bench (the newest cell that wrote to it)", "n", "score", "95% CI", "where"], rows)
            + "\n(judged scores in their own unit: MT-Bench 1–10, win rates in %; `compare A B SLICE` reads a difference)"
    }
}
