// A bench as a value: what is measured, on which items, scored how — checked before any call, with a
// resume key derived from it alone.

import Foundation

/// What pairwise judging compares against.
public enum BenchBaseline: Sendable {
    /// The answers bundled with the dataset (AlpacaEval's GPT-4 outputs).
    case bundled
    /// Another target answering the same items, named `label`.
    case target(label: String, BenchTarget)
}

/// One bench: target, dataset and slice, scorer, judge, baseline, samples and seed.
///
/// For example, an architecture nobody named, on twenty MixEval-Hard items:
/// ```swift
/// let spec = try BenchSpec(label: "variant-3", target: .architecture(arch), dataset: mixeval,
///                          slice: Slice(dataset: "mixeval_hard", range: 0..<20))
/// let result = try await Evaluator(client: client, store: store, session: id).run(spec)
/// ```
public struct BenchSpec: Sendable {
    /// How the target is called in tables (`tiny`, `trio`, `reference`, a variant's name).
    public var label: String
    public var target: BenchTarget
    public var dataset: Dataset
    public var slice: Slice
    public var judge: ModelSpec?
    public var baseline: BenchBaseline?
    /// Answers per item (pass@k-style mean); models only, scorers that grade right or wrong.
    public var samples: Int
    /// Sent as the seed of every model the target calls (nil: each model's own).
    public var seed: Int?
    /// Where the bundled datasets are (for MT-Bench's judge prompts); nil: found as `datasets` finds it.
    public var datasetsRoot: URL?
    /// The items of the slice that will be asked.
    public private(set) var items: [BenchmarkItem] = []
    /// Things the bench left out, said once (items without a gold answer).
    public private(set) var notes: [String] = []

    public var scorer: ScorerKind { dataset.scorer }

    /// Checks the spec against its dataset and options; throws a one-line error naming what to change.
    public init(label: String, target: BenchTarget, dataset: Dataset, slice: Slice, judge: ModelSpec? = nil,
                baseline: BenchBaseline? = nil, samples: Int = 1, seed: Int? = nil, datasetsRoot: URL? = nil,
                userDataset: Bool = false) throws(ScriptError) {
        self.label = label
        self.target = target.seeded(seed)
        self.dataset = dataset
        self.slice = slice
        self.judge = judge
        self.baseline = baseline
        self.samples = samples
        self.seed = seed
        self.datasetsRoot = datasetsRoot
        self.userDataset = userDataset
        try validate()
    }

    /// Whether the dataset is the user's own file, whose content is part of what is measured.
    public var userDataset: Bool

