// The inference-time techniques an architecture can be built from.

/// One kind of technique, with its names in the command language and in Archon JSON.
public enum TechniqueKind: String, Sendable, CaseIterable, Codable {
    case generator, fuser, critic, ranker, verifier
    case unitTestGenerator = "unit_test_generator"
    case unitTestEvaluator = "unit_test_evaluator"
    case majorityVote = "majority_vote"
    case bestOfN = "best_of_n"

    /// The name used in Archon JSON (`"type"`) and in `explain`.
    public var jsonName: String { rawValue }

    /// The short word used in `arch` definitions.
    public var shortName: String {
        switch self {
        case .generator: "gen"
        case .fuser: "fuse"
        case .critic: "critic"
        case .ranker: "rank"
        case .verifier: "verify"
        case .unitTestGenerator: "tests"
        case .unitTestEvaluator: "judge_tests"
        case .majorityVote: "vote"
        case .bestOfN: "best_of_n"
        }
    }

    /// Display name in the paper's vocabulary.
    public var title: String {
        switch self {
        case .generator: "Generator"
        case .fuser: "Fuser"
        case .critic: "Critic"
        case .ranker: "Ranker"
        case .verifier: "Verifier"
        case .unitTestGenerator: "UnitTestGenerator"
        case .unitTestEvaluator: "UnitTestEvaluator"
        case .majorityVote: "MajorityVote"
        case .bestOfN: "BestOfN"
        }
    }

    /// Finds a kind by any of its names (short, JSON, title; case-insensitive).
    public static func named(_ s: String) -> TechniqueKind? {
        let l = s.lowercased()
        return allCases.first { l == $0.shortName || l == $0.jsonName || l == $0.title.lowercased() }
            ?? aliases[l]
    }

    static let aliases: [String: TechniqueKind] = [
        "generate": .generator, "fusion": .fuser, "critique": .critic, "rank": .ranker, "verification": .verifier,
        "unit_tests": .unitTestGenerator, "unit_test_eval": .unitTestEvaluator, "majority": .majorityVote,
        "bestofn": .bestOfN, "best": .bestOfN,
    ]

    /// Every accepted spelling (for suggestions and completion).
    public static var allNames: [String] {
        allCases.flatMap { [$0.shortName, $0.jsonName] } + Array(aliases.keys)
    }

    /// Whether a layer of this kind holds exactly one instance.
    public var singleInstance: Bool {
        switch self {
        case .generator, .fuser: false
        default: true
        }
    }

    /// Whether the technique calls a model (majority vote does not).
    public var needsModel: Bool { self != .majorityVote }
}
