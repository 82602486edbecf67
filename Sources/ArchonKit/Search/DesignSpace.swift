// A design space in the paper's terms: which models generate (the top k by their own dev score),
// samples per model, fusion layers, fusers per layer, a ranker and a critic before each fusion layer,
// an evaluation layer before the last fuser — with the configurations the construction rules, the
// models' context windows and a per-query budget allow.

import Foundation

/// The ranker axis: none, or a ranker keeping the top k before each fusion layer.
public enum RankerChoice: Sendable, Hashable, CustomStringConvertible {
    case off
    case on(topK: Int)
    public var description: String { if case let .on(k) = self { "rank top_k=\(k)" } else { "no rank" } }
}

/// The evaluation axis: what checks the candidates before the last fuser.
public enum EvaluationChoice: String, Sendable, Hashable, CaseIterable {
    case none, verifier
    case unitTests = "unit_tests"
}

/// The axes of a space, in the order they are written and encoded.
public enum SpaceAxis: String, Sendable, CaseIterable {
    case generators, samples
    case fuseLayers = "fuse_layers"
    case fusers, ranker, critic, evaluation

    /// Ordinal axes (a number; neighbours are alike) as opposed to categorical ones.
    public var ordinal: Bool { [.generators, .samples, .fuseLayers, .fusers].contains(self) }
}

/// Per-query limits a configuration must fit (estimated before any call, as `explain` estimates).
public struct SpaceLimits: Sendable, Equatable {
    public var maxCalls: Int?
    public var maxTokens: Int?
    public var maxUSD: Double?
    public init(maxCalls: Int? = nil, maxTokens: Int? = nil, maxUSD: Double? = nil) {
        (self.maxCalls, self.maxTokens, self.maxUSD) = (maxCalls, maxTokens, maxUSD)
    }
}

/// One point of a space: a value on every axis.
public struct SpaceConfig: Sendable, Hashable {
    public var generators: Int
    public var samples: Int
    public var fuseLayers: Int
    public var fusers: Int
    public var ranker: RankerChoice
    public var critic: Bool
    public var evaluation: EvaluationChoice

    /// Short text for tables: `3 gen × 2 · rank top_k=3 · critic · fuse 2×1`.
    public var summary: String {
        var parts = ["\(generators) gen × \(samples)"]
        if fuseLayers == 0 {
            if case .on = ranker { parts.append(ranker.description) }
            if critic { parts.append("critic") }
            if evaluation != .none { parts.append(evaluation.rawValue) }
            parts.append("no fuser")
        } else {
            if critic { parts.append("critic") }
            if case .on = ranker { parts.append(ranker.description) }
            if evaluation != .none { parts.append(evaluation.rawValue) }
            parts.append("fuse \(fuseLayers)×\(fusers)")
        }
        return parts.joined(separator: " · ")
    }
}

/// A valid configuration with its architecture and per-query estimates.
public struct SpacePoint: Sendable {
    public var config: SpaceConfig
    public var architecture: Architecture
    public var calls: Int
    public var tokens: Int
    public var dollars: Double?
    /// The position of each axis value (axes in ``SpaceAxis`` order).
    public var index: [Int]
    /// The configuration encoded for the Gaussian process: ordinal axes scaled to [0, 1], categorical
    /// axes one-hot (axes with a single value left out).
    public var features: [Double]
}

/// How many configurations a space holds, before and after the filters, and why some were dropped.
public struct SpaceSize: Sendable {
    public var raw: Int
    public var valid: Int
    /// Configurations that build the same architecture as an earlier one (an axis that does not apply).
    public var duplicates: Int
    /// Dropped, by reason (construction rules, context, budget), in first-seen order.
    public var dropped: [(reason: String, count: Int)]
}

public struct DesignSpace: Sendable {
    public var name: String
    /// The generator models, in the order given (a search reorders them by their dev score).
    public var models: [ModelSpec]
    public var generators: [Int]
    public var samples: [Int]
    public var fuseLayers: [Int]
    public var fusers: [Int]
    public var rankers: [RankerChoice]
    public var critics: [Bool]
    public var evaluations: [EvaluationChoice]
    public var limits: SpaceLimits
    /// The line that defined it (after `=`), as written: part of what a search's key is made of.
    public var source: String

