// MajorityVote (self-consistency): the candidate whose final answer is the most common.

/// Extracts each candidate's final answer (`\boxed{…}`, "the answer is …", the last number, else
/// the last line) and keeps the first candidate with the most common one. Makes no model call.
public enum MajorityVote {
    public static let template = "(no prompt: final answers are extracted from the candidates and counted)"

    public static func run(_ c: Component, state: CandidateState, ctx: TechniqueContext) async throws -> TechniqueOutcome {
        guard !state.candidates.isEmpty else { return TechniqueOutcome(state: state, notes: ["no candidates to vote on"]) }
        let answers = state.candidates.map { OutputParsers.finalAnswer($0.text) }
        var counts: [String: Int] = [:]
        for a in answers { counts[a.key, default: 0] += 1 }
        let best = counts.values.max() ?? 0
        let winner = answers.firstIndex { counts[$0.key] == best }!
        let fallbacks = answers.filter { $0.method == "last-line" }.count
        var notes = ["answers: " + answers.enumerated().map { "[\($0 + 1)] \(Formatting.snippet($1.answer, 20)) (\($1.method))" }.joined(separator: ", ")]
        notes.append("majority: \(Formatting.snippet(answers[winner].answer, 30)) with \(best) of \(answers.count) votes; kept candidate \(winner + 1)")
        if fallbacks > 0 { notes.append("\(fallbacks) candidate(s) had no answer marker or number; their last line was used") }
        var next = state
        next.candidates = [state.candidates[winner]]
        return TechniqueOutcome(state: next, notes: notes, parseFailures: fallbacks)
    }
}
