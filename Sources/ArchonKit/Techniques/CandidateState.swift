// The typed value that flows between layers: the query, the candidates with aligned critiques, unit tests.

/// One candidate answer, with the critique written about it (kept with it, so they stay aligned).
public struct Candidate: Sendable, Equatable, Codable {
    public var text: String
    public var critique: String?
    /// Where it came from, e.g. `gen tiny #2` or `fuse big #1`.
    public var origin: String

    public init(text: String, critique: String? = nil, origin: String) {
        self.text = text
        self.critique = critique
        self.origin = origin
    }
}

/// What a layer reads and returns. Value semantics: a layer never changes its input.
public struct CandidateState: Sendable, Equatable {
    /// The user's conversation; techniques add their own instructions around it, never into it.
    public let query: [ChatMessage]
    public var candidates: [Candidate]
    public var unitTests: [String]

    public init(query: [ChatMessage], candidates: [Candidate] = [], unitTests: [String] = []) {
        self.query = query
        self.candidates = candidates
        self.unitTests = unitTests
    }

    /// The query as plain text (the conversation's turns, labelled when there are several).
    public var queryText: String {
        let turns = query.filter { $0.role != "system" }
        if turns.count == 1 { return turns[0].content }
        return turns.map { "\($0.role.capitalized): \($0.content)" }.joined(separator: "\n\n")
    }
}

/// What one technique instance produced, with everything that did not go to plan.
public struct TechniqueOutcome: Sendable {
    public var state: CandidateState
    /// Human-readable notes for the trace (what was chosen, fallbacks taken).
    public var notes: [String]
    /// How many model outputs could not be parsed as asked (each also in `notes`).
    public var parseFailures: Int
    /// A unit-test evaluator's verdicts: per input candidate, per test, passed or not (nil where the
    /// judgement did not say, or the candidate was not judged).
    public var testVerdicts: [[Bool?]]? = nil

    public init(state: CandidateState, notes: [String] = [], parseFailures: Int = 0) {
        self.state = state
        self.notes = notes
        self.parseFailures = parseFailures
    }
}

/// What a technique may use while it runs: the model client, and where its calls come from.
public struct TechniqueContext: Sendable {
    public let client: ModelClient
    public let layer: Int
    /// How many identical instances come before this one in its layer (0 for most).
    public let instance: Int

    public init(client: ModelClient, layer: Int, instance: Int = 0) {
        self.client = client
        self.layer = layer
        self.instance = instance
    }

    /// One model call on behalf of `component`.
    public func call(_ component: Component, _ messages: [ChatMessage], sample: Int = 0) async throws -> String {
        guard let model = component.model else { throw ProviderError.badResponse("\(component.kind.title) has no model") }
        let r = try await client.complete(model: model, messages: messages, sampleIndex: sample,
                                          context: CallContext(layer: layer, technique: component.kind.jsonName, instance: instance))
        return r.content
    }
}

/// Runs `count` independent async jobs at once and returns their results in index order.
func concurrentMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        for i in 0..<count { group.addTask { (i, try await body(i)) } }
        var out = [T?](repeating: nil, count: count)
        for try await (i, v) in group { out[i] = v }
        return out.map { $0! }
    }
}

/// Candidates numbered for a prompt, with their critiques when asked.
func numbered(_ candidates: [Candidate], critiques: Bool) -> String {
    candidates.enumerated().map { i, c in
        var s = "[\(i + 1)]\n\(c.text.trimmingCharacters(in: .whitespacesAndNewlines))"
        if critiques, let k = c.critique { s += "\nCritique of [\(i + 1)]: \(k)" }
        return s
    }.joined(separator: "\n\n")
}
