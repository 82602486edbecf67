// How a benchmark's answers are scored, as a type: every place that branches on a scorer switches on this.

/// The scorers a dataset can take.
public enum ScorerKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The final answer (a `\boxed{}` or last number) against the gold one, by mathematical equivalence.
    case math
    /// Python code run with the item's tests in the sandbox.
    case code
    /// MixEval-Hard: the chosen option, or a normalised match against any target.
    case mixeval
    /// A user dataset's option or normalised free-form match.
    case match
    /// A judge rates each answer 1–10 (MT-Bench).
    case judge
    /// A judge compares the answer with a baseline's (AlpacaEval win rate).
    case pairwise
    /// A judge gives five-level verdicts against a baseline, both orders (Arena-Hard).
    case arena

    public var description: String { rawValue }

    /// Scorers that need a judge model.
    public var isJudged: Bool { self == .judge || self == .pairwise || self == .arena }

    /// Scorers that compare against a baseline's answer.
    public var isPairwise: Bool { self == .pairwise || self == .arena }

    /// Scorers that may take a judge although they need none (free-form answers a match refused).
    public var acceptsJudge: Bool { isJudged || self == .mixeval || self == .match }

    /// Whether a score is a 1–10 rating (else a fraction 0–1).
    public var isRating: Bool { self == .judge }

    /// The scorers a user's dataset may name.
    public static let forUserDatasets: [ScorerKind] = [.math, .match, .mixeval, .code, .judge, .pairwise, .arena]
}
