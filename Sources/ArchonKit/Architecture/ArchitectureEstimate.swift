// What an architecture costs per query: candidates per layer, model calls, and a token estimate.

/// Static estimates for `explain ARCH` and budgets.
public enum ArchitectureEstimate {
    /// Tokens assumed for a query when estimating.
    public static let queryTokens = 100
    /// Tokens assumed for an answer when a model sets no max_tokens.
    public static let defaultAnswerTokens = 512

    /// Most candidates leaving each layer. Every instance of a layer adds its outputs (several fusers,
    /// or generators and fusers mixed under reference rules); critics and unit-test generators pass the
    /// candidates on untouched.
    public static func candidateBounds(_ a: Architecture) -> [Int] {
        var n = 0
        var out: [Int] = []
        for layer in a.layers {
            let passing = layer.components.filter { $0.kind != .critic && $0.kind != .unitTestGenerator }
            if !passing.isEmpty {
                n = passing.map { c -> Int in
                    switch c.kind {
                    case .generator, .fuser: c.samples
                    case .ranker: min(n, c.topK ?? n)
                    case .verifier: min(n, c.firstK ?? n)
                    // The first first_k candidates passing every test when that many do, else the top_k.
                    case .unitTestEvaluator: min(n, max(c.firstK ?? 0, c.topK ?? n))
                    case .majorityVote: min(n, 1)
                    case .bestOfN: min(n, c.topK ?? 1)
                    case .critic, .unitTestGenerator: 0
                    }
                }.reduce(0, +)
            }
            out.append(n)
        }
        return out
    }

    /// Most model calls each layer makes for one query: the sum over its instances, each as the
    /// reference counts them (a critic makes one call for all candidates unless `per_candidate=true`;
    /// verifiers and unit-test evaluators may stop early at `first_k`, so theirs is an upper bound).
    public static func callsPerLayer(_ a: Architecture) -> [Int] {
        var n = 0
        var out: [Int] = []
        let bounds = candidateBounds(a)
        for (i, layer) in a.layers.enumerated() {
            out.append(layer.components.map { c -> Int in
                switch c.kind {
                case .generator, .fuser: c.samples
                case .critic: c.perCandidate ? n : c.samples
                case .unitTestEvaluator, .bestOfN: n
                case .ranker, .unitTestGenerator: 1
                case .verifier: 2 * n
                case .majorityVote: 0
                }
            }.reduce(0, +))
            n = bounds[i]
        }
        return out
    }

    static func answerTokens(_ c: Component?) -> Int { c?.model?.parameters.maxTokens ?? defaultAnswerTokens }

    /// What one layer's calls read: how many candidates reach it, the longest of them, and the
    /// length of the critique each carries (from a critic since the last generator or fuser).
    struct LayerInput {
        var candidates = 0
        var candidateLength = 0
        var critiqueLength = 0
    }

    /// The input of every layer, walking the architecture once.
    static func inputs(_ a: Architecture) -> [LayerInput] {
        var input = LayerInput()
        var out: [LayerInput] = []
        let bounds = candidateBounds(a)
        for (i, layer) in a.layers.enumerated() {
            out.append(input)
            switch layer.kind {
            case .generator?, .fuser?:
                input.candidateLength = layer.components.map { answerTokens($0) }.max() ?? 0
                input.critiqueLength = 0
            case .critic?: input.critiqueLength = answerTokens(layer.components.first)
            default: break
            }
            input.candidates = bounds[i]
        }
        return out
    }

    /// An upper estimate of the tokens (prompt + completion) one query uses, per layer.
    public static func tokensPerLayer(_ a: Architecture) -> [Int] {
        let q = queryTokens
        return zip(a.layers, inputs(a)).map { layer, input in
            let (n, candidate, critique) = (input.candidates, input.candidateLength, input.critiqueLength)
            let c = layer.components.first
            let t = answerTokens(c)
            switch layer.kind {
            case .generator?: return layer.components.map { $0.samples * (q + answerTokens($0)) }.reduce(0, +)
            case .fuser?: return layer.components.map { $0.samples * (q + n * (candidate + critique) + answerTokens($0)) }.reduce(0, +)
            case .critic?: return c?.perCandidate == true ? n * (q + candidate + t) : (c?.samples ?? 1) * (q + n * candidate + n * t)
            case .ranker?: return q + n * (candidate + critique) + min(t, 64)
            case .verifier?: return n * (2 * (q + candidate) + 3 * t)
            case .unitTestGenerator?: return q + t
            case .unitTestEvaluator?: return n * (q + candidate + 2 * t)
            case .bestOfN?: return n * (q + candidate + 16)
            case .majorityVote?, nil: return 0
            }
        }
    }

    /// An estimate of the longest prompt one call of each layer sends (the query, the candidates it
    /// reads with their critiques), for checking context windows.
    public static func promptTokensPerLayer(_ a: Architecture) -> [Int] {
        let q = queryTokens
        return zip(a.layers, inputs(a)).map { layer, input in
            let (n, candidate, critique) = (input.candidates, input.candidateLength, input.critiqueLength)
            switch layer.kind {
            case .generator?, .unitTestGenerator?, nil: return q
            case .fuser?, .ranker?: return q + n * (candidate + critique)
            case .critic?: return q + (layer.components.first?.perCandidate == true ? candidate : n * candidate)
            case .verifier?, .unitTestEvaluator?, .bestOfN?: return q + candidate + answerTokens(layer.components.first)
            case .majorityVote?: return 0
            }
        }
    }
}
