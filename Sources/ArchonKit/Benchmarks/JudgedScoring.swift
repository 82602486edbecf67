// Scoring with a judge model: MT-Bench single-answer grading (1–10, each turn), pairwise preference
// against a baseline with both orders (AlpacaEval-style win rate, Arena-Hard five-level verdicts), and
// the optional judge for free-form MixEval answers.

import Foundation

/// One judged game between the target's answer and the baseline's.
public struct JudgedGame: Codable, Sendable, Equatable {
    /// Whether the target's answer was shown first (as assistant A).
    public var targetFirst: Bool
    /// The verdict as the judge wrote it (`A`, `B`, `C`, or `A>>B` … `B>>A`); nil when it gave none.
    public var verdict: String?
    /// The target's result: 1 won, 0.5 tie, 0 lost; nil when unjudged.
    public var outcome: Double?
    /// How many times the game counts (3 for a "much better" verdict in Arena-Hard).
    public var weight: Double = 1
}

/// What the judge said about one item, stored with it (so a resumed bench can aggregate again).
public struct Judgement: Codable, Sendable, Equatable {
    /// Single-answer grading: the rating of each turn (nil where the judge gave none).
    public var ratings: [Double?]?
    /// Pairwise judging: the games.
    public var games: [JudgedGame]?
    /// Free-form grading: the judge's 0–1 grade.
    public var grade: Double?
    /// Judge calls made, and why refused replies were refused.
    public var attempts: Int = 0
    public var problems: [String] = []

