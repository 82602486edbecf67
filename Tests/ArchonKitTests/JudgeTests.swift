// Judged scoring on hand-made cases: strict verdict parsing, the judge prompts, Bradley–Terry, and a
// user's own JSONL dataset read through a field mapping.

import ArchonKit
import ArchonTestSupport
import XCTest

final class JudgeTests: XCTestCase {
    func testRatingsAreReadStrictly() {
        XCTAssertEqual(try Verdict.rating("Good answer.\nRating: [[7]]").get(), 7)
        XCTAssertEqual(try Verdict.rating("Rating: [[ 8.5 ]]").get(), 8.5)
        XCTAssertEqual(try Verdict.rating("[[6]] … so, again, Rating: [[6]]").get(), 6, "the same rating twice is one rating")
        XCTAssertThrowsError(try Verdict.rating("Rating: [[5]] at first, but then Rating: [[7]]").get(), "two different ratings are not guessed between")
        XCTAssertThrowsError(try Verdict.rating("Rating: [[11]]").get())
        XCTAssertThrowsError(try Verdict.rating("Rating: [[0]]").get())
        XCTAssertThrowsError(try Verdict.rating("I would give it a 7 out of 10.").get(), "no bracketed rating, no score")
        XCTAssertThrowsError(try Verdict.rating("Rating: [7]").get(), "single brackets are not the asked-for form")
        XCTAssertThrowsError(try Verdict.rating("").get())
    }

    func testPairwiseVerdicts() {
        XCTAssertEqual(try Verdict.preference("Assistant A is clearer. [[A]]").get(), "A")
        XCTAssertEqual(try Verdict.preference("Equal. [[C]]").get(), "C")
        XCTAssertThrowsError(try Verdict.preference("[[A]] or maybe [[B]]").get())
        XCTAssertThrowsError(try Verdict.preference("A is better").get())
        XCTAssertEqual(try Verdict.arena("My final verdict is [[B>>A]].").get(), "B>>A")
        XCTAssertEqual(try Verdict.arena("My final verdict is [[A = B]]").get(), "A=B")
        XCTAssertThrowsError(try Verdict.arena("[[A>B]] then [[B>A]]").get())
        XCTAssertThrowsError(try Verdict.arena("[[A]]").get(), "an MT-Bench label is not an Arena-Hard verdict")
        XCTAssertEqual(try Verdict.option("It picks the second one. [[B]]", count: 4).get(), 1)
        XCTAssertNil(try Verdict.option("It names two options. [[NONE]]", count: 4).get(), "NONE reads as no option")
        XCTAssertThrowsError(try Verdict.option("[[E]]", count: 4).get(), "a letter beyond the options is no option")
        XCTAssertTrue(VerdictGrammar.option(count: 4).contains("[A-D]"), VerdictGrammar.option(count: 4))
        XCTAssertEqual(try Verdict.grade("Same final answer. [[1]]").get(), 1)
        XCTAssertThrowsError(try Verdict.grade("[[2]]").get())
    }

    func testArenaVerdictsBecomeWeightedBattles() {
        XCTAssertEqual(Battle.arena(first: "m", second: "b", label: "A>>B"), Battle(a: "m", b: "b", outcome: 1, weight: 3))
        XCTAssertEqual(Battle.arena(first: "m", second: "b", label: "B>A"), Battle(a: "m", b: "b", outcome: 0, weight: 1))
        XCTAssertEqual(Battle.arena(first: "m", second: "b", label: "A=B")?.outcome, 0.5)
        XCTAssertNil(Battle.arena(first: "m", second: "b", label: "C"))
    }

