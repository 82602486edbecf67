// `space` and `search`: a design space's names resolved into models, and a search run by the
// Experiments layer's engine, its best configuration defined as SPACE_best.

import Foundation

extension Interpreter {
    /// Resolves a `space` line into a design space (names checked, values read).
    func designSpace(_ syntax: SpaceSyntax) throws -> DesignSpace {
        var models: [ModelSpec] = []
        for name in syntax.models {
            guard let m = workspace.model(name) else {
                if workspace.architecture(name) != nil { throw ScriptError("'\(name)' is an architecture — a space's generators are models (define one with `model`)") }
                throw ScriptError("no model named '\(name)' for space \(syntax.name)" + (Suggestion.closest(to: name, in: workspace.models.map(\.name))
                    .map { " — did you mean '\($0)'?" } ?? " — define it first with `model` (`models` lists them)"))
            }
            guard !models.contains(m) else { throw ScriptError("model \(name) is listed twice in space \(syntax.name) — list each once") }
            models.append(m)
        }
        if syntax.paper { return .paper(name: syntax.name, models: models, limits: syntax.limits, source: syntax.source) }
        func numbers(_ axis: SpaceAxis, min: Int, max: Int) throws -> [Int]? {
            guard let values = syntax.axes[axis] else { return nil }
            var out: [Int] = []
            for v in values {
                let parts = v.components(separatedBy: "..")
                if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a <= b {
                    out += Array(a...b)
                } else if let n = Int(v) {
                    out.append(n)
                } else {
                    throw ScriptError("\(axis.rawValue)(\(values.joined(separator: ", "))): '\(v)' is not a number or a range — write e.g. \(axis.rawValue)(1..3) or \(axis.rawValue)(1, 2, 4)")
                }
            }
            if let bad = out.first(where: { $0 < min || $0 > max }) {
                throw ScriptError("\(axis.rawValue) value \(bad) is out of range — \(axis.rawValue) takes \(min) to \(max)")
            }
            return Array(NSOrderedSet(array: out)).compactMap { $0 as? Int }
        }
        func choices<T>(_ axis: SpaceAxis, _ read: (String) -> T?, takes: String) throws -> [T]? {
            try syntax.axes[axis].map { values in
                try values.map { v in
                    guard let t = read(v) else { throw ScriptError("\(axis.rawValue): '\(v)' is not valid — it takes \(takes)") }
                    return t
                }
            }
        }
        let rankers = try choices(.ranker, { v -> RankerChoice? in
            if v == "off" { return .off }
            if v == "on" { return .on(topK: 3) }
            if v.hasPrefix("on top_k="), let k = Int(v.dropFirst("on top_k=".count)), k >= 1 { return .on(topK: k) }
            return nil
        }, takes: "off, on (top_k=3) or on top_k=N")
        let critics = try choices(.critic, { ["off": false, "on": true][$0] }, takes: "off or on")
        let evaluations = try choices(.evaluation, { EvaluationChoice(rawValue: $0) }, takes: "none, verifier or unit_tests")
        return DesignSpace(name: syntax.name, models: models, generators: Array(1...models.count),
                           samples: try numbers(.samples, min: 1, max: Limits.maxSamples) ?? [1],
                           fuseLayers: try numbers(.fuseLayers, min: 0, max: 8) ?? [1],
                           fusers: try numbers(.fusers, min: 1, max: 16) ?? [1],
                           rankers: rankers ?? [.off], critics: critics ?? [false], evaluations: evaluations ?? [.none],
                           limits: syntax.limits, source: syntax.source)
    }

    func defineSpace(_ syntax: SpaceSyntax, number: Int) throws -> CellResult {
        let space = try designSpace(syntax)
        let (points, size) = space.enumerate(pricing: client.pricing)
        guard !points.isEmpty else {
            throw ScriptError("space \(space.name) has no valid configuration — " + size.dropped.prefix(3).map { "\($0.count) \($0.reason)" }.joined(separator: "; "))
        }
        let replaced = workspace.define(space)
        return CellResult(number: number, output: (replaced ? "redefined" : "defined") + " space \(space.name): raw size \(size.raw), valid \(size.valid) — `space \(space.name)` describes it")
    }

