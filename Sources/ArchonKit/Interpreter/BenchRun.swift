// `bench` and `compare`: names resolved into bench specs, evaluated by the Experiments layer, and the
// results handed to the reports.

import Foundation

extension Interpreter {
    func unknownTarget(_ name: String, role: String) -> ScriptError {
        ScriptError("no \(role == "judge=" ? "model" : "model, architecture or answers") named '\(name)' for \(role)" + (Suggestion.closest(to: name, in: workspace.names + ["reference"])
            .map { " — did you mean '\($0)'?" } ?? " — define one first (`models`, `archs` list them)"))
    }

    /// The target a name stands for: `reference`, a model or an architecture of the workspace.
    func benchTarget(_ name: String) -> BenchTarget? {
        if name == "reference" { return .reference }
        if let m = workspace.model(name) { return .model(m) }
        if let a = workspace.architecture(name) { return .architecture(a) }
        if let r = workspace.recordedAnswers(name) { return .recorded(r) }
        return nil
    }

    /// A dataset by name: the session's own, else a bundled one.
    func dataset(named name: String) throws -> (Dataset, root: URL?, mine: Bool) {
        if let mine = workspace.dataset(name) { return (mine, nil, true) }
        let root: URL
        do { root = try DatasetRegistry.root(environment: environment) } catch { throw ScriptError("\(error)") }
        do { return (try DatasetRegistry.load(name, root: root), root, false) } catch {
            throw ScriptError("\(error)" + (workspace.datasets.isEmpty ? "" : " (yours: \(workspace.datasets.map(\.name).joined(separator: ", ")))"))
        }
    }

    /// Resolves a bench line's names into a spec (checked: a wrong option fails before any call).
    func benchSpec(_ request: BenchRequest) throws -> BenchSpec {
        let (dataset, root, mine) = try dataset(named: request.slice.dataset)
        let scorer = dataset.scorer
        guard let target = benchTarget(request.target) else { throw unknownTarget(request.target, role: "bench") }
        var judge: ModelSpec?
        if let name = request.judge {
            guard scorer.acceptsJudge else {
                throw ScriptError("judge= does not apply to \(dataset.name): its \(scorer) scorer needs no judge — leave judge= out")
            }
            guard let m = workspace.model(name) else {
                if workspace.architecture(name) != nil { throw ScriptError("judge=\(name) is an architecture — a judge must be a model (define one with `model`)") }
                throw unknownTarget(name, role: "judge=")
            }
            judge = m
        }
        var baseline: BenchBaseline?
        if let name = request.baseline {
            guard scorer.isPairwise else {
                throw ScriptError("baseline= applies to pairwise benchmarks (alpaca_eval, arena_hard) — \(dataset.name) is scored by \(scorer)")
            }
            guard name != "reference", let t = benchTarget(name) else { throw unknownTarget(name, role: "baseline=") }
            baseline = .target(label: name, t)
        }
        return try BenchSpec(label: request.target, target: target, dataset: dataset, slice: request.slice, judge: judge,
                             baseline: baseline, samples: request.samples, datasetsRoot: root, userDataset: mine)
    }

    var evaluator: Evaluator { Evaluator(client: client, store: store, session: sessionID) }

    /// Runs a bench and returns its result table.
    func runBench(_ request: BenchRequest, number: Int, cell: Int64) async throws -> CellResult {
        let spec = try benchSpec(request)
        recorder.resetTotals()
        let progress = streaming ? onProgress : nil
        let result = try await evaluator.run(spec, cell: cell, onProgress: progress)
        var text = BenchTable.render(rows: result.items, slice: spec.slice, scorer: spec.scorer, samples: spec.samples,
                                     baseline: spec.baselineLabel)
        for n in result.notes { text += "\nnote: \(n)" }
        if case let .recorded(r) = spec.target, let row = r.leaderboard, spec.dataset.name == "alpaca_eval" {
            text += "\n" + Self.leaderboardLine(row) + " — for context: another judge and all 805 items"
        }
        if !result.failures.isEmpty {
            let shown = result.failures.prefix(3).map { "\($0.item): \(Formatting.snippet($0.error, 80))" }
            text += "\nnote: \(result.failures.count) item(s) failed and are not scored — \(shown.joined(separator: "; "))\(result.failures.count > 3 ? "; …" : "")"
                + " — run the same bench again to retry them"
        }
        // The cell's totals (the recorder's) are what this cell spent, as every footer reports them.
        let t = recorder.totals()
        let asked = spec.items.count - result.resumed
        let per = asked == 0 ? "" : " · per item: \(String(format: "%.1f", Double(t.calls) / Double(asked))) calls, \((t.prompt + t.completion) / asked) tokens"
        let j = recorder.judgeTotals()
        let how = spec.judge.map { " · judge \($0.name)" } ?? ""
        let judgeSpend = spec.judge == nil ? "" : " (judge: \(j.calls) calls, \(j.tokens) tokens, \(SessionReport.costText(j.cost, unpriced: j.unpriced)))"
        let seconds = reported(result.seconds)
        let failed = result.failures.isEmpty ? "" : "\(result.failures.count) failed, "
        var cellResult = CellResult(number: number, output: text,
                                    footer: "[\(number)] bench \(spec.label) · \(spec.scorer) scorer\(how) · \(result.scoredNow) scored now, \(failed)\(result.resumed) resumed · \(t.calls) calls · \(t.prompt) → \(t.completion) tokens · \(SessionReport.costText(t.cost, unpriced: t.unpriced))\(judgeSpend)\(per) · \(Formatting.duration(seconds))")
        cellResult.seconds = seconds
        if !result.failures.isEmpty { cellResult.status = .incomplete }
        return cellResult
    }

    func runCompare(_ request: BenchRequest, other: String, number: Int) throws -> CellResult {
        guard request.target != other else { throw ScriptError("compare needs two different targets — e.g. compare trio tiny \(request.slice)") }
        var otherRequest = request
        otherRequest.target = other
        let specs = [try benchSpec(request), try benchSpec(otherRequest)]
        var results: [BenchResult] = []
        for spec in specs {
            let r = try evaluator.stored(spec)
            guard !r.items.isEmpty else {
                let line = "bench \(spec.label) \(request.slice)" + (request.samples > 1 ? " samples=\(request.samples)" : "")
                    + (request.judge.map { " judge=\($0)" } ?? "") + (request.baseline.map { " baseline=\($0)" } ?? "")
                throw ScriptError("\(spec.label) has no stored results on \(spec.slice) with these options — run `\(line)` first")
            }
            results.append(r)
        }
        let comparison = try PairedComparison(results[0], results[1], labels: (request.target, other))
        return CellResult(number: number, output: ComparisonTable.render(comparison, slice: specs[0].slice))
    }
}
