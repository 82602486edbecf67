// Bench runs for items stored before runs had rows of their own (databases and exports written by
// earlier versions): each run's identity is read once from the bench line that last wrote to it.

import Foundation
import GRDB

/// Derives `benchRun` rows for stored items that have none.
///
/// Earlier versions kept only a hash key per result; the dataset, target and options were recovered by
/// re-parsing the newest cell's source on every `results`. That source may be `rerun N` (followed to
/// cell N here) and a user's dataset's scorer is only in the output of its `dataset` cell. This reads
/// both once, at migration or import, and never again.
enum LegacyBenchRuns {
    static func derive(_ db: Database) throws {
        let keys = try String.fetchAll(db, sql: "SELECT benchKey FROM benchItem WHERE runId IS NULL GROUP BY benchKey ORDER BY MIN(id)")
        for key in keys {
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM benchRun WHERE key = ?", arguments: [key]) {
                try db.execute(sql: "UPDATE benchItem SET runId = ? WHERE benchKey = ? AND runId IS NULL", arguments: [id, key])
                continue
            }
            let rows = try BenchItemRow.filter(Column("benchKey") == key).order(Column("id")).fetchAll(db)
            let cell = try rows.compactMap(\.cellId).max().flatMap { try CellRow.fetchOne(db, key: $0) }
            var run = BenchRunRow(id: nil, key: key, label: "?", targetKind: "unknown", target: "", dataset: "?", scorer: nil,
                                  title: "bench ? (source unknown)", spec: "{}", createdAt: cell?.startedAt ?? Date(),
                                  updatedAt: cell?.finishedAt ?? cell?.startedAt ?? Date(), sessionId: cell?.sessionId ?? rows.first?.sessionId,
                                  cellId: cell?.id)
            // Names are looked up as they stood when the cell ran (a rerun runs later than the cell it names).
            if let cell, let (request, _) = try benchRequest(cell, db) {
                let benchCell = cell
                let dataset = request.slice.dataset
                run.label = request.target
                run.dataset = dataset
                run.title = BenchTitle.text(label: request.target, dataset: dataset, samples: request.samples,
                                            judge: request.judge, baseline: request.baseline)
                let earlier = try CellRow.filter(Column("sessionId") == benchCell.sessionId && Column("number") <= benchCell.number && Column("status") == "ok")
                    .order(Column("number").desc).fetchAll(db)
                let scorer = DatasetRegistry.entries.first { $0.name == dataset }?.scorer
                    ?? userScorer(dataset, in: earlier)
                    ?? (rows.contains { Judgement.from($0.judgement)?.ratings != nil } ? .judge : nil)
                run.scorer = scorer?.rawValue
                let definition = definition(of: request.target, in: earlier)
                run.targetKind = definition.kind
                run.target = definition.text
                let spec: [String: Any] = ["target": definition.text, "samples": request.samples, "judge": request.judge ?? NSNull(),
                                           "baseline": request.baseline ?? NSNull(), "derived_from": "cell \(benchCell.number) of session \(benchCell.sessionId)"]
                run.spec = String(decoding: (try? JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
                if let scorer, let s = BenchSummary.of(rows, scorer: scorer) {
                    (run.n, run.score, run.low, run.high) = (s.n, s.score, s.low, s.high)
                }
            }
            try run.insert(db)
            try db.execute(sql: "UPDATE benchItem SET runId = ? WHERE benchKey = ?", arguments: [db.lastInsertedRowID, key])
        }
    }

    /// The bench request a cell ran, following `rerun N` to the cell it names.
    static func benchRequest(_ cell: CellRow, _ db: Database) throws -> (BenchRequest, CellRow)? {
        var current = cell
        for _ in 0..<16 {
            switch try? Parser.parse(current.source) {
            case .bench(let request)?: return (request, current)
            case .rerun(let n)?:
                guard let earlier = try CellRow.filter(Column("sessionId") == current.sessionId && Column("number") == n).fetchOne(db) else { return nil }
                current = earlier
            default: return nil
            }
        }
        return nil
    }

    /// The scorer a session's own dataset was loaded with, from its `dataset` cell's output (`cells`:
    /// the session's cells that ran before the bench, newest first).
    static func userScorer(_ name: String, in cells: [CellRow]) -> ScorerKind? {
        for c in cells where c.output.hasPrefix("dataset \(name)") {
            if let m = c.output.firstMatch(of: /· scorer (\w+)/) { return ScorerKind(rawValue: String(m.1)) }
        }
        return nil
    }

    /// How a target was defined in the session before the bench cell.
    static func definition(of label: String, in cells: [CellRow]) -> (kind: String, text: String) {
        if label == "reference" { return ("reference", "reference") }
        for c in cells {
            switch try? Parser.parse(c.source) {
            case .model(let spec)? where spec.name == label: return ("model", spec.definition.replacingOccurrences(of: "model \(spec.name) = ", with: ""))
            case .architecture(let a)? where a.name == label: return ("architecture", c.source)
            default: continue
            }
        }
        return ("unknown", label)
    }
}

/// The bench line of a run without its slice: what `results` lists.
public enum BenchTitle {
    public static func text(label: String, dataset: String, samples: Int, judge: String?, baseline: String?) -> String {
        "bench \(label) \(dataset)" + (samples > 1 ? " samples=\(samples)" : "") + (judge.map { " judge=\($0)" } ?? "")
            + (baseline.map { " baseline=\($0)" } ?? "")
    }
}