    public init(name: String, models: [ModelSpec], generators: [Int]? = nil, samples: [Int] = [1], fuseLayers: [Int] = [1],
                fusers: [Int] = [1], rankers: [RankerChoice] = [.off], critics: [Bool] = [false],
                evaluations: [EvaluationChoice] = [.none], limits: SpaceLimits = SpaceLimits(), source: String = "") {
        self.name = name
        self.models = models
        self.generators = generators ?? Array(1...max(1, models.count))
        self.samples = samples
        self.fuseLayers = fuseLayers
        self.fusers = fusers
        self.rankers = rankers
        self.critics = critics
        self.evaluations = evaluations
        self.limits = limits
        self.source = source
    }

    /// The paper's axes over `models` (as we read its ITAS section): the top 1–10 models generate,
    /// 1–5 samples each, 1–3 fusion layers of 1–5 fusers, a ranker (top 5) and a critic before each
    /// fusion layer or not, and no evaluation, a verifier or unit tests before the last fuser.
    public static func paper(name: String, models: [ModelSpec], limits: SpaceLimits = SpaceLimits(), source: String) -> DesignSpace {
        DesignSpace(name: name, models: models, generators: Array(1...min(10, max(1, models.count))), samples: Array(1...5),
                    fuseLayers: [1, 2, 3], fusers: Array(1...5), rankers: [.off, .on(topK: 5)], critics: [false, true],
                    evaluations: EvaluationChoice.allCases, limits: limits, source: source)
    }

    /// Each axis with its number of values.
    public var axes: [(axis: SpaceAxis, count: Int)] {
        [(.generators, generators.count), (.samples, samples.count), (.fuseLayers, fuseLayers.count), (.fusers, fusers.count),
         (.ranker, rankers.count), (.critic, critics.count), (.evaluation, evaluations.count)]
    }

    /// Every combination of axis values, in axis order.
    public var rawSize: Int { axes.map(\.count).reduce(1, *) }

    /// The axis values of a configuration, as written (`3`, `off`, `on top_k=3`, `verifier`).
    public func values(of axis: SpaceAxis) -> [String] {
        switch axis {
        case .generators: generators.map(String.init)
        case .samples: samples.map(String.init)
        case .fuseLayers: fuseLayers.map(String.init)
        case .fusers: fusers.map(String.init)
        case .ranker: rankers.map { if case let .on(k) = $0 { "on top_k=\(k)" } else { "off" } }
        case .critic: critics.map { $0 ? "on" : "off" }
        case .evaluation: evaluations.map(\.rawValue)
        }
    }

    /// Builds the architecture of `config` with generator models in `order` (best first): the top
    /// `generators` models each sample `samples` answers; then, per fusion layer, a critic and a ranker
    /// (the best model), before the last one the evaluation, and `fusers` fusers (the top models).
    /// Without fusion layers the critic, ranker and evaluation follow the generators.
    public func architecture(_ config: SpaceConfig, order: [ModelSpec], name: String) -> Architecture {
        let top = order[0]
        func component(_ kind: TechniqueKind, _ model: ModelSpec) -> Component { Component(kind: kind, model: model) }
        var layers = [Layer(order.prefix(config.generators).map { m in
            var c = component(.generator, m)
            c.samples = config.samples
            return c
        })]
        func checks(last: Bool) {
            if config.critic { layers.append(Layer([component(.critic, top)])) }
            if case let .on(k) = config.ranker {
                var r = component(.ranker, top)
                r.topK = k
                layers.append(Layer([r]))
            }
            guard last else { return }
            switch config.evaluation {
            case .none: break
            case .verifier: layers.append(Layer([component(.verifier, top)]))
            case .unitTests:
                layers.append(Layer([component(.unitTestGenerator, top)]))
                layers.append(Layer([component(.unitTestEvaluator, top)]))
            }
        }
        if config.fuseLayers == 0 { checks(last: true) }
        for l in 0..<config.fuseLayers {
            checks(last: l == config.fuseLayers - 1)
            layers.append(Layer((0..<config.fusers).map { component(.fuser, order[$0 % order.count]) }))
        }
        return Architecture(name: name, layers: layers)
    }

    /// Why a configuration is not worth running, beyond the construction rules: a part that does nothing.
    static func idle(_ c: SpaceConfig) -> String? {
        if c.fuseLayers == 0, c.critic, c.ranker == .off { return "a critic with no ranker or fuser to read its critiques" }
        if case .on = c.ranker, c.generators * c.samples < 2 { return "a ranker with a single candidate to rank" }
        if c.fuseLayers == 0, c.ranker == .off, c.evaluation == .none, c.generators * c.samples > 1 {
            return "candidates nothing chooses among (no fuser, ranker or evaluation: the first is final)"
        }
        return nil
    }

