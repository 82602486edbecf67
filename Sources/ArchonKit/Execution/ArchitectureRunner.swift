// Runs an architecture over one query, layer after layer, every independent call of a layer at once.

import Foundation

/// What happened in one layer: candidates in and out, notes, fallbacks.
public struct LayerTrace: Sendable, Codable, Equatable {
    public var layer: Int
    public var technique: String
    public var candidatesIn: [Candidate]
    public var candidatesOut: [Candidate]
    public var unitTests: [String]
    public var notes: [String]
    public var parseFailures: Int
    public var seconds: Double
    /// A unit-test evaluator layer's verdicts per input candidate and test (its first instance's).
    public var testVerdicts: [[Bool?]]? = nil
}

extension LayerTrace {
    /// The trace as the store keeps it: plain values and its JSON.
    public var stored: StoredLayer {
        StoredLayer(layer: layer, technique: technique, trace: String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self))
    }

    /// Traces read back from the store (a trace that no longer decodes is skipped).
    public static func decode(_ stored: [StoredLayer]) -> [LayerTrace] {
        stored.compactMap { try? JSONDecoder().decode(LayerTrace.self, from: Data($0.trace.utf8)) }
    }
}

/// The result of running an architecture on one query.
public struct ArchitectureRun: Sendable {
    public var answer: String
    public var traces: [LayerTrace]
    /// How the answer was chosen from the last layer's candidates.
    public var choice: String
    public var parseFailures: Int { traces.map(\.parseFailures).reduce(0, +) }
}

/// Runs architectures through a ``ModelClient``.
public struct ArchitectureRunner: Sendable {
    public let client: ModelClient

    public init(client: ModelClient) { self.client = client }

    /// Runs `architecture` on `query`; `onLayer` sees each layer's trace as soon as it finishes.
    public func run(_ architecture: Architecture, query: [ChatMessage],
                    onLayer: (@Sendable (LayerTrace) -> Void)? = nil) async throws -> ArchitectureRun {
        var state = CandidateState(query: query)
        var traces: [LayerTrace] = []
        for (i, layer) in architecture.layers.enumerated() {
            try Task.checkCancellation()
            let start = ContinuousClock.now
            let input = state
            // Identical instances in one layer (`gen(hot) + gen(hot)`) are told apart in the cache key
            // by their place among their twins; the first keeps the key a lone instance has.
            let twins = layer.components.indices.map { j in layer.components[..<j].filter { $0 == layer.components[j] }.count }
            let client = self.client
            let outcomes = try await concurrentMap(layer.components.count) { j in
                try await Self.run(layer.components[j], state: input, ctx: TechniqueContext(client: client, layer: i + 1, instance: twins[j]))
            }
            state = Self.merge(layer, input: input, outcomes: outcomes)
            let d = ContinuousClock.now - start
            var trace = LayerTrace(layer: i + 1, technique: layer.kind?.jsonName ?? "empty", candidatesIn: input.candidates,
                                   candidatesOut: state.candidates, unitTests: state.unitTests,
                                   notes: outcomes.flatMap(\.notes), parseFailures: outcomes.map(\.parseFailures).reduce(0, +),
                                   seconds: d.seconds)
            trace.testVerdicts = outcomes.lazy.compactMap(\.testVerdicts).first
            traces.append(trace)
            onLayer?(trace)
        }
        guard let first = state.candidates.first else {
            return ArchitectureRun(answer: "", traces: traces, choice: "no candidate left")
        }
        let choice = state.candidates.count == 1 ? "the single remaining candidate (\(first.origin))"
            : "the first of \(state.candidates.count) remaining candidates (\(first.origin))"
        return ArchitectureRun(answer: first.text, traces: traces, choice: choice)
    }

    static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        switch c.kind {
        case .generator: try await Generator.run(c, state: state, ctx: ctx)
        case .fuser: try await Fuser.run(c, state: state, ctx: ctx)
        case .critic: try await Critic.run(c, state: state, ctx: ctx)
        case .ranker: try await Ranker.run(c, state: state, ctx: ctx)
        case .verifier: try await Verifier.run(c, state: state, ctx: ctx)
        case .unitTestGenerator: try await UnitTestGenerator.run(c, state: state, ctx: ctx)
        case .unitTestEvaluator: try await UnitTestEvaluator.run(c, state: state, ctx: ctx)
        case .majorityVote: try await MajorityVote.run(c, state: state, ctx: ctx)
        case .bestOfN: try await BestOfN.run(c, state: state, ctx: ctx)
        }
    }

    /// Combines the outputs of a layer's instances, in instance order. A generator's outputs are its
    /// new answers to the query — after an earlier generator layer (reference rules) they replace the
    /// candidates it was given, as in the reference; every other technique's outputs are the
    /// candidates it passes on. A single-instance layer passes its one outcome on.
    static func merge(_ layer: Layer, input: CandidateState, outcomes: [TechniqueOutcome]) -> CandidateState {
        func produced(_ k: Int) -> [Candidate] {
            let c = outcomes[k].state.candidates
            return layer.components[k].kind == .generator ? Array(c.dropFirst(input.candidates.count)) : c
        }
        guard outcomes.count > 1 else {
            guard var only = outcomes.first?.state else { return input }
            if layer.components[0].kind == .generator { only.candidates = produced(0) }
            return only
        }
        return CandidateState(query: input.query, candidates: outcomes.indices.flatMap(produced), unitTests: outcomes[0].state.unitTests)
    }
}