    func testTheMTBenchPromptsFillEverySlotAndLeaveAnswersAlone() throws {
        let prompts = try JudgePrompts.mtBench(root: repositoryRoot.appendingPathComponent("datasets"))
        let values = ["question": "Q1", "answer": "an answer that mentions {answer_b} literally", "question_1": "Q1", "answer_1": "A1",
                      "question_2": "Q2", "answer_2": "A2", "ref_answer_1": "R1", "ref_answer_2": "R2", "answer_a": "AA", "answer_b": "BB"]
        for name in ["single-v1", "single-math-v1", "single-v1-multi-turn", "single-math-v1-multi-turn", "pair-v2"] {
            let p = try XCTUnwrap(prompts[name])
            XCTAssertTrue(p.slots.isSubset(of: Set(values.keys)), "\(name) has slots the judge does not fill: \(p.slots)")
            let filled = p.fill(values)
            for slot in p.slots where slot != "answer" { XCTAssertFalse(filled.contains("{\(slot)}"), "\(name): {\(slot)} left unfilled") }
            XCTAssertTrue(p.template.contains("[[") || (p.system ?? "").contains("[["), "\(name) asks for a bracketed verdict")
        }
        XCTAssertTrue(prompts["single-v1"]!.fill(values).contains("an answer that mentions {answer_b} literally"))
        XCTAssertTrue(prompts["single-math-v1-multi-turn"]!.fill(values).contains("R2"))
        XCTAssertEqual(JudgePrompts.arena.slots, ["question", "answer_a", "answer_b"])
    }

