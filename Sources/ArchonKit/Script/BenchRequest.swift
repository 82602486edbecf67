// What a `bench` line asks for: a target, a slice and the options that change what is measured.

/// `bench TARGET SLICE [samples=K] [judge=MODEL] [baseline=NAME]`
public struct BenchRequest: Sendable, Equatable {
    /// A model, an architecture or `reference`.
    public var target: String
    /// Which items, e.g. `math500[0:20]`.
    public var slice: Slice
    /// Samples per item (pass@k); models only.
    public var samples: Int = 1
    /// The model that grades answers (MT-Bench, Arena-Hard, AlpacaEval; optional for MixEval-Hard).
    public var judge: String?
    /// What pairwise judging compares against: a model or architecture that answers the same items.
    public var baseline: String?

    public init(target: String, slice: Slice, samples: Int = 1, judge: String? = nil, baseline: String? = nil) {
        self.target = target
        self.slice = slice
        self.samples = samples
        self.judge = judge
        self.baseline = baseline
    }

    public static let optionKeys = ["samples", "judge", "baseline"]
}

/// `ablate ARCH SLICE [options] [changes]`: a bench request and the changes to study (none: the default
/// variants, each layer and each instance of a multi-instance layer removed).
public struct AblationRequest: Sendable, Equatable {
    /// A change as written, before names are resolved.
    public enum Change: Sendable, Equatable {
        case drop(String)
        case replace(layer: Int, with: [ComponentSyntax], source: String)
        case vary(key: String, values: [String])
    }

    public var bench: BenchRequest
    public var changes: [Change] = []

    public init(bench: BenchRequest, changes: [Change] = []) {
        self.bench = bench
        self.changes = changes
    }
}
