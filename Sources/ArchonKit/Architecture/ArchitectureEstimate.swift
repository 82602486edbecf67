// What an architecture costs per query: candidates per layer, model calls, and a token estimate.

/// Static estimates for `explain ARCH` and budgets.
public enum ArchitectureEstimate {
    /// Tokens assumed for a query when estimating.
    public static let queryTokens = 100
    /// Tokens assumed for an answer when a model sets no max_tokens.
    public static let defaultAnswerTokens = 512

    /// Most candidates leaving each layer.
    public static func candidateBounds(_ a: Architecture) -> [Int] {
        var n = 0
        var out: [Int] = []
        for layer in a.layers {
            let first = layer.components.first
            switch layer.kind {
            case .generator?, .fuser?: n = layer.components.map(\.samples).reduce(0, +)
            case .critic?, .unitTestGenerator?, nil: break
            case .ranker?: n = min(n, first?.topK ?? n)
            case .verifier?: n = min(n, first?.firstK ?? n)
            case .unitTestEvaluator?: n = min(n, first?.topK ?? first?.firstK ?? n)
            case .majorityVote?: n = min(n, 1)
            case .bestOfN?: n = min(n, first?.topK ?? 1)
            }
            out.append(n)
        }
        return out
    }

    /// Most model calls each layer makes for one query.
    public static func callsPerLayer(_ a: Architecture) -> [Int] {
        var n = 0
        var out: [Int] = []
        let bounds = candidateBounds(a)
        for (i, layer) in a.layers.enumerated() {
            let calls: Int
            switch layer.kind {
            case .generator?, .fuser?: calls = layer.components.map(\.samples).reduce(0, +)
            case .critic?, .unitTestEvaluator?, .bestOfN?: calls = n
            case .ranker?, .unitTestGenerator?: calls = 1
            case .verifier?: calls = 2 * n
            case .majorityVote?, nil: calls = 0
            }
            out.append(calls)
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
                tokens = n * (q + candidateLength + t)
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
}
