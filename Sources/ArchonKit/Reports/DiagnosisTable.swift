// The report of `diagnose`: per layer the oracle against what came out, what each layer lost and
// found, and the selection gap between the generator's pool and the final answer.

import Foundation

public enum DiagnosisTable {
    public static func render(_ d: Diagnosis, architecture: Architecture) -> String {
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func ratio(_ a: Int, _ b: Int) -> String { b == 0 ? "–" : "\(a)/\(b)" }
        var rows: [[String]] = []
        for l in d.layers {
            var role = ""
            if let top = l.topCorrect { role = "top choice correct \(ratio(top, l.hadCorrect))" }
            if l.precision != nil || l.recall != nil {
                role = "precision \(l.precision.map(pct) ?? "–"), recall \(l.recall.map(pct) ?? "–")"
            }
            if let w = l.testsPassingWrong, let r = l.testsFailingRight {
                role = "test verdicts: pass a wrong answer \(ratio(w.count, w.of)), fail a right one \(ratio(r.count, r.of))"
            }
            rows.append([String(l.layer), l.technique?.shortName ?? "?", String(format: "%.1f", l.candidates), pct(l.oracle), pct(l.passAt1),
                         l.layer == 1 ? "" : ratio(l.lost, l.hadCorrect), l.layer == 1 ? "" : ratio(l.found, l.hadNone), role])
        }
        var text = "diagnosis of \(architecture.name) on \(d.items) item(s): candidates of every layer scored against the gold answers\n"
        text += Formatting.table(["layer", "technique", "candidates", "oracle", "pass@1", "lost", "found", ""], rows)
        text += "\nfinal answer correct: \(pct(d.final)) · generator pool oracle: \(pct(d.layers.first?.oracle ?? 0)) · selection gap: \(pct(d.selectionGap))"
        text += "\noracle: some candidate correct · pass@1: share of candidates correct · lost: a correct candidate came in and none went out · found: none came in and one went out"
        if d.missing > 0 {
            text += "\nnote: \(d.missing) item(s) have no stored candidates (benched by an earlier version, or failed) and are left out — bench them again to include them"
        }
        if d.items < 30 {
            text += "\nnote: n = \(d.items) is small: a share moves by \(pct(1 / Double(max(1, d.items)))) per item"
        }
        return text
    }
}
