// A session as a notebook: Markdown, or one self-contained HTML file.

import Foundation

/// Renders a recorded session as a readable notebook: each cell's source and output, its calls,
/// tokens and cost; layer traces folded away (`<details>`).
public enum NotebookExport {
    struct Cell {
        var row: CellRow
        var calls: [CallRow]
        var layers: [LayerTrace]
        /// The cell's charts as inline SVG (an ablation study's, a search's).
        var charts: [String] = []
    }

    static func load(_ store: SessionStore, _ id: Int64) throws -> (SessionSummary, [Cell]) {
        let summary = try store.session(id)
        let calls = Dictionary(grouping: try store.calls(session: id), by: { $0.cellId ?? -1 })
        let cells = try store.cells(session: id).map { row in
            Cell(row: row, calls: calls[row.id!] ?? [], layers: LayerTrace.decode(try store.layers(cell: row.id!)),
                 charts: try store.figures(cell: row.id!).compactMap(chart))
        }
        return (summary, cells)
    }

    /// A kept figure drawn as SVG (nil for a kind this version does not draw).
    static func chart(_ f: (kind: String, data: String)) -> String? {
        let data = Data(f.data.utf8)
        switch f.kind {
        case "ablation": return (try? JSONDecoder().decode(AblationFigure.self, from: data))?.svg
        case "search": return (try? JSONDecoder().decode(SearchFigure.self, from: data))?.svg
        default: return nil
        }
    }

    static func figures(_ c: Cell) -> String? {
        guard !c.calls.isEmpty else { return nil }
        let p = c.calls.compactMap(\.promptTokens).reduce(0, +), q = c.calls.compactMap(\.completionTokens).reduce(0, +)
        let cached = c.calls.filter(\.cached).count
        let cost = SessionReport.costText(c.calls.filter { !$0.cached }.compactMap(\.cost).reduce(0, +),
                                          unpriced: c.calls.filter { !$0.cached && $0.cost == nil && $0.error == nil }.count)
        return "\(c.calls.count) call\(c.calls.count == 1 ? "" : "s") · \(p) → \(q) tokens · \(cost)" + (cached > 0 ? " · \(cached) from cache" : "")
    }

    static func title(_ s: SessionSummary) -> String {
        "Session \(s.id)" + (s.title.map { " — \($0)" } ?? "")
    }

    static func header(_ s: SessionSummary) -> String {
        "\(s.kind) · started \(SessionReport.date(s.startedAt)) · \(s.cells) cells · \(s.calls) calls · \(s.promptTokens) → \(s.completionTokens) tokens · \(SessionReport.costText(s.cost, unpriced: s.unpricedCalls))"
    }

    static func layerText(_ l: LayerTrace) -> String {
        var t = "layer \(l.layer) · \(l.technique) · \(l.candidatesIn.count) → \(l.candidatesOut.count) candidates"
        for (i, c) in l.candidatesOut.enumerated() {
            t += "\n  [\(i + 1)] \(c.origin): \(c.text)"
            if let k = c.critique { t += "\n      critique: \(k)" }
        }
        for n in l.notes { t += "\n  note: \(n)" }
        return t
    }

    /// Markdown: a heading per cell, source and output in code blocks, layers folded.
    public static func markdown(_ store: SessionStore, session id: Int64) throws -> String {
        let (s, cells) = try load(store, id)
        var out = "# \(title(s))\n\n\(header(s))\n"
        for c in cells {
            out += "\n## [\(c.row.number)] \(c.row.status)\n\n```\n\(c.row.source)\n```\n"
            if !c.row.output.isEmpty { out += "\n```text\n\(c.row.output)\n```\n" }
            if let f = figures(c) { out += "\n_\(f)_\n" }
            if !c.layers.isEmpty {
                out += "\n<details><summary>layer traces</summary>\n\n```text\n" + c.layers.map(layerText).joined(separator: "\n") + "\n```\n\n</details>\n"
            }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// One self-contained HTML file (inline style and SVG charts, no scripts, nothing fetched).
    public static func html(_ store: SessionStore, session id: Int64) throws -> String {
        let (s, cells) = try load(store, id)
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title(s)))</title>
            <style>
            body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            .cell{border-left:3px solid #8ab;padding:.2rem 1rem;margin:1.2rem 0}.cell.error,.cell.cancelled,.cell.interrupted,.cell.incomplete{border-color:#c55}
            pre{background:#f5f5f5;padding:.6rem;overflow-x:auto;white-space:pre-wrap}.src{background:#eef4f8}
            .fig{color:#666;font-size:.9em}summary{cursor:pointer;color:#357}
            </style></head><body>
            <h1>\(escape(title(s)))</h1><p class="fig">\(escape(header(s)))</p>

            """
        for c in cells {
            out += "<div class=\"cell \(escape(c.row.status))\"><p class=\"fig\">[\(c.row.number)] \(escape(c.row.status))</p>"
            out += "<pre class=\"src\">\(escape(c.row.source))</pre>"
            if !c.row.output.isEmpty { out += "<pre>\(escape(c.row.output))</pre>" }
            for svg in c.charts { out += "<figure>\(svg)</figure>" }
            if let f = figures(c) { out += "<p class=\"fig\">\(escape(f))</p>" }
            if !c.layers.isEmpty {
                out += "<details><summary>layer traces</summary><pre>\(escape(c.layers.map(layerText).joined(separator: "\n")))</pre></details>"
            }
            if !c.calls.isEmpty {
                out += "<details><summary>calls</summary><pre>\(escape(c.calls.enumerated().map { SessionReport.callLine($1, index: $0 + 1) }.joined(separator: "\n")))</pre></details>"
            }
            out += "</div>\n"
        }
        return out + "</body></html>\n"
    }
}
