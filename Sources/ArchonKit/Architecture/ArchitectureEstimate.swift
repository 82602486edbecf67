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

    /// An upper estimate of the tokens (prompt + completion) one query uses, per layer.
    public static func tokensPerLayer(_ a: Architecture) -> [Int] {
        let q = queryTokens
        var n = 0
        var candidateLength = 0
        var critiqueLength = 0
        var out: [Int] = []
        let bounds = candidateBounds(a)
        for (i, layer) in a.layers.enumerated() {
            let c = layer.components.first
            let t = answerTokens(c)
            var tokens = 0
            switch layer.kind {
            case .generator?:
                tokens = layer.components.map { $0.samples * (q + answerTokens($0)) }.reduce(0, +)
                candidateLength = layer.components.map { answerTokens($0) }.max() ?? 0
                critiqueLength = 0
            case .fuser?:
                tokens = layer.components.map { $0.samples * (q + n * (candidateLength + critiqueLength) + answerTokens($0)) }.reduce(0, +)
                candidateLength = layer.components.map { answerTokens($0) }.max() ?? 0
                critiqueLength = 0
            case .critic?:
                tokens = c?.perCandidate == true ? n * (q + candidateLength + t) : (c?.samples ?? 1) * (q + n * candidateLength + n * t)
                critiqueLength = t
            case .ranker?: tokens = q + n * (candidateLength + critiqueLength) + min(t, 64)
            case .verifier?: tokens = n * (2 * (q + candidateLength) + 3 * t)
            case .unitTestGenerator?: tokens = q + t
            case .unitTestEvaluator?: tokens = n * (q + candidateLength + 2 * t)
            case .bestOfN?: tokens = n * (q + candidateLength + 16)
            case .majorityVote?, nil: tokens = 0
            }
            out.append(tokens)
            n = bounds[i]
        }
        return out
    }

    /// An estimate of the longest prompt one call of each layer sends (the query, the candidates it
    /// reads with their critiques), for checking context windows.
    public static func promptTokensPerLayer(_ a: Architecture) -> [Int] {
        let q = queryTokens
        var n = 0
        var candidateLength = 0
        var critiqueLength = 0
        var out: [Int] = []
        let bounds = candidateBounds(a)
        for (i, layer) in a.layers.enumerated() {
            let t = answerTokens(layer.components.first)
            switch layer.kind {
            case .generator?, .unitTestGenerator?, nil: out.append(q)
            case .fuser?, .ranker?: out.append(q + n * (candidateLength + critiqueLength))
            case .critic?: out.append(q + (layer.components.first?.perCandidate == true ? candidateLength : n * candidateLength))
            case .verifier?, .unitTestEvaluator?, .bestOfN?: out.append(q + candidateLength + t)
            case .majorityVote?: out.append(0)
            }
            switch layer.kind {
            case .generator?, .fuser?:
                candidateLength = layer.components.map { answerTokens($0) }.max() ?? 0
                critiqueLength = 0
            case .critic?: critiqueLength = t
            default: break
            }
            n = bounds[i]
        }
        return out
    }
}
