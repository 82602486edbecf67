// Inference-time architecture search: the slice split into dev and test, the models ranked on dev,
// trials chosen by an optimiser and evaluated through the Evaluator (so every item is stored as it
// finishes and a search run again pays nothing for what is stored), the objective score − λ·cost,
// and the best configurations re-scored on test.

import Foundation

/// What the objective charges per query.
public enum SearchCost: String, Sendable, CaseIterable {
    case calls, tokens, usd
    func of(_ q: QueryCost) -> Double {
        switch self {
        case .calls: q.calls
        case .tokens: q.tokens
        case .usd: q.dollars
        }
    }
}

/// A search line's settings.
public struct SearchSettings: Sendable, Equatable {
    public var optimizer: SearchOptimizer
    public var budget: Int
    public var seed: Int = 0
    /// Objective = score (0–1) − lambda · cost per query.
    public var lambda: Double = 0
    public var cost: SearchCost = .calls
    /// Share of the slice held out as the test split.
    public var testFraction: Double = 0.5
    /// Seeds the dev/test split (nil: `seed`); fixed while `seed` varies, optimisers can be compared on one split.
    public var splitSeed: Int?
    /// Trials evaluated at once.
    public var parallel: Int = 1

    public init(optimizer: SearchOptimizer, budget: Int) {
        self.optimizer = optimizer
        self.budget = budget
    }

    /// The settings as written on a search line (what the search's key is made of, with the space).
    public var text: String {
        "optimizer=\(optimizer.rawValue) budget=\(budget) seed=\(seed) lambda=\(Formatting.number(lambda)) cost=\(cost.rawValue) test=\(Formatting.number(testFraction))"
            + (splitSeed.map { " split=\($0)" } ?? "")
    }
}

/// The seeded, disjoint dev and test splits of a slice.
public struct SearchSplit: Sendable, Equatable {
    public var dev: [String]
    public var test: [String]

    public static func of(_ ids: [String], testFraction: Double, seed: Int) -> SearchSplit {
        var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)) ^ 0x5EA2C4)
        let shuffled = ids.shuffled(using: &rng)
        let t = min(max(1, Int((Double(ids.count) * testFraction).rounded())), ids.count - 1)
        return SearchSplit(dev: Array(shuffled.dropFirst(t)), test: Array(shuffled.prefix(t)))
    }
}

/// One evaluation: a configuration on the first `items` dev items (or the test split).
public struct SearchTrial: Sendable {
    public var number: Int
    public var point: Int
    public var config: SpaceConfig
    public var architecture: Architecture
    /// Successive halving's rung (nil for the other optimisers).
    public var rung: Int?
    public var items: Int
    public var score: Double
    public var cost: QueryCost
    public var objective: Double
    /// Items asked now (the rest came from the store).
    public var scoredNow: Int
    public var benchKey: String
}

/// Progress of a search, as it happens.
public struct SearchProgress: Sendable {
    public var phase: String
    public var trial: Int
    public var of: Int
    public var bestObjective: Double?
    public var best: String?
    public var paidCalls: Int
    public var cachedCalls: Int
    public var dollars: Double
}

/// What a search found.
public struct SearchOutcome: Sendable {
    public var space: DesignSpace
    public var settings: SearchSettings
    public var size: SpaceSize
    public var split: SearchSplit
    public var dataset: String
    public var slice: Slice
    /// Each generator model's dev score, best first: the order the generators axis takes.
    public var modelScores: [(model: ModelSpec, score: Double)]
    public var trials: [SearchTrial]
    public var best: SearchTrial
    /// The best configurations by dev objective, re-scored on test.
    public var finalists: [(trial: SearchTrial, test: BenchResult, cost: QueryCost)]
    public var paidCalls: Int
    public var cachedCalls: Int
    public var searchID: Int64
    public var resumedTrials: Int
}

public struct ArchitectureSearch: Sendable {
    public var space: DesignSpace
    public var settings: SearchSettings
    public var evaluator: Evaluator
    /// The bench of a target on the search's whole slice (names resolved, options checked).
    public var makeSpec: @Sendable (String, BenchTarget) throws -> BenchSpec
    public var pricing: Pricing?
    /// How many finalists are re-scored on test.
    public var finalists = 3

    public init(space: DesignSpace, settings: SearchSettings, evaluator: Evaluator, pricing: Pricing?,
                makeSpec: @escaping @Sendable (String, BenchTarget) throws -> BenchSpec) {
        self.space = space
        self.settings = settings
        self.evaluator = evaluator
        self.pricing = pricing
        self.makeSpec = makeSpec
    }