    /// The valid configurations in axis order, each once, with the size report. `order` is the
    /// generator order (defaults to the models as given); `pricing` prices the dollar limit.
    public func enumerate(order: [ModelSpec]? = nil, pricing: Pricing? = nil) -> (points: [SpacePoint], size: SpaceSize) {
        let order = order ?? models
        var points: [SpacePoint] = []
        var seen: Set<String> = []
        var dropped: [(String, Int)] = []
        var duplicates = 0
        func drop(_ reason: String) {
            if let i = dropped.firstIndex(where: { $0.0 == reason }) { dropped[i].1 += 1 } else { dropped.append((reason, 1)) }
        }
        for g in generators.indices { for s in samples.indices { for l in fuseLayers.indices { for f in fusers.indices {
            for r in rankers.indices { for c in critics.indices { for e in evaluations.indices {
                let config = SpaceConfig(generators: generators[g], samples: samples[s], fuseLayers: fuseLayers[l], fusers: fusers[f],
                                         ranker: rankers[r], critic: critics[c], evaluation: evaluations[e])
                guard config.generators <= order.count else { drop("more generators than models"); continue }
                if let why = Self.idle(config) { drop(why); continue }
                let arch = architecture(config, order: order, name: name)
                if let v = ConstructionRules.violations(arch).first { drop("construction rules: \(v)"); continue }
                let calls = ArchitectureEstimate.callsPerLayer(arch).reduce(0, +)
                let tokens = ArchitectureEstimate.tokensPerLayer(arch).reduce(0, +)
                if let over = Self.overContext(arch) { drop(over); continue }
                if let m = limits.maxCalls, calls > m { drop("over max_calls=\(m)"); continue }
                if let m = limits.maxTokens, tokens > m { drop("over max_tokens=\(m)"); continue }
                let dollars = pricing.flatMap { Self.dollars(arch, pricing: $0) }
                if let m = limits.maxUSD {
                    guard let d = dollars else { drop("unpriced (max_usd= needs every model priced)"); continue }
                    if d > m { drop("over max_usd=\(Formatting.number(m))"); continue }
                }
                // An axis that does not apply (fusers without fusion layers) builds an architecture already seen.
                guard seen.insert(arch.layersNotation).inserted else { duplicates += 1; continue }
                let index = [g, s, l, f, r, c, e]
                points.append(SpacePoint(config: config, architecture: arch, calls: calls, tokens: tokens, dollars: dollars,
                                         index: index, features: encode(index)))
            }}}
        }}}}
        return (points, SpaceSize(raw: rawSize, valid: points.count, duplicates: duplicates, dropped: dropped))
    }

    /// Ordinal axes as position / (count − 1); categorical axes one-hot; single-valued axes left out.
    func encode(_ index: [Int]) -> [Double] {
        var x: [Double] = []
        for (a, (axis, count)) in axes.enumerated() where count > 1 {
            if axis.ordinal || count == 2 {
                x.append(Double(index[a]) / Double(count - 1))
            } else {
                x += (0..<count).map { $0 == index[a] ? 1 : 0 }
            }
        }
        return x
    }

    /// The first call whose estimated prompt and answer would not fit its model's context window.
    static func overContext(_ a: Architecture) -> String? {
        let prompts = ArchitectureEstimate.promptTokensPerLayer(a)
        for (i, layer) in a.layers.enumerated() {
            for c in layer.components {
                guard let m = c.model, let window = m.contextTokens else { continue }
                let need = prompts[i] + ArchitectureEstimate.answerTokens(c)
                if need > window { return "over \(m.name)'s context (\(window) tokens)" }
            }
        }
        return nil
    }

    /// Dollars per query at the token estimate (nil when a model has no price).
    static func dollars(_ a: Architecture, pricing: Pricing) -> Double? {
        let tokens = ArchitectureEstimate.tokensPerLayer(a)
        var total = 0.0
        for (i, layer) in a.layers.enumerated() {
            let share = layer.components.isEmpty ? 0 : tokens[i] / layer.components.count
            for c in layer.components {
                guard let m = c.model else { continue }
                let answer = min(share, ArchitectureEstimate.answerTokens(c))
                guard let d = pricing.cost(for: m, promptTokens: share - answer, completionTokens: answer) else { return nil }
                total += d
            }
        }
        return total
    }
}