    private mutating func validate() throws(ScriptError) {
        let scorer = dataset.scorer
        if scorer == .code, let unavailable = CodeSandbox.unavailable {
            throw ScriptError("bench \(dataset.name): \(unavailable)")
        }
        guard samples >= 1 else { throw ScriptError("samples=\(samples) must be at least 1") }
        if case .architecture = target, samples > 1 {
            throw ScriptError("samples=\(samples) applies to models — an architecture's generators set its own samples")
        }
        if samples > 1, scorer.isJudged {
            throw ScriptError("samples=\(samples) is for benchmarks scored right or wrong (math, code, match) — \(dataset.name) is judged; leave samples out")
        }
        if judge != nil, !scorer.acceptsJudge {
            throw ScriptError("judge= does not apply to \(dataset.name): its \(scorer) scorer needs no judge — leave judge= out")
        }
        if judge == nil, scorer.isJudged {
            throw ScriptError("bench \(dataset.name) needs judge=MODEL (its \(scorer) scorer asks a model to grade) — e.g. model grader = openai/gpt-4o temperature=0, then bench \(label) \(slice) judge=grader")
        }
        var items = try slice.apply(dataset.items)
        if case .reference = target {
            let answerable = items.filter { Scorer.referenceAnswer($0, dataset: dataset.name, scorer: scorer) != nil }
            if answerable.isEmpty {
                throw ScriptError("reference has no gold answers in \(slice) — \(dataset.name == "arena_hard" ? "Arena-Hard has none; bench a model with baseline=NAME instead" : "pick items that have one")")
            }
            if answerable.count < items.count {
                notes.append("reference: \(items.count - answerable.count) of \(items.count) items have no gold answer and are left out")
            }
            items = answerable
        }
        if case let .recorded(r) = target {
            let answerable = items.filter { r.answer(for: $0) != nil }
            if answerable.isEmpty { throw ScriptError("\(r.name) has no recorded answer for any item of \(slice)") }
            if answerable.count < items.count {
                notes.append("\(r.name): \(items.count - answerable.count) of \(items.count) items have no recorded answer and are left out")
            }
            items = answerable
        }
        if case let .target(label, .recorded(r))? = baseline {
            let answerable = items.filter { r.answer(for: $0) != nil }
            if answerable.isEmpty { throw ScriptError("baseline=\(label) has no recorded answer for any item of \(slice)") }
            if answerable.count < items.count {
                notes.append("baseline \(label): \(items.count - answerable.count) of \(items.count) items have no recorded answer and are left out")
            }
            items = answerable
        }
        switch baseline {
        case .some where !scorer.isPairwise:
            throw ScriptError("baseline= applies to pairwise benchmarks (alpaca_eval, arena_hard) — \(dataset.name) is scored by \(scorer)")
        case nil where scorer.isPairwise:
            if let missing = items.first(where: { $0.baseline == nil }) {
                throw ScriptError("\(dataset.name) has no bundled baseline answer (item \(missing.id)) — pass baseline=NAME, a model or architecture that answers the same questions")
            }
            baseline = .bundled
        default: break
        }
        self.items = items
    }

    /// The same bench on those items of its slice whose ids are in `ids`, in the order of `ids` (a
    /// search's dev and test splits); stored results resume as for the whole slice.
    public func restricted(to ids: [String]) -> BenchSpec {
        var s = self
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        s.items = ids.compactMap { byID[$0] }
        return s
    }

    /// The baseline's label in tables ("the bundled baseline" when it is the dataset's).
    public var baselineLabel: String? {
        switch baseline {
        case .bundled?: "the bundled baseline"
        case let .target(label, _)?: label
        case nil: nil
        }
    }

    /// What is measured, as text: target, dataset, samples, judge, baseline (and a user file's content).
    /// The same text earlier versions hashed, so results they stored resume.
    public var keyText: String {
        var text = "bench|\(dataset.name)|samples=\(samples)|\(target.definition)"
        if let judge { text += "|judge=\(BenchTarget.model(judge).definition)" }
        if scorer.isPairwise {
            switch baseline {
            case let .target(_, t)?: text += "|baseline=\(t.definition)"
            default: text += "|baseline=bundled"
            }
        }
        if userDataset {
            // A user's file can change between runs: its content is part of what is measured.
            text += "|items=" + SHA256.hex(dataset.items.map { "\($0)" }.joined(separator: "\n"))
        }
        return text
    }

    /// The resume key: items stored under it are not asked again.
    public var key: String { SHA256.hex(keyText) }

    /// The bench line without its slice, as `results` lists it.
    public var title: String {
        BenchTitle.text(label: label, dataset: dataset.name, samples: samples, judge: judge?.name,
                        baseline: { if case let .target(l, _)? = baseline { l } else { nil } }())
    }

    /// The spec as JSON (stored with its run).
    var json: String {
        var o: [String: Any] = ["label": label, "target_kind": target.kind, "target": target.definition, "dataset": dataset.name,
                                "scorer": scorer.rawValue, "samples": samples]
        if let judge { o["judge"] = judge.definition }
        if let seed { o["seed"] = seed }
        switch baseline {
        case .bundled?: o["baseline"] = "bundled"
        case let .target(l, t)?: o["baseline"] = ["label": l, "target": t.definition]
        case nil: break
        }
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
