// `ablate` and `diagnose`: an architecture's variants benched on the same items and compared with
// it, and where an architecture loses the correct answers its candidates held.

import Foundation

extension Interpreter {
    /// The architecture an ablation or diagnosis studies.
    func studiedArchitecture(_ name: String, command: String) throws -> Architecture {
        if let a = workspace.architecture(name) { return a }
        if workspace.model(name) != nil || workspace.recordedAnswers(name) != nil {
            throw ScriptError("\(command) studies an architecture's parts — '\(name)' is a \(workspace.model(name) != nil ? "model" : "set of recorded answers"); "
                              + "define one, e.g. arch a = gen(\(workspace.models.first?.name ?? "tiny"), samples=4) | fuse(\(workspace.models.first?.name ?? "tiny"))")
        }
        throw ScriptError("no architecture named '\(name)' for \(command)" + (Suggestion.closest(to: name, in: workspace.architectures.map(\.name))
            .map { " — did you mean '\($0)'?" } ?? " — define one with `arch` (`archs` lists them)"))
    }

    func runAblation(_ request: AblationRequest, number: Int, cell: Int64) async throws -> CellResult {
        let base = try studiedArchitecture(request.bench.target, command: "ablate")
        var changes: [AblationChange] = []
        for c in request.changes {
            switch c {
            case let .drop(what): changes.append(.drop(what))
            case let .replace(n, components, source): changes.append(.replace(layer: n, with: try resolveLayer(components, source: source)))
            case let .vary(key, values): changes.append(.vary(key: key, values: values))
            }
        }
        let plan = try AblationPlan(base, changes: changes)
        // Every variant gets a name the other commands accept: explain, bench, compare, export archon.
        for v in plan.variants where !v.isFull {
            if workspace.model(v.name) != nil || workspace.recordedAnswers(v.name) != nil {
                throw ScriptError("the variant name \(v.name) is already taken by a \(workspace.model(v.name) != nil ? "model" : "set of answers") — rename it")
            }
            workspace.define(v.architecture)
        }
        let specs = try plan.variants.map { v -> BenchSpec in
            var r = request.bench
            r.target = v.name
            return try benchSpec(r)
        }
        recorder.resetTotals()
        let started = ContinuousClock.now
        let study = try await AblationStudy.run(plan, specs: specs, evaluator: evaluator, cell: cell,
                                                onProgress: streaming ? onProgress : nil)
        var text = AblationTable.render(study)
        var diagnosis: Diagnosis?
        if Diagnosis.applies(to: specs[0].scorer), let full = study.rows.first {
            let d = await Diagnosis.of(full.result, architecture: base, items: specs[0].items, dataset: specs[0].dataset.name, scorer: specs[0].scorer)
            text += "\n\n" + DiagnosisTable.render(d, architecture: base)
            diagnosis = d
        }
        // The charts' data stays with the cell: the HTML notebook draws them.
        if let data = try? JSONEncoder().encode(AblationFigure(study, diagnosis: diagnosis)) {
            try store.recordFigure(cell: cell, kind: "ablation", data: String(decoding: data, as: UTF8.self))
        }
        let t = recorder.totals()
        let seconds = reported((ContinuousClock.now - started).seconds)
        var result = CellResult(number: number, output: text,
                                footer: "[\(number)] ablate \(base.name) · \(study.rows.count) variants on \(study.rows.first?.result.n ?? 0) items · "
                                    + "\(study.paidCalls) calls paid, \(study.cachedCalls) from the cache · \(t.prompt) → \(t.completion) tokens · "
                                    + "\(SessionReport.costText(t.cost, unpriced: t.unpriced)) · \(Formatting.duration(seconds))")
        result.seconds = seconds
        if study.rows.contains(where: { !$0.result.failures.isEmpty }) { result.status = .incomplete }
        return result
    }

    func runDiagnosis(_ request: BenchRequest, number: Int, cell: Int64) async throws -> CellResult {
        let arch = try studiedArchitecture(request.target, command: "diagnose")
        let spec = try benchSpec(request)
        guard Diagnosis.applies(to: spec.scorer) else {
            throw ScriptError("diagnose needs gold answers to check candidates against — \(spec.dataset.name) is scored by \(spec.scorer); "
                              + "use math500, aime, humaneval, mbpp, mixeval_hard or a dataset with answers")
        }
        recorder.resetTotals()
        let started = ContinuousClock.now
        let result = try await evaluator.run(spec, cell: cell, onProgress: streaming ? onProgress : nil)
        let d = await Diagnosis.of(result, architecture: arch, items: spec.items, dataset: spec.dataset.name, scorer: spec.scorer)
        let t = recorder.totals()
        let seconds = reported((ContinuousClock.now - started).seconds)
        var out = CellResult(number: number, output: DiagnosisTable.render(d, architecture: arch),
                             footer: "[\(number)] diagnose \(arch.name) · \(result.scoredNow) scored now, \(result.resumed) resumed · \(t.calls) calls · "
                                 + "\(t.prompt) → \(t.completion) tokens · \(SessionReport.costText(t.cost, unpriced: t.unpriced)) · \(Formatting.duration(seconds))")
        out.seconds = seconds
        if !result.failures.isEmpty { out.status = .incomplete }
        return out
    }
}