    func describeSpace(_ name: String, number: Int) throws -> CellResult {
        guard let space = workspace.space(name) else { throw unknownSpace(name) }
        let (points, size) = space.enumerate(pricing: client.pricing)
        return CellResult(number: number, output: SearchTable.describe(space, points: points, size: size))
    }

    func unknownSpace(_ name: String) -> ScriptError {
        ScriptError("no space named '\(name)'" + (Suggestion.closest(to: name, in: workspace.spaces.map(\.name)).map { " — did you mean '\($0)'?" }
            ?? " — define one, e.g. space s1 = generators(\(workspace.models.prefix(2).map(\.name).joined(separator: ", "))) samples(1..3) fuse_layers(0..2)"))
    }

    func runSearch(_ request: SearchRequest, number: Int, cell: Int64) async throws -> CellResult {
        guard let space = workspace.space(request.space) else { throw unknownSpace(request.space) }
        let bestName = "\(space.name)_best"
        if workspace.model(bestName) != nil || workspace.recordedAnswers(bestName) != nil {
            throw ScriptError("the search defines \(bestName), which is already a \(workspace.model(bestName) != nil ? "model" : "set of answers") — rename it or the space")
        }
        let (dataset, root, mine) = try dataset(named: request.slice.dataset)
        let judge = try request.judge.map { name -> ModelSpec in
            guard let m = workspace.model(name) else { throw unknownTarget(name, role: "judge=") }
            return m
        }
        if dataset.scorer.isPairwise {
            throw ScriptError("search needs a score per item — \(dataset.name) is judged against a baseline; search math500, mixeval_hard, mt_bench or a dataset with answers")
        }
        let slice = request.slice
        let makeSpec: @Sendable (String, BenchTarget) throws -> BenchSpec = { label, target in
            try BenchSpec(label: label, target: target, dataset: dataset, slice: slice, judge: judge, datasetsRoot: root, userDataset: mine)
        }
        _ = try makeSpec(space.models[0].name, .model(space.models[0]))
        var settings = request.settings
        // Trials at once: enough to keep the calls in flight busy, a few at most.
        settings.parallel = max(1, min(4, await client.concurrency() / 4))
        recorder.resetTotals()
        let started = ContinuousClock.now
        let progress = streaming ? onProgress : nil
        let startedAt = Date()
        let search = ArchitectureSearch(space: space, settings: settings, evaluator: evaluator, pricing: client.pricing, makeSpec: makeSpec)
        let outcome = try await search.run(cell: cell) { p in
            var spend = Spend()
            spend.calls = p.paidCalls
            spend.cost = p.dollars
            var b = BenchProgress(total: p.of, resumed: 0, done: p.trial, failed: 0, elapsed: Date().timeIntervalSince(startedAt), spend: spend)
            b.unit = "trials"
            b.note = (p.best.map { "best \(String(format: "%.3f", p.bestObjective ?? 0)) (\($0))" } ?? "") + " · \(p.paidCalls) calls paid, \(p.cachedCalls) cached"
            progress?(b)
        }
        var best = outcome.best.architecture
        best.name = bestName
        workspace.define(best)
        let text = SearchTable.render(outcome, scorer: dataset.scorer, bestName: bestName)
        if let data = try? JSONEncoder().encode(SearchFigure(outcome)) {
            try store.recordFigure(cell: cell, kind: "search", data: String(decoding: data, as: UTF8.self))
        }
        let t = recorder.totals()
        let seconds = reported((ContinuousClock.now - started).seconds)
        var result = CellResult(number: number, output: text,
                                footer: "[\(number)] search \(space.name) · \(outcome.trials.count) trials (\(outcome.resumedTrials) resumed from the store) · "
                                    + "\(outcome.paidCalls) calls paid, \(outcome.cachedCalls) from the cache · \(t.prompt) → \(t.completion) tokens · "
                                    + "\(SessionReport.costText(t.cost, unpriced: t.unpriced)) · \(Formatting.duration(seconds))")
        result.seconds = seconds
        return result
    }
}