    func testBradleyTerryFitsTheMaximumLikelihoodStrengths() {
        // Two players: the fitted win chance is the weighted win share, ties half to each side.
        let two = [Battle(a: "m", b: "base", outcome: 1), Battle(a: "m", b: "base", outcome: 1, weight: 3),
                   Battle(a: "m", b: "base", outcome: 0), Battle(a: "m", b: "base", outcome: 0.5)]
        let s = BradleyTerry.fit(two)
        XCTAssertEqual(BradleyTerry.winRate("m", against: "base", s), 4.5 / 6, accuracy: 1e-9)

        // Three players: at the maximum every player's expected wins equal its actual wins.
        var battles: [Battle] = []
        for _ in 0..<7 { battles.append(Battle(a: "x", b: "y", outcome: 1)) }
        for _ in 0..<3 { battles.append(Battle(a: "x", b: "y", outcome: 0)) }
        for _ in 0..<4 { battles.append(Battle(a: "y", b: "z", outcome: 1)) }
        for _ in 0..<4 { battles.append(Battle(a: "y", b: "z", outcome: 0.5)) }
        for _ in 0..<2 { battles.append(Battle(a: "z", b: "x", outcome: 1)) }
        for _ in 0..<6 { battles.append(Battle(a: "z", b: "x", outcome: 0)) }
        let p = BradleyTerry.fit(battles)
        for player in ["x", "y", "z"] {
            var actual = 0.0, expected = 0.0
            for b in battles where b.a == player || b.b == player {
                let other = b.a == player ? b.b : b.a
                actual += b.a == player ? b.outcome : 1 - b.outcome
                expected += p[player]! / (p[player]! + p[other]!)
            }
            XCTAssertEqual(actual, expected, accuracy: 1e-6, player)
        }
        XCTAssertGreaterThan(p["x"]!, p["y"]!)
        XCTAssertGreaterThan(p["y"]!, p["z"]!)

        let rates = BradleyTerry.winRates(two, anchor: "base", rounds: 100, seed: 3)
        let m = try! XCTUnwrap(rates["m"])
        XCTAssertEqual(m.rate, 0.75, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(m.low, m.rate)
        XCTAssertGreaterThanOrEqual(m.high, m.rate)
        XCTAssertEqual(BradleyTerry.winRates(two, anchor: "base", rounds: 100, seed: 3)["m"]!.low, m.low, "seeded: the same every run")
        XCTAssertEqual(BradleyTerry.fit([Battle(a: "m", b: "base", outcome: 0)])["m"], 0, "never won: strength 0, not a crash")
    }

    /// MixEval's release files (objects keyed by id, `context`, index targets) read as MixEval reads
    /// them, and prompted with MixEval's own layout; the bundled MixEval-Hard gets the same prompts.
    func testMixEvalReleaseFilesAndPrompts() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let freeForm = #"""
        {"0": {"problem_type": "free-form", "context": "Bermuda had 4,470 whites in 1727.", "prompt": "How many whites?", "target": ["4470", "4,470"], "benchmark_name": "DROP"},
         "1": {"problem_type": "free-form", "context": "none", "prompt": "What is 6 times 7?", "target": ["42"], "benchmark_name": "GSM8k"},
         "10": {"problem_type": "free-form", "context": null, "prompt": "Capital of France?", "target": ["Paris"], "benchmark_name": "TriviaQA"},
         "2": {"problem_type": "free-form", "context": "  ", "prompt": "Largest planet?", "target": ["Jupiter"], "benchmark_name": "TriviaQA"}}
        """#
        let choices = #"""
        {"7": {"problem_type": "single-choice", "context": "A premise.", "prompt": "2+1?", "options": ["1", "2", "3", "4"], "target": [2], "benchmark_name": "MMLU"},
         "8": {"problem_type": "single-choice", "prompt": "Sky?", "options": ["red", "blue"], "target": [1], "benchmark_name": "ARC"}}
        """#
        try freeForm.write(toFile: dir.path("free-form.json"), atomically: true, encoding: .utf8)
        try choices.write(toFile: dir.path("multiple-choice.json"), atomically: true, encoding: .utf8)

        var ff = UserDatasetSpec(name: "ff", path: "free-form.json")
        try ff.set("format", "mixeval")
        try ff.validate()
        let f = try ff.load(relativeTo: dir.url)
        XCTAssertEqual(f.scorer, .mixeval)
        XCTAssertEqual(f.items.map(\.id), ["0", "1", "2", "10"], "ids are the keys, in number order")
        XCTAssertEqual(f.items.map(\.context), ["Bermuda had 4,470 whites in 1727.", nil, nil, nil], "none, null and blank are no context")
        XCTAssertEqual(f.items[0].targets, ["4470", "4,470"])
        XCTAssertEqual(Scorer.prompt(f.items[0], dataset: "ff", scorer: .mixeval),
                       "Question: Bermuda had 4,470 whites in 1727.\nHow many whites?\nAnswer the question shortly.")
        XCTAssertEqual(Scorer.prompt(f.items[1], dataset: "ff", scorer: .mixeval),
                       "Question: What is 6 times 7?\nAnswer the question. \nLet's think step by step.")

        var mc = UserDatasetSpec(name: "mc", path: "multiple-choice.json")
        try mc.set("format", "mixeval")
        let m = try mc.load(relativeTo: dir.url)
        XCTAssertEqual(m.items.map(\.targets), [["2"], ["1"]], "targets are option indices, numeric options included")
        XCTAssertEqual(Scorer.prompt(m.items[0], dataset: "mc", scorer: .mixeval),
                       "A premise.\n2+1?\nA. 1\nB. 2\nC. 3\nD. 4\nAnswer with the option letter from the given choices directly.")
        XCTAssertEqual(Scorer.prompt(m.items[1], dataset: "mc", scorer: .mixeval),
                       "Sky?\nA. red\nB. blue\nAnswer with the option letter from the given choices directly.")

        // Without format=: the keyed file is read through the mapping given (it was "line 1 is not a JSON object").
        var mapped = UserDatasetSpec(name: "mapped", path: "free-form.json")
        try mapped.set("prompt", "prompt")
        try mapped.set("context", "context")
        try mapped.set("targets", "target")
        try mapped.set("scorer", "mixeval")
        XCTAssertEqual(try mapped.load(relativeTo: dir.url).items.map(\.id), ["0", "1", "2", "10"])
        var wrongFormat = UserDatasetSpec(name: "w", path: "free-form.json")
        XCTAssertThrowsError(try wrongFormat.set("format", "alpaca")) {
            XCTAssertTrue(($0 as? UserDatasetSpec.SpecError)?.message.hasPrefix("unknown format 'alpaca'") == true, "\($0)")
        }

        // The bundled MixEval-Hard: the same layout, context before the question.
        let bundled = try DatasetRegistry.load("mixeval_hard", root: repositoryRoot.appendingPathComponent("datasets")).items
        let first = try XCTUnwrap(bundled.first { $0.id == "ff-0" })
        XCTAssertTrue(Scorer.prompt(first, dataset: "mixeval_hard", scorer: .mixeval).hasPrefix("Question: The Population of Bermuda in 1727"))
        XCTAssertTrue(Scorer.prompt(first, dataset: "mixeval_hard", scorer: .mixeval).hasSuffix("coloured women and girls?\nAnswer the question shortly."))
        let choice = try XCTUnwrap(bundled.first { $0.options != nil })
        XCTAssertTrue(Scorer.prompt(choice, dataset: "mixeval_hard", scorer: .mixeval).hasSuffix("\nAnswer with the option letter from the given choices directly."))
    }

    func testAUsersJSONLFileThroughAFieldMapping() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let lines = [#"{"meta": {"q": "What is 2+2?", "topic": "arith"}, "gold": 4}"#, "",
                     #"{"meta": {"q": "Capital of France?", "topic": "geo"}, "gold": "Paris"}"#]
        try lines.joined(separator: "\n").write(toFile: dir.path("q.jsonl"), atomically: true, encoding: .utf8)
        var spec = UserDatasetSpec(name: "mine", path: "q.jsonl")
        try spec.set("prompt", "meta.q")
        try spec.set("answer", "gold")
        try spec.set("category", "meta.topic")
        try spec.validate()
        XCTAssertEqual(spec.effectiveScorer, .match)
        let d = try spec.load(relativeTo: dir.url)
        XCTAssertEqual(d.items.map(\.id), ["1", "3"], "ids are line numbers; blank lines skipped")
        XCTAssertEqual(d.items.map(\.turns), [["What is 2+2?"], ["Capital of France?"]])
        XCTAssertEqual(d.items.map(\.targets), [["4"], ["Paris"]])
        XCTAssertEqual(d.items.map(\.category), ["arith", "geo"])

        // Multiple choice: the answer letter becomes the option index.
        try #"[{"question": "Pick blue", "choices": ["red", "blue"], "key": "B"}]"#.write(toFile: dir.path("mc.json"), atomically: true, encoding: .utf8)
        var mc = UserDatasetSpec(name: "mc", path: "mc.json")
        try mc.set("prompt", "question")
        try mc.set("options", "choices")
        try mc.set("answer", "key")
        XCTAssertEqual(try mc.load(relativeTo: dir.url).items.first?.targets, ["1"])

        // Numeric options: a letter answer names an option by its place ("(C)" is the third), and
        // scorer=mixeval is accepted for a user's file.
        try #"[{"question": "2+1?", "choices": ["1", "2", "3", "4"], "key": "(C)"}, {"question": "1+1?", "choices": ["1", "2", "3", "4"], "key": "2"}]"#
            .write(toFile: dir.path("num.json"), atomically: true, encoding: .utf8)
        var num = UserDatasetSpec(name: "num", path: "num.json")
        try num.set("prompt", "question")
        try num.set("options", "choices")
        try num.set("answer", "key")
        try num.set("scorer", "mixeval")
        try num.validate()
        let numeric = try num.load(relativeTo: dir.url)
        XCTAssertEqual(numeric.scorer, .mixeval)
        XCTAssertEqual(numeric.items.map(\.targets), [["2"], ["1"]], "(C) is option 3; \"2\" is the option whose text is 2")

        // Errors name the file, the line and the fix.
        try "{\"q\": \"fine\"}\nnot json\n".write(toFile: dir.path("bad.jsonl"), atomically: true, encoding: .utf8)
        var bad = UserDatasetSpec(name: "bad", path: "bad.jsonl")
        try bad.set("prompt", "q")
        XCTAssertThrowsError(try bad.load(relativeTo: dir.url)) { XCTAssertTrue("\($0)".contains("bad.jsonl line 2 is not a JSON object"), "\($0)") }
        var missing = UserDatasetSpec(name: "m", path: "q.jsonl")
        try missing.set("prompt", "question")
        XCTAssertThrowsError(try missing.load(relativeTo: dir.url)) {
            XCTAssertTrue("\($0)".contains("q.jsonl line 1 has no field 'question' (for prompt=) — its fields: gold, meta"), "\($0)")
        }
        try #"{"t": ["one", "two", "three"]}"#.write(toFile: dir.path("turns.jsonl"), atomically: true, encoding: .utf8)
        var turns = UserDatasetSpec(name: "t", path: "turns.jsonl")
        try turns.set("turns", "t")
        XCTAssertEqual(turns.effectiveScorer, .judge)
        XCTAssertThrowsError(try turns.load(relativeTo: dir.url)) {
            XCTAssertTrue("\($0)".contains("turns.jsonl line 1: 3 turns — the judge scorer takes one or two turns"), "\($0)")
        }
        XCTAssertThrowsError(try UserDatasetSpec(name: "x", path: "nope.jsonl").load(relativeTo: dir.url)) {
            XCTAssertTrue("\($0)".contains("cannot read nope.jsonl"), "\($0)")
        }
        var noPrompt = UserDatasetSpec(name: "x", path: "q.jsonl")
        try noPrompt.set("answer", "gold")
        XCTAssertThrowsError(try noPrompt.validate())
        var math = UserDatasetSpec(name: "x", path: "q.jsonl")
        try math.set("prompt", "meta.q")
        try math.set("scorer", "math")
        XCTAssertThrowsError(try math.validate()) { XCTAssertTrue(($0 as! UserDatasetSpec.SpecError).message.contains("needs answer=FIELD")) }
        XCTAssertThrowsError(try math.set("scorer", "maths")) { XCTAssertTrue(($0 as! UserDatasetSpec.SpecError).message.contains("did you mean 'math'")) }
    }

    func testBenchAndDatasetLinesComplete() {
        XCTAssertEqual(Completion.candidates(prefix: "bench ti", names: ["tiny"]).candidates, ["tiny"])
        XCTAssertEqual(Completion.candidates(prefix: "bench tiny mt", names: ["tiny"]).candidates, ["mt_bench"])
        XCTAssertEqual(Completion.candidates(prefix: "bench tiny mt_bench ju", names: ["tiny"]).candidates, ["judge="])
        XCTAssertEqual(Completion.candidates(prefix: "bench tiny mt_bench judge=gr", names: ["tiny", "grader"]).candidates, ["grader"])
        XCTAssertEqual(Completion.candidates(prefix: "dataset mine = \"q.jsonl\" pro", names: []).candidates, ["prompt="])
        XCTAssertEqual(Completion.candidates(prefix: "dataset mine = \"q.jsonl\" prompt=q scorer=ma", names: []).candidates, ["match", "math"])
    }

    func testBenchAndDatasetLinesParse() throws {
        XCTAssertEqual(try Parser.parse("bench tiny mt_bench[category=math] judge=grader"),
                       .bench(BenchRequest(target: "tiny", slice: Slice(dataset: "mt_bench", category: "math"), judge: "grader")))
        XCTAssertEqual(try Parser.parse("bench tiny arena_hard[sample=5,seed=2] baseline=base judge=g"),
                       .bench(BenchRequest(target: "tiny", slice: Slice(dataset: "arena_hard", sample: 5, seed: 2), judge: "g", baseline: "base")))
        XCTAssertThrowsError(try Parser.parse("bench tiny mt_bench judges=g")) { XCTAssertTrue("\($0)".contains("did you mean 'judge'"), "\($0)") }
        XCTAssertThrowsError(try Parser.parse("bench tiny mt_bench judge=g judge=h")) { XCTAssertTrue("\($0)".contains("given twice"), "\($0)") }
        guard case .dataset(let spec)? = try Parser.parse(#"dataset mine = "q.jsonl" prompt=meta.q answer=gold scorer=math"#) else {
            return XCTFail("not a dataset command")
        }
        XCTAssertEqual(spec.fields, ["prompt": "meta.q", "answer": "gold"])
        XCTAssertEqual(spec.scorer, .math)
        XCTAssertThrowsError(try Parser.parse(#"dataset mine = "q.jsonl" answer=gold"#)) { XCTAssertTrue("\($0)".contains("prompt=FIELD or turns=FIELD"), "\($0)") }
        XCTAssertThrowsError(try Parser.parse(#"dataset math500 = "q.jsonl" prompt=q"#)) { XCTAssertTrue("\($0)".contains("is a bundled dataset"), "\($0)") }
        guard case .model(let judge)? = try Parser.parse("model j = local/smollm2 verdict_grammar=on") else { return XCTFail("not a model") }
        XCTAssertEqual(judge.verdictGrammar, true)
        XCTAssertTrue(judge.definition.hasSuffix("verdict_grammar=on"))
        XCTAssertThrowsError(try Parser.parse("model j = anthropic/claude-3-5-haiku-latest verdict_grammar=on")) {
            XCTAssertTrue("\($0)".contains("local/, llamacpp/ or compatible/"), "\($0)")
        }
        XCTAssertTrue(VerdictGrammar.rating.hasPrefix("root ::= reason \"Rating: [[\""), VerdictGrammar.rating)
        XCTAssertThrowsError(try Parser.parse(#"dataset mine = "q.jsonl" promt=q"#)) { XCTAssertTrue("\($0)".contains("did you mean 'prompt'"), "\($0)") }
    }
}

/// Arena-Hard is judged with its own configuration (vendored judge_config.yaml): the official system
/// prompt and template, its verdict pattern read as Arena-Hard reads it, two attempts, temperature 0.
final class ArenaJudgeConfigTests: XCTestCase {
    func testTheOfficialConfigurationIsUsedExactly() async throws {
        let root = repositoryRoot.appendingPathComponent("datasets")
        let config = try ArenaJudgeConfig.load(root: root)
        XCTAssertTrue(config.prompt.system?.hasPrefix("Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants") ?? false)
        XCTAssertTrue(config.prompt.system?.hasSuffix("Example output: \"My final verdict is tie: [[A=B]]\".") ?? false, config.prompt.system ?? "")
        XCTAssertEqual(config.prompt.template, "<|User Prompt|>\n{question_1}\n\n<|The Start of Assistant A's Answer|>\n{answer_1}\n<|The End of Assistant A's Answer|>\n\n<|The Start of Assistant B's Answer|>\n{answer_2}\n<|The End of Assistant B's Answer|>")
        XCTAssertEqual(config.pattern, #"\[\[([AB<>=]+)\]\]"#)
        XCTAssertEqual(config.attempts, 2)
        XCTAssertEqual(config.temperature, 0)
        // Arena-Hard's reading: the distinct matches must be one (repeating the verdict is fine).
        XCTAssertEqual(try config.verdict("... My final verdict is [[B>A]]. So: [[B>A]]").get(), "B>A")
        XCTAssertThrowsError(try config.verdict("[[A>B]] or maybe [[B>A]]").get())
        XCTAssertThrowsError(try config.verdict("no label").get())

        let replies = LockedValue<[String]>(["Let me think.", "My final verdict is: [[A>>B]]", "[[B>A]]", "[[A=B]]"])
        let provider = ScriptedProvider { _, _ in replies.withLock { $0.removeFirst() } }
        let client = ModelClient(provider: { _ in provider }, recorder: nil)
        let judgeModel = ModelSpec(name: "j", provider: "scripted", model: "j", parameters: GenerationParameters(temperature: 0.9))
        let scoring = JudgedScoring(judge: Judge(client: client, model: judgeModel), prompts: [:], arena: config)
        let item = BenchmarkItem(id: "1", category: "", turns: ["Write a haiku."])
        let (score, judgement) = try await scoring.pairwise(item, answer: "target answer", baseline: "baseline answer", arena: true)
        let sent = provider.requests
        XCTAssertEqual(sent.count, 3, "one game needed its second attempt")
        XCTAssertEqual(sent[0].request.messages.first?.content, config.prompt.system)
        XCTAssertTrue(sent.allSatisfy { $0.request.parameters.temperature == 0 && $0.request.parameters.maxTokens == 4096 })
        let games = Set(sent.map { $0.request.messages[1].content })
        XCTAssertTrue(games.contains(config.prompt.fill(["question_1": "Write a haiku.", "answer_1": "baseline answer", "answer_2": "target answer"])),
                      "the baseline is assistant A in the first game, as in Arena-Hard")
        XCTAssertTrue(games.contains(config.prompt.fill(["question_1": "Write a haiku.", "answer_1": "target answer", "answer_2": "baseline answer"])))
        XCTAssertEqual(judgement.games?.count, 2)
        XCTAssertEqual(judgement.attempts, 3)
        XCTAssertEqual(judgement.games?.compactMap(\.verdict).count, 2)
        XCTAssertGreaterThanOrEqual(score.score, 0)
    }
}
