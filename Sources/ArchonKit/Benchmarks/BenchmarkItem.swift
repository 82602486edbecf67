// One item of a benchmark, in a shape shared by every dataset.

/// A benchmark question with whatever its scorer needs.
public struct BenchmarkItem: Sendable, Equatable, Codable {
    public var id: String
    public var category: String
    /// The user turns (MT-Bench has two; the rest one).
    public var turns: [String]
    /// The gold answer (MATH/AIME), canonical solution (HumanEval/MBPP) or reference answer (MT-Bench).
    public var reference: String?
    /// Options of a multiple-choice item, and the accepted targets (answers, or option indices as text).
    public var options: [String]?
    public var targets: [String]?
    /// Code tests (HumanEval's `check` program, or MBPP's asserts joined by newlines) and entry point.
    public var tests: String?
    public var entryPoint: String?
    /// Reference answers turn by turn (MT-Bench's two-turn references); `reference` is the first.
    public var referenceTurns: [String]?
    /// The baseline answer pairwise judging compares against (AlpacaEval's GPT-4 output).
    public var baseline: String?
    /// Text the prompt puts before the question (MixEval's `context`: a passage, a premise).
    public var context: String?

    public init(id: String, category: String, turns: [String], reference: String? = nil, options: [String]? = nil,
                targets: [String]? = nil, tests: String? = nil, entryPoint: String? = nil, baseline: String? = nil,
                referenceTurns: [String]? = nil, context: String? = nil) {
        self.id = id
        self.category = category
        self.turns = turns
        self.reference = reference
        self.options = options
        self.targets = targets
        self.tests = tests
        self.entryPoint = entryPoint
        self.baseline = baseline
        self.referenceTurns = referenceTurns
        self.context = context
    }
}
