// Text renderings of sessions, cells and calls from the store.

import Foundation

/// Renders store rows for `show`, `archon show` and `archon sessions`.
public enum SessionReport {
    static let dateFormat: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f
    }()

    public static func date(_ d: Date) -> String { dateFormat.string(from: d) }

    /// The table of sessions.
    public static func sessions(_ rows: [SessionSummary]) -> String {
        guard !rows.isEmpty else { return "no sessions recorded yet" }
        return Formatting.table(["id", "started", "kind", "cells", "calls", "tokens", "cost", "cached (saved)", "title"], rows.map {
            [String($0.id), date($0.startedAt), $0.kind, String($0.cells), String($0.calls),
             "\($0.promptTokens) → \($0.completionTokens)", costText($0.cost, unpriced: $0.unpricedCalls),
             $0.cachedCalls == 0 ? "-" : "\($0.cachedCalls) (\($0.savedTokens) tokens, \(Pricing.format($0.savedCost)))", $0.title ?? ""]
        })
    }

    /// A total cost: `$0.0123`, with `+ N unpriced` when some calls have no known price.
    public static func costText(_ cost: Double, unpriced: Int) -> String {
        unpriced == 0 ? Pricing.format(cost) : (cost > 0 ? "\(Pricing.format(cost)) + \(unpriced) unpriced" : "$? (\(unpriced) unpriced)")
    }

    /// The JSON array of sessions (`archon sessions --json`).
    public static func sessionsJSON(_ rows: [SessionSummary]) -> String {
        let iso = ISO8601DateFormatter()
        let objects: [[String: Any]] = rows.map { s in
            var o: [String: Any] = ["id": s.id, "started": iso.string(from: s.startedAt), "kind": s.kind,
                                    "cells": s.cells, "calls": s.calls, "prompt_tokens": s.promptTokens,
                                    "completion_tokens": s.completionTokens, "errors": s.errors,
                                    "cost_usd": s.cost, "unpriced_calls": s.unpricedCalls, "cached_calls": s.cachedCalls,
                                    "saved_tokens": s.savedTokens, "saved_usd": s.savedCost]
            if let e = s.endedAt { o["ended"] = iso.string(from: e) }
            if let t = s.title { o["title"] = t }
            return o
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// One call as a line: model, tokens, latency, error or cache mark.
    public static func callLine(_ c: CallRow, index: Int) -> String {
        var parts = ["#\(index)", c.modelName, "\(c.provider)/\(c.model)"]
        if let l = c.layer { parts.append("layer \(l)") }
        if let t = c.technique { parts.append(t) }
        if c.sampleIndex > 0 { parts.append("sample \(c.sampleIndex + 1)") }
        parts.append("\(c.promptTokens.map(String.init) ?? "?") → \(c.completionTokens.map(String.init) ?? "?") tokens")
        parts.append(Formatting.duration(c.latency))
        parts.append(Pricing.format(c.cost))
        if c.cached { parts.append("cached") }
        if c.attempts > 1 { parts.append("\(c.attempts) attempts") }
        var line = parts.joined(separator: " · ")
        if let log = c.attemptLog { line += "\n     retried: \(log)" }
        if let e = c.error { line += "\n     error: \(e)" }
        return line
    }

    /// Calls in a stable order — by layer, technique, model, sample and request — rather than the order
    /// they happened to finish in, so a cell reads the same every time it is shown (and replayed).
    public static func ordered(_ calls: [CallRow]) -> [CallRow] {
        calls.sorted {
            ($0.layer ?? 0, $0.technique ?? "", $0.modelName, $0.sampleIndex, $0.request, $0.id ?? 0)
                < ($1.layer ?? 0, $1.technique ?? "", $1.modelName, $1.sampleIndex, $1.request, $1.id ?? 0)
        }
    }

    static func itemTokens(_ r: BenchItemRow) -> Int { (r.promptTokens ?? 0) + (r.completionTokens ?? 0) }

    /// A cell with its source, status, output and calls.
    public static func cell(_ cell: CellRow, calls: [CallRow], layers: [LayerTrace] = [], items: [BenchItemRow] = []) -> String {
        var head = "cell \(cell.number) · \(cell.status)"
        if let s = cell.seconds ?? cell.finishedAt.map({ $0.timeIntervalSince(cell.startedAt) }) { head += " · " + Formatting.duration(s) }
        var text = head + "\n> " + cell.source.replacingOccurrences(of: "\n", with: "\n  ")
        if !cell.output.isEmpty { text += "\n" + cell.output }
        if !layers.isEmpty {
            text += "\nlayers:"
            for l in layers {
                text += "\n  layer \(l.layer) · \(l.technique) · \(l.candidatesIn.count) → \(l.candidatesOut.count) candidates · \(Formatting.duration(l.seconds))"
                if l.parseFailures > 0 { text += " · \(l.parseFailures) parse fallback(s)" }
                for (i, c) in l.candidatesOut.enumerated() {
                    text += "\n     out [\(i + 1)] \(c.origin): \(Formatting.snippet(c.text, 60))"
                    if let k = c.critique { text += "\n         critique: \(Formatting.snippet(k, 56))" }
                }
                if !l.unitTests.isEmpty { text += "\n     unit tests: " + l.unitTests.map { Formatting.snippet($0, 40) }.joined(separator: " | ") }
                for n in l.notes { text += "\n     note: \(n)" }
            }
            if let last = layers.last?.candidatesOut.first { text += "\n  chosen: \(last.origin)" }
        }
        if !items.isEmpty {
            text += "\nitems scored in this cell (\(items.count)):"
            let spent = items.filter { $0.calls != nil }
            if !spent.isEmpty {
                let calls = spent.compactMap(\.calls).reduce(0, +), tokens = spent.map(itemTokens).reduce(0, +)
                let cost = costText(spent.compactMap(\.cost).reduce(0, +), unpriced: spent.compactMap(\.unpricedCalls).reduce(0, +))
                text += " \(calls) calls, \(tokens) tokens, \(cost); per item \(String(format: "%.1f", Double(calls) / Double(spent.count))) calls, \(tokens / spent.count) tokens"
            }
            for r in items.prefix(40) {
                text += "\n  \(r.itemId)\(r.category.isEmpty ? "" : " [\(r.category)]") · \(Formatting.number(r.score)) · \(Formatting.snippet(r.detail, 90))"
                if let calls = r.calls {
                    text += "\n      \(calls) call\(calls == 1 ? "" : "s") · \(itemTokens(r)) tokens · \(costText(r.cost ?? 0, unpriced: r.unpricedCalls ?? 0))"
                        + (r.seconds.map { " · \(Formatting.duration($0))" } ?? "")
                }
            }
            if items.count > 40 { text += "\n  … \(items.count - 40) more" }
        }
        if !calls.isEmpty {
            let p = calls.compactMap(\.promptTokens).reduce(0, +), q = calls.compactMap(\.completionTokens).reduce(0, +)
            let cost = costText(calls.compactMap(\.cost).reduce(0, +), unpriced: calls.filter { $0.cost == nil }.count)
            text += "\ncalls (\(calls.count), \(p) → \(q) tokens, \(cost)):"
            for (i, c) in ordered(calls).enumerated() { text += "\n  " + callLine(c, index: i + 1) }
        }
        return text
    }

    /// A whole session: its header, then every cell.
    public static func session(_ s: SessionSummary, cells: [CellRow], calls: [CallRow]) -> String {
        var text = "session \(s.id) · \(s.kind) · started \(date(s.startedAt))"
        if let t = s.title { text += " · \(t)" }
        text += " · \(s.cells) cells · \(s.calls) calls · \(s.promptTokens) → \(s.completionTokens) tokens · \(costText(s.cost, unpriced: s.unpricedCalls))"
        let byCell = Dictionary(grouping: calls, by: { $0.cellId ?? -1 })
        for c in cells { text += "\n\n" + cell(c, calls: byCell[c.id ?? -2] ?? []) }
        return text
    }
}