    final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var paid = 0, cached = 0, dollars = 0.0
        func add(_ s: Spend) {
            lock.lock(); defer { lock.unlock() }
            paid += s.calls - s.cached
            cached += s.cached
            dollars += s.cost
        }
    }

    public func run(cell: Int64?, onProgress: (@Sendable (SearchProgress) -> Void)? = nil) async throws -> SearchOutcome {
        guard let first = space.models.first else { throw ScriptError("space \(space.name) has no generator models") }
        let whole = try makeSpec(first.name, .model(first))
        guard whole.items.count >= 3 else {
            throw ScriptError("search needs at least 3 items to split into dev and test — \(whole.slice) has \(whole.items.count); take a larger slice")
        }
        let split = SearchSplit.of(whole.items.map(\.id), testFraction: settings.testFraction, seed: settings.splitSeed ?? settings.seed)
        let store = evaluator.store
        let keyText = "search|\(space.source)|models=\(space.models.map(\.definition).joined(separator: ";"))|\(whole.dataset.name)|\(whole.slice)"
            + "|judge=\(whole.judge?.definition ?? "")|\(settings.text)"
        let splitJSON = (try? JSONSerialization.data(withJSONObject: ["dev": split.dev, "test": split.test], options: [.sortedKeys])) ?? Data()
        let row = try store.openSearch(SearchRow(id: nil, key: SHA256.hex(keyText), sessionId: evaluator.session, cellId: cell, space: space.name,
                                                 definition: space.source, dataset: whole.dataset.name, slice: whole.slice.description,
                                                 optimizer: settings.optimizer.rawValue, seed: settings.seed, budget: settings.budget,
                                                 lambda: settings.lambda, cost: settings.cost.rawValue,
                                                 split: String(decoding: splitJSON, as: UTF8.self), status: "running",
                                                 createdAt: Date(), updatedAt: Date()))
        let searchID = row.id!
        let tally = Tally()
        let settings = self.settings
        var resumed = 0

        // The models, ranked by their own dev score: the generators axis takes the top k.
        var modelScores: [(model: ModelSpec, score: Double)] = []
        for (i, m) in space.models.enumerated() {
            let spec = try makeSpec(m.name, .model(m)).restricted(to: split.dev)
            let r = try await evaluator.run(spec, cell: cell)
            tally.add(r.spend)
            guard let mean = r.mean else { throw ScriptError("model \(m.name) scored no dev item — \(r.failures.first?.error ?? "no answers")") }
            modelScores.append((m, mean))
            let q = try QueryCost.of(r, store: store)
            try store.recordSearchTrial(SearchTrialRow(id: nil, searchId: searchID, phase: "models", number: i + 1, config: m.name,
                                                       notation: BenchTarget.model(m).definition, rung: nil, items: r.n, score: mean,
                                                       calls: q.calls, tokens: q.tokens, dollars: q.dollars,
                                                       objective: mean - settings.lambda * settings.cost.of(q), benchKey: spec.key))
        }
        let order = modelScores.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }.map(\.element.model)
        modelScores = order.map { m in modelScores.first { $0.model == m }! }

        let (points, size) = space.enumerate(order: order, pricing: pricing)
        guard !points.isEmpty else {
            throw ScriptError("space \(space.name) has no valid configuration — " + size.dropped.prefix(3).map { "\($0.count) \($0.reason)" }.joined(separator: "; "))
        }

        // One trial: a point on the first `items` dev items.
        let evaluator = self.evaluator
        let spaceName = space.name
        @Sendable func evaluate(_ p: Int, number: Int, items: [String], rung: Int?, phase: String) async throws -> (SearchTrial, BenchResult) {
            var arch = points[p].architecture
            arch.name = "\(spaceName)#\(p + 1)"
            let spec = try makeSpec(arch.name, .architecture(arch)).restricted(to: items)
            let r = try await evaluator.run(spec, cell: cell)
            tally.add(r.spend)
            guard let mean = r.mean else {
                throw ScriptError("trial \(number) (\(points[p].config.summary)) scored no item — \(r.failures.first?.error ?? "no answers")")
            }
            let q = try QueryCost.of(r, store: store)
            let trial = SearchTrial(number: number, point: p, config: points[p].config, architecture: arch, rung: rung, items: r.n,
                                    score: mean, cost: q, objective: mean - settings.lambda * settings.cost.of(q),
                                    scoredNow: r.scoredNow, benchKey: spec.key)
            try store.recordSearchTrial(SearchTrialRow(id: nil, searchId: searchID, phase: phase, number: number, config: trial.config.summary,
                                                       notation: arch.layersNotation, rung: rung, items: trial.items, score: mean,
                                                       calls: q.calls, tokens: q.tokens, dollars: q.dollars, objective: trial.objective,
                                                       benchKey: spec.key))
            return (trial, r)
        }

        var trials: [SearchTrial] = []
        func report(_ phase: String, of total: Int) {
            let full = trials.filter { $0.items == split.dev.count || settings.optimizer != .halving }
            let best = full.max { $0.objective < $1.objective }
            onProgress?(SearchProgress(phase: phase, trial: trials.count, of: total, bestObjective: best?.objective, best: best?.config.summary,
                                       paidCalls: tally.paid, cachedCalls: tally.cached, dollars: tally.dollars))
        }
        /// Evaluates a batch at once; trials are numbered in proposal order.
        func batch(_ ps: [Int], items: [String], rung: Int?) async throws -> [SearchTrial] {
            let base = trials.count
            let done = try await withThrowingTaskGroup(of: (Int, SearchTrial).self) { group in
                for (k, p) in ps.enumerated() {
                    group.addTask { (k, try await evaluate(p, number: base + k + 1, items: items, rung: rung, phase: "search").0) }
                }
                var out: [(Int, SearchTrial)] = []
                for try await t in group { out.append(t) }
                return out.sorted { $0.0 < $1.0 }.map(\.1)
            }
            resumed += done.filter { $0.scoredNow == 0 }.count
            return done
        }

        let parallel = max(1, settings.parallel)
        switch settings.optimizer {
        case .halving:
            let schedule = HalvingSchedule.plan(budget: settings.budget, dev: split.dev.count, points: points.count)
            var random = RandomProposer(points: points.count, seed: UInt64(bitPattern: Int64(settings.seed)))
            var alive = random.propose(schedule.rungs[0].configs, observed: [])
            let total = min(settings.budget, schedule.rungs.map(\.configs).reduce(0, +))
            for (r, rung) in schedule.rungs.enumerated() {
                let items = Array(split.dev.prefix(rung.items))
                var results: [SearchTrial] = []
                for chunk in stride(from: 0, to: alive.count, by: parallel) {
                    let done = try await batch(Array(alive[chunk..<min(alive.count, chunk + parallel)]), items: items, rung: r + 1)
                    trials += done
                    results += done
                    report("rung \(r + 1) of \(schedule.rungs.count) (\(rung.items) items)", of: total)
                }
                guard r + 1 < schedule.rungs.count else { break }
                let keep = schedule.rungs[r + 1].configs
                alive = results.enumerated().sorted { ($0.element.objective, -$0.offset) > ($1.element.objective, -$1.offset) }
                    .prefix(keep).map(\.element.point)
            }
        case .random, .greedy, .bo:
            var proposer: any TrialProposer = switch settings.optimizer {
            case .random: RandomProposer(points: points.count, seed: UInt64(bitPattern: Int64(settings.seed)))
            case .greedy: GreedyProposer(points: points, seed: UInt64(bitPattern: Int64(settings.seed)))
            default: BayesProposer(points: points, seed: UInt64(bitPattern: Int64(settings.seed)), budget: settings.budget)
            }
            let total = min(settings.budget, points.count)
            while trials.count < total {
                let observed = trials.map { Observation(point: $0.point, objective: $0.objective) }
                let proposed = proposer.propose(min(parallel, total - trials.count), observed: observed)
                guard !proposed.isEmpty else { break }
                // Greedy proposes a whole axis at once: run it in chunks of `parallel`.
                for chunk in stride(from: 0, to: min(proposed.count, total - trials.count), by: parallel) {
                    let part = Array(proposed[chunk..<min(proposed.count, total - trials.count, chunk + parallel)])
                    trials += try await batch(part, items: split.dev, rung: nil)
                    report("trial", of: total)
                }
            }
        }

        // The best on the whole dev split, and the finalists re-scored on test.
        let full = trials.filter { $0.items == split.dev.count || ($0.rung == nil) }
        var ranked: [SearchTrial] = []
        for t in full.enumerated().sorted(by: { ($0.element.objective, -$0.offset) > ($1.element.objective, -$1.offset) }).map(\.element)
        where !ranked.contains(where: { $0.point == t.point }) { ranked.append(t) }
        guard let best = ranked.first else { throw ScriptError("search \(space.name) evaluated no configuration on the whole dev split — raise budget=") }
        var finals: [(trial: SearchTrial, test: BenchResult, cost: QueryCost)] = []
        for (k, t) in ranked.prefix(finalists).enumerated() {
            let (_, r) = try await evaluate(t.point, number: k + 1, items: split.test, rung: nil, phase: "test")
            finals.append((t, r, try QueryCost.of(r, store: store)))
        }
        try store.finishSearch(searchID, best: best.architecture.layersNotation, dev: best.score, test: finals.first?.test.mean)
        return SearchOutcome(space: space, settings: settings, size: size, split: split, dataset: whole.dataset.name, slice: whole.slice,
                             modelScores: modelScores, trials: trials, best: best, finalists: finals,
                             paidCalls: tally.paid, cachedCalls: tally.cached, searchID: searchID, resumedTrials: resumed)
    }
}