    /// Whether anything was judged (an unjudged item is left out of the score, not counted as 0).
    public var scored: Bool {
        if let ratings { return ratings.contains { $0 != nil } }
        if let games { return games.contains { $0.outcome != nil } }
        return attempts == 0 || grade != nil
    }

    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return String(decoding: (try? e.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func from(_ json: String?) -> Judgement? {
        json.flatMap { try? JSONDecoder().decode(Judgement.self, from: Data($0.utf8)) }
    }
}

/// Runs the judge for one item.
public struct JudgedScoring: Sendable {
    public var judge: Judge
    /// MT-Bench's prompts by name.
    public var prompts: [String: JudgePrompt]
    /// Arena-Hard's official judge configuration (for `arena`).
    public var arenaConfig: ArenaJudgeConfig?

    public init(judge: Judge, prompts: [String: JudgePrompt], arena: ArenaJudgeConfig? = nil) {
        self.judge = judge
        self.prompts = prompts
        self.arenaConfig = arena
    }

    /// MT-Bench single-answer grading of each turn (at most two), with the reference-answer prompts
    /// when the item has references (MT-Bench's math, reasoning and coding questions).
    public func single(_ item: BenchmarkItem, answers: [String]) async throws -> (ItemScore, Judgement) {
        let refs = item.referenceTurns ?? item.reference.map { [$0] }
        let withRef = refs != nil
        func turn(_ t: Int) async throws -> JudgeOutcome<Double> {
            var values = ["question": item.turns[0], "answer": answers[0], "question_1": item.turns[0], "answer_1": answers[0]]
            if t == 1 {
                values["question_2"] = item.turns[1]
                values["answer_2"] = answers[1]
            }
            if let refs {
                values["ref_answer_1"] = refs[0]
                values["ref_answer_2"] = refs.count > 1 ? refs[1] : ""
            }
            let name = (withRef ? "single-math-v1" : "single-v1") + (t == 1 ? "-multi-turn" : "")
            return try await judge.ask(prompts[name]!, values: values, example: "Rating: [[5]]", grammar: VerdictGrammar.rating, parse: Verdict.rating)
        }
        async let first = turn(0)
        let second: JudgeOutcome<Double>? = item.turns.count > 1 && answers.count > 1 ? try await turn(1) : nil
        let outcomes = [try await first] + (second.map { [$0] } ?? [])
        var j = Judgement(ratings: outcomes.map(\.value))
        j.attempts = outcomes.map(\.attempts).reduce(0, +)
        j.problems = outcomes.flatMap(\.problems)
        let given = outcomes.compactMap(\.value)
        let detail = outcomes.enumerated().map { i, o in
            "turn \(i + 1): " + (o.value.map { Formatting.number($0) } ?? "no verdict after \(o.attempts) tries (\(o.problems.last ?? "?"))")
        }.joined(separator: " · ") + (j.attempts > outcomes.count ? " · judge asked \(j.attempts)×" : "")
        return (ItemScore(score: Statistics.mean(given), detail: detail), j)
    }

    /// Pairwise judging of the target's answer against the baseline's, in both orders. `arena` uses the
    /// five-level Arena-Hard verdicts (baseline shown first in the first game, as Arena-Hard does);
    /// otherwise MT-Bench's `pair-v2` prompt with A, B or C (target first in the first game).
    public func pairwise(_ item: BenchmarkItem, answer: String, baseline: String, arena: Bool) async throws -> (ItemScore, Judgement) {
        func game(targetFirst: Bool) async throws -> (JudgedGame, JudgeOutcome<String>) {
            let (a, b) = (targetFirst ? answer : baseline, targetFirst ? baseline : answer)
            let values = ["question": item.turns[0], "answer_a": a, "answer_b": b, "question_1": item.turns[0], "answer_1": a, "answer_2": b]
            let o: JudgeOutcome<String>
            if arena, let config = arenaConfig {
                // Arena-Hard's own prompt, verdict pattern, attempts and sampling.
                var official = judge
                official.maxAttempts = config.attempts
                official.temperature = config.temperature
                official.maxTokens = judge.model.parameters.maxTokens ?? config.maxTokens
                o = try await official.ask(config.prompt, values: values, example: "My final verdict is tie: [[A=B]]", grammar: VerdictGrammar.arena,
                                           parse: config.verdict)
            } else if arena {
                o = try await judge.ask(JudgePrompts.arena, values: values, example: "My final verdict is [[A=B]]", grammar: VerdictGrammar.arena, parse: Verdict.arena)
            } else {
                o = try await judge.ask(prompts["pair-v2"]!, values: values, example: "[[C]]", grammar: VerdictGrammar.preference, parse: Verdict.preference)
            }
            var g = JudgedGame(targetFirst: targetFirst, verdict: o.value)
            if let v = o.value {
                if arena, let battle = Battle.arena(first: targetFirst ? "target" : "baseline", second: targetFirst ? "baseline" : "target", label: v) {
                    g.outcome = targetFirst ? battle.outcome : 1 - battle.outcome
                    g.weight = battle.weight
                } else if !arena {
                    g.outcome = v == "C" ? 0.5 : ((v == "A") == targetFirst ? 1 : 0)
                }
            }
            return (g, o)
        }
        async let one = game(targetFirst: !arena)
        let two = try await game(targetFirst: arena)
        let games = [try await one, two]
        var j = Judgement(games: games.map(\.0))
        j.attempts = games.map(\.1.attempts).reduce(0, +)
        j.problems = games.flatMap(\.1.problems)
        let outcomes = games.compactMap(\.0.outcome)
        let detail = games.map { g, o in
            (g.targetFirst ? "target first: " : "baseline first: ") + (g.verdict.map { "[[\($0)]]" } ?? "no verdict after \(o.attempts) tries")
        }.joined(separator: " · ")
        return (ItemScore(score: Statistics.mean(outcomes), detail: detail), j)
    }

    /// A multiple-choice answer whose option the parser could not read: the judge reads the choice.
    public func choice(_ item: BenchmarkItem, answer: String) async throws -> (ItemScore, Judgement) {
        let options = item.options ?? []
        let listed = options.enumerated().map { "(\(MixEvalAnswer.letters[$0])) \($1)" }.joined(separator: "\n")
        let o = try await judge.ask(JudgePrompts.choice, values: ["question": item.turns[0], "options": listed, "answer": answer],
                                    example: "[[B]]", grammar: VerdictGrammar.option(count: options.count),
                                    parse: { Verdict.option($0, count: options.count) })
        let correct = Set((item.targets ?? []).compactMap(Int.init))
        var j = Judgement(grade: nil)
        j.attempts = o.attempts
        j.problems = o.problems
        guard let read = o.value else {
            return (ItemScore(score: 0, detail: "judge could not say which option after \(o.attempts) tries"), j)
        }
        let score: Double = read.map { correct.contains($0) ? 1 : 0 } ?? 0
        j.grade = score
        let detail = read.map { "judge read the choice as (\(MixEvalAnswer.letters[$0]))" } ?? "judge: no option chosen"
        return (ItemScore(score: score, detail: detail), j)
    }

    /// A free-form answer graded by the judge against the accepted answers (0–1).
    public func freeForm(_ item: BenchmarkItem, answer: String) async throws -> (ItemScore, Judgement) {
        let o = try await judge.ask(JudgePrompts.freeForm, values: ["question": item.turns[0], "answer": answer,
                                                                 "targets": (item.targets ?? []).joined(separator: "\n")],
                                    example: "[[1]]", grammar: VerdictGrammar.grade, parse: Verdict.grade)
        var j = Judgement(grade: o.value)
        j.attempts = o.attempts
        j.problems = o.problems
        let detail = o.value.map { "judge: [[\(Formatting.number($0))]]" } ?? "judge gave no grade after \(o.attempts) tries"
        return (ItemScore(score: o.value ?? 0, detail: detail), j)
    }
}
