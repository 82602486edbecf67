// The optimisers that choose which configurations to evaluate next. Each sees only what has been
// observed (a point and its objective) and is seeded, so the same search proposes the same trials.

import Foundation

/// Which optimiser a search uses.
public enum SearchOptimizer: String, Sendable, CaseIterable {
    /// Configurations in a seeded random order.
    case random
    /// One axis at a time: every value of an axis with the others held, move to the best, next axis;
    /// a random restart when a whole round of axes moves nowhere.
    case greedy
    /// Bayesian optimisation: a Gaussian process over the encoded configurations with a linear prior
    /// mean (axes and calls), hyperparameters fitted by marginal likelihood, Expected Improvement (over the best posterior mean of the points
    /// evaluated) maximised over every unseen configuration.
    case bo
    /// Successive halving: many configurations on few dev items, the better half on twice as many,
    /// until one remains on the whole dev split.
    case halving
}

/// A configuration (by its index among the space's valid points) and the objective it scored.
public struct Observation: Sendable, Equatable {
    public var point: Int
    public var objective: Double
    public init(point: Int, objective: Double) { (self.point, self.objective) = (point, objective) }
}

/// Proposes the next points to evaluate from what has been observed; empty when it has nothing left.
protocol TrialProposer {
    mutating func propose(_ count: Int, observed: [Observation]) -> [Int]
}

/// Points in a seeded random order.
struct RandomProposer: TrialProposer {
    var order: [Int]
    var next = 0
    init(points: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        order = Array(0..<points).shuffled(using: &rng)
    }
    mutating func propose(_ count: Int, observed: [Observation]) -> [Int] {
        let seen = Set(observed.map(\.point))
        var out: [Int] = []
        while out.count < count, next < order.count {
            if !seen.contains(order[next]) { out.append(order[next]) }
            next += 1
        }
        return out
    }
}

/// Coordinate ascent over the axes.
struct GreedyProposer: TrialProposer {
    let index: [[Int]]
    var random: RandomProposer
    var current: Int?
    var axis = 0
    /// Axes swept since the incumbent last moved.
    var still = 0
    var sweeping = false

    init(points: [SpacePoint], seed: UInt64) {
        index = points.map(\.index)
        random = RandomProposer(points: points.count, seed: seed)
    }

    /// Points that differ from `p` on `axis` only.
    func line(_ p: Int, _ axis: Int) -> [Int] {
        index.indices.filter { q in
            q != p && index[q].indices.allSatisfy { $0 == axis ? index[q][$0] != index[p][$0] : index[q][$0] == index[p][$0] }
        }
    }

    mutating func propose(_ count: Int, observed: [Observation]) -> [Int] {
        let score = Dictionary(observed.map { ($0.point, $0.objective) }, uniquingKeysWith: { a, _ in a })
        let axes = index.first?.count ?? 0
        if sweeping, let c = current {
            // The sweep just observed: move to the best point of the line (ties keep the incumbent).
            let best = ([c] + line(c, axis)).filter { score[$0] != nil }.max { score[$0]! < score[$1]! || (score[$0]! == score[$1]! && $1 == c) }
            if let best, best != c, score[best]! > score[c]! { current = best; still = 0 } else { still += 1 }
            axis = (axis + 1) % max(1, axes)
            sweeping = false
        }
        var tried = 0
        while true {
            guard let c = current, still < axes else {
                // Start, or a round of axes without a move: restart from a random unseen point.
                guard let start = random.propose(1, observed: observed).first else { return [] }
                current = start
                (still, axis) = (0, 0)
                return [start]
            }
            let todo = line(c, axis).filter { score[$0] == nil }
            if !todo.isEmpty {
                sweeping = true
                return todo
            }
            // Nothing new on this axis: count it as swept.
            still += 1
            axis = (axis + 1) % max(1, axes)
            tried += 1
            if tried > axes { current = nil }
        }
    }
}

/// Bayesian optimisation with Expected Improvement over the best posterior mean among the points
/// chosen so far (the "plug-in" incumbent for noisy scores); a batch is filled by the "kriging
/// believer" rule (each pick is assumed to score the model's mean, so the next pick looks elsewhere).
/// The process's prior mean is a ridge regression on the axes and the calls per query
/// (``LinearPrior``), refitted on every batch; the process models what the line leaves over.
struct BayesProposer: TrialProposer {
    let features: [[Double]]
    /// The features of the prior mean: the encoded axes and the calls per query, scaled to [0, 1].
    let priorFeatures: [[Double]]
    var random: RandomProposer
    let initial: Int
    var hyper: GPHyperparameters?
    var fits = 0
    let seed: UInt64

