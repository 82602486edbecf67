// `compare A B SLICE [options]`: two stored bench results on the same items, and whether their
// difference can be read at this n (a paired bootstrap over the items both have).

import Foundation

extension Interpreter {
    func runCompare(_ request: BenchRequest, other: String, number: Int) throws -> CellResult {
        guard request.target != other else { throw ScriptError("compare needs two different targets — e.g. compare trio tiny \(request.slice)") }
        var otherRequest = request
        otherRequest.target = other
        let a = try planBench(request), b = try planBench(otherRequest)
        let rowsA = try store.benchItems(key: a.key), rowsB = try store.benchItems(key: b.key)
        func scored(_ r: BenchItemRow?) -> BenchItemRow? {
            guard let r, Judgement.from(r.judgement)?.scored ?? true else { return nil }
            return r
        }
        func benchLine(_ target: String) -> String {
            "bench \(target) \(request.slice)" + (request.samples > 1 ? " samples=\(request.samples)" : "")
                + (request.judge.map { " judge=\($0)" } ?? "") + (request.baseline.map { " baseline=\($0)" } ?? "")
        }
        for (plan, rows, target) in [(a, rowsA, request.target), (b, rowsB, other)] where !plan.items.contains(where: { rows[$0.id] != nil }) {
            throw ScriptError("\(target) has no stored results on \(plan.slice.description) with these options — run `\(benchLine(target))` first")
        }
        let inB = Set(b.items.map(\.id))
        var pairs: [(x: Double, y: Double)] = []
        var unpaired = 0
        for item in a.items where inB.contains(item.id) {
            let x = scored(rowsA[item.id]), y = scored(rowsB[item.id])
            if let x, let y { pairs.append((x.score, y.score)) } else if x != nil || y != nil { unpaired += 1 }
        }
        guard !pairs.isEmpty else {
            throw ScriptError("no item of \(a.slice.description) is scored for both \(request.target) and \(other) — finish both benches first")
        }
        let ratings = a.scorer == "judge"
        func show(_ v: Double, signed: Bool = false) -> String { (signed && v > 0 ? "+" : "") + BenchTable.format(v, scorer: a.scorer) }
        let xs = pairs.map(\.x), ys = pairs.map(\.y), diffs = pairs.map { $0.x - $0.y }
        var rows: [[String]] = []
        for (name, values) in [(request.target, xs), (other, ys)] {
            let ci = Statistics.bootstrapCI(values)
            rows.append([name, String(values.count), show(Statistics.mean(values)), "\(show(ci.low)) – \(show(ci.high))"])
        }
        var text = "\(a.slice.description) · \(a.scorer) scorer · items scored for both: \(pairs.count)\n"
        text += Formatting.table(["target", "n", ratings ? "score (1–10)" : "score", "95% CI (bootstrap, 1000)"], rows)
        let d = Statistics.mean(diffs), ci = Statistics.bootstrapCI(diffs)
        let better = diffs.filter { $0 > 0 }.count, worse = diffs.filter { $0 < 0 }.count
        text += "\ndifference \(request.target) − \(other): \(show(d, signed: true)) (95% CI \(show(ci.low, signed: true)) – \(show(ci.high, signed: true)), paired bootstrap over items, 1000 rounds)"
        text += "\n\(request.target) better on \(better) item(s), \(other) better on \(worse), equal on \(diffs.count - better - worse)"
        if ci.low > 0 || ci.high < 0 {
            text += "\nreadable: the interval excludes 0 — \(d > 0 ? request.target : other) scores higher on these items"
        } else {
            text += "\nnot readable at n = \(pairs.count): the interval includes 0 — more items would tell"
        }
        if a.scorer == "arena" { text += "\n(per-item win shares against the baseline; each bench's table gives its Bradley–Terry rate)" }
        if unpaired > 0 { text += "\nnote: \(unpaired) item(s) scored for only one of them are left out" }
        return CellResult(number: number, output: text)
    }
}