    init(points: [SpacePoint], seed: UInt64, budget: Int) {
        features = points.map(\.features)
        let most = Double(max(1, points.map(\.calls).max() ?? 1))
        priorFeatures = points.map { $0.features + [Double($0.calls) / most] }
        random = RandomProposer(points: points.count, seed: seed)
        initial = min(max(3, budget / 6), 8)
        self.seed = seed
    }

    mutating func propose(_ count: Int, observed: [Observation]) -> [Int] {
        guard observed.count >= initial, features.first?.isEmpty == false else {
            return random.propose(observed.count < initial ? min(count, initial - observed.count) : count, observed: observed)
        }
        var x = observed.map { features[$0.point] }
        let line = LinearPrior.fit(x: observed.map { priorFeatures[$0.point] }, y: observed.map(\.objective), ridge: LinearPrior.searchRidge)
        func prior(_ p: Int) -> Double { line.predict(priorFeatures[p]) }
        var y = observed.map { $0.objective - prior($0.point) }
        // Warm start from the last fit; a fresh multi-start fit now and then.
        let restarts = fits % 8 == 0 ? 3 : 0
        guard var gp = GaussianProcess.fit(x: x, y: y, start: hyper, restarts: restarts, seed: seed &+ UInt64(fits)) else {
            return random.propose(count, observed: observed)
        }
        fits += 1
        hyper = gp.hyper
        var seen = Set(observed.map(\.point))
        var out: [Int] = []
        let observedPoints = observed.map(\.point)
        for _ in 0..<count {
            // The incumbent is the best the model believes of a point already chosen (its posterior
            // mean), not the best noisy observation: a lucky score is not a bar to clear.
            let best = (observedPoints + out).map { gp.predict(features[$0]).mean + prior($0) }.max() ?? 0
            var pick: (Int, Double)?
            for p in features.indices where !seen.contains(p) {
                let (residual, v) = gp.predict(features[p])
                let ei = GaussianProcess.expectedImprovement(mean: residual + prior(p), variance: v, best: best)
                if pick == nil || ei > pick!.1 { pick = (p, ei) }
            }
            guard let (p, _) = pick else { break }
            out.append(p)
            seen.insert(p)
            x.append(features[p])
            y.append(gp.predict(features[p]).mean) // the residual the process expects: the pick scores the model's mean
            guard let next = GaussianProcess(x: x, y: y, hyper: gp.hyper) else { break }
            gp = next
        }
        return out
    }
}

/// The rungs of successive halving within `budget` trials: configurations and dev items per rung.
public struct HalvingSchedule: Sendable, Equatable {
    public var rungs: [(configs: Int, items: Int)]
    public static func == (a: Self, b: Self) -> Bool { a.rungs.elementsEqual(b.rungs) { $0 == $1 } }

    /// Rungs from a few dev items (a fifth of an eighth of them, at least 4) doubling up to all `dev`
    /// items, the configurations halving from rung to rung; as many first-rung configurations as
    /// the budget allows (at most `points`), so the last rung compares several on the whole dev split.
    public static func plan(budget: Int, dev: Int, points: Int) -> HalvingSchedule {
        let least = min(dev, max(4, Int((Double(dev) / 8).rounded(.up))))
        var rungCount = 1
        while dev / (1 << rungCount) >= least { rungCount += 1 }
        let items = (0..<rungCount).map { i in Int((Double(dev) / pow(2, Double(rungCount - 1 - i))).rounded(.up)) }
        func counts(_ start: Int) -> [Int] { (0..<rungCount).map { max(1, start >> $0) } }
        var start = min(points, budget)
        while start > 1, counts(start).reduce(0, +) > budget { start -= 1 }
        return HalvingSchedule(rungs: Array(zip(counts(start), items)))
    }
}

extension SearchOptimizer {
    /// The points an optimiser evaluates, in order, when each point's objective is known in advance
    /// (no bench is run): for checking optimisers against a table. Halving needs items, so it is not
    /// traced here.
    public func trace(points: [SpacePoint], budget: Int, seed: UInt64, batch: Int = 1, objective: (Int) -> Double) -> [Int] {
        var proposer: any TrialProposer = switch self {
        case .greedy: GreedyProposer(points: points, seed: seed)
        case .bo: BayesProposer(points: points, seed: seed, budget: budget)
        case .random, .halving: RandomProposer(points: points.count, seed: seed)
        }
        var observed: [Observation] = []
        let total = min(budget, points.count)
        while observed.count < total {
            let next = proposer.propose(min(batch, total - observed.count), observed: observed)
            guard !next.isEmpty else { break }
            for p in next.prefix(total - observed.count) { observed.append(Observation(point: p, objective: objective(p))) }
        }
        return observed.map(\.point)
    }
}
