// What each command is for, how to write it, and an example: the source of `help` and completion.

/// The documentation of one command.
public struct CommandHelp: Sendable {
    public var name: String
    public var usage: String
    public var summary: String
    public var details: String
    public var example: String
}

/// Every command of the language, in the order `help` lists them.
public enum CommandCatalog {
    public static let all: [CommandHelp] = [
        .init(name: "model", usage: "model NAME = PROVIDER/MODEL [key=value …]",
              summary: "define a model to ask",
              details: """
                Providers: \(ProviderPreset.all.map(\.name).joined(separator: ", ")).
                Keys: \(ModelSpec.optionKeys.map { "\($0.key) (\($0.help))" }.joined(separator: "; ")).
                API keys are read from the environment at call time and never stored.
                """,
              example: "model tiny = local/smollm2 temperature=0 max_tokens=64"),
        .init(name: "ask", usage: "ask TARGET \"PROMPT\"",
              summary: "send one prompt to a model or an architecture and print the answer",
              details: "Prints the answer, then the cell number, tokens and latency. Use \"\"\"…\"\"\" for prompts over several lines.",
              example: "ask tiny \"Name three primary colors.\""),
        .init(name: "arch", usage: "arch NAME = TECH(MODEL, k=v) [+ TECH(…)] | …",
              summary: "define an architecture: layers separated by |, instances in a layer by +",
              details: """
                Techniques: gen, fuse, critic, rank, verify, tests (unit-test generator), judge_tests (unit-test
                evaluator), vote (majority vote, no model), best_of_n. Options inside the parentheses:
                \(Component.optionKeys.map { "\($0.key) (\($0.help))" }.joined(separator: "; ")).
                The paper's construction rules are checked: generators in the first layer only, one technique
                type per layer, single-instance critic/rank/verify/tests layers, tests followed by judge_tests.
                Run it with ask NAME "…".
                """,
              example: "arch moa = gen(tiny, samples=3) + gen(tiny, temperature=0.9) | rank(tiny, top_k=2) | fuse(tiny)"),
        .init(name: "archs", usage: "archs", summary: "list the defined architectures",
              details: "One line per architecture, as it would be written.", example: "archs"),
        .init(name: "explain", usage: "explain TECHNIQUE|ARCH|techniques", summary: "teach a technique, or draw an architecture",
              details: "For a technique: what it does, inputs and outputs, the calls it makes and its prompt. For an architecture: its layers, calls per query and an estimate of tokens per query.",
              example: "explain fuser"),
        .init(name: "load", usage: "load archon \"FILE.json\" [as NAME]", summary: "import an architecture in the reference Archon JSON format",
              details: "Accepts the legacy layer form {branches, models}; model_type values map to providers (\"local\" and \"OpenAI_Compatible\" with base_url are this project's extensions). Unknown keys are warnings with a suggestion.",
              example: "load archon \"recipes/configs/smollm2-rank-fuse.json\" as rf"),
        .init(name: "export", usage: "export archon NAME \"FILE.json\"", summary: "write an architecture in the reference Archon JSON format",
              details: "Importing the written file gives the same architecture.", example: "export archon moa \"moa.json\""),
        .init(name: "models", usage: "models", summary: "list the defined models",
              details: "Shows provider, endpoint, parameters and whether the key variable is set (never the key).",
              example: "models"),
        .init(name: "show", usage: "show N", summary: "print cell N of this session with its model calls",
              details: "Shows the cell's source, status, output and, per call, model, tokens, latency and any error.",
              example: "show 2"),
        .init(name: "sessions", usage: "sessions", summary: "list the sessions recorded in the database",
              details: "The same table as `archon sessions` on the command line.", example: "sessions"),
        .init(name: "replay", usage: "replay SESSION", summary: "re-execute a recorded session offline, into a new session, and compare",
              details: "Every model call is served from what the session recorded; outputs are compared cell by cell. From the shell: archon replay SESSION [--offline].",
              example: "replay 1"),
        .init(name: "rerun", usage: "rerun N", summary: "run cell N of this session again, as a new cell",
              details: "The cache serves recorded answers; set cache refresh first to ask the models again.", example: "rerun 2"),
        .init(name: "fork", usage: "fork SESSION:CELL", summary: "start a new session from the first cells of another, then continue live",
              details: "Cells 1…CELL are replayed offline from the recording (definitions and answers), then the REPL carries on in the new session.",
              example: "fork 1:3"),
        .init(name: "datasets", usage: "datasets [SLICE]", summary: "list the bundled benchmarks, or preview a slice of one",
              details: "Slices: NAME[START:END], NAME[category=C], NAME[sample=N,seed=S] (seeded, the same on every machine); they combine: mt_bench[category=math,0:5]. Provenance: datasets/SOURCES.md. Your own files join the list with `dataset NAME = \"FILE.jsonl\" prompt=FIELD …`.",
              example: "datasets math500[0:3]"),
        .init(name: "bench", usage: "bench TARGET SLICE [samples=K] [judge=MODEL] [baseline=NAME]", summary: "score a model or architecture on a benchmark slice",
              details: "Items run at once; each is recorded as it finishes, so running the same bench again resumes (finished items are not paid for twice) and Ctrl-C keeps what finished. TARGET `reference` answers with the gold answers, to check the harness. Scorers: math (math500, aime), code (humaneval, mbpp, in the bubblewrap sandbox: a pass needs proof that every test ran), mixeval (mixeval_hard; judge= optional), judge (mt_bench: 1–10, both turns), pairwise (alpaca_eval: win rate against the bundled GPT-4 answers or baseline=NAME) and arena (arena_hard: Bradley–Terry against baseline=NAME). samples=K reports pass@1 and the unbiased pass@K. A judge with verdict_grammar=on (llama.cpp) always answers in the verdict form.",
              example: "bench tiny mt_bench[0:5] judge=grader"),
        .init(name: "ablate", usage: "ablate ARCH SLICE [options] [drop X] [replace N with LAYER] [vary KEY=V1,V2,…]",
              summary: "what each part of an architecture is worth: its variants on the same items, paired",
              details: "With no change named, the variants are ARCH without each layer and without each instance of a multi-instance layer, where the construction rules allow (the others are listed as skipped, with the rule). drop takes a layer number (drop 2), a technique (drop rank) or an instance (drop gen2); replace N with LAYER swaps a layer (replace 3 with fuse(t)); vary KEY=… makes one variant per value on the components the option is for (vary samples=1,2,4, vary temperature=0,0.4). Every variant is named (a~rank, a~gen2, a~3.fuse, a~samples2) and works in explain, bench, compare and export archon. All variants answer the identical items with the same sample indices, so what a variant shares with ARCH upstream comes from the cache: paid once. The table gives each variant's score and 95% interval, and its paired difference from ARCH: item by item on the same items, which cancels how hard each item is, with a paired bootstrap interval. p is exact McNemar for right/wrong scores (only the items where the two disagree count) or a paired permutation test otherwise, Holm-corrected across the study's variants. \"readable\" means the interval excludes 0 and the corrected p is under 0.05; at small n most differences are not, which says: more items. Then cost per query as a live run pays it (calls, tokens, dollars, critical-path seconds), parse fallbacks, the score–cost frontier (★), a bar chart with interval whiskers, and — with gold answers — the diagnosis of ARCH (see diagnose). Options as bench: judge=, baseline=, samples=.",
              example: "ablate a mixeval_hard[500:540] drop rank vary samples=1,2"),
        .init(name: "diagnose", usage: "diagnose ARCH SLICE [options]", summary: "where an architecture loses the correct answers its candidates held",
              details: "Benches ARCH (resuming what is stored) and scores every candidate of every layer against the gold answers (math, multiple choice, code; no model call): per layer the oracle — the share of items where some candidate is correct — and pass@1 of its candidates, how often a layer lost a correct answer it was given or found one it was not, a ranker's top choice, a verifier's precision and recall, a unit-test evaluator's verdicts that pass wrong answers or fail right ones, and the selection gap between the generator pool's oracle and the final answer.",
              example: "diagnose a mixeval_hard[500:540]"),
        .init(name: "space", usage: "space NAME = generators(M, …) [samples(…)] [fuse_layers(…)] [fusers(…)] [ranker(…)] [critic(…)] [evaluation(…)] [max_calls=N] [max_tokens=N] [max_usd=X]  ·  space NAME",
              summary: "define a design space of architectures to search, or describe one",
              details: """
                The axes, in the paper's terms. generators(a, b, c): the models that may generate; a search first benches                 each on its dev split and orders them best first, so the axis is "the top k models" (k = 1 … their count).                 samples(1..3): answers per generator model. fuse_layers(0..2): fusion layers (0: the generators' candidates                 are final). fusers(1..3): fusers per fusion layer (the top models). ranker(off|on top_k=3) and critic(off|on):                 a ranker (keeping the top k) and a critic before each fusion layer, both the top model. evaluation(none|verifier|unit_tests):                 checks before the last fuser. Values are ranges (1..3), or lists with , or |. An axis left out has one value                 (samples 1, one fusion layer of one fuser, no ranker, critic or evaluation). `space NAME` prints each axis, the                 raw size (every combination), the valid size — after the construction rules, parts that would do nothing                 (a critic nobody reads, a ranker with one candidate), identical architectures, the models' context windows                 (model option context=N) and the per-query budget max_calls=, max_tokens=, max_usd= (estimated as explain                 does) — and the cost range per query. `space paper models(a, b, …)` (or space NAME = paper models(…)) gives                 the paper's axes as we read them: the top 1–10 models, 1–5 samples, 1–3 fusion layers of 1–5 fusers, ranker                 (top 5) and critic on or off, evaluation none, verifier or unit tests.
                """,
              example: "space s1 = generators(a, b, c) samples(1..3) fuse_layers(0..2) fusers(1..3) ranker(off|on top_k=3) critic(off|on)"),
        .init(name: "search", usage: "search SPACE SLICE optimizer=random|greedy|bo|halving budget=N [seed=N] [lambda=X] [cost=calls|tokens|usd] [test=F] [split=N] [judge=MODEL]",
              summary: "search a space for the architecture with the best dev score for its cost, and re-score it on test",
              details: """
                The slice is split, seeded by split= (default: seed=, itself 0 by default), into a dev split and a disjoint test split (test=0.5 of                 the items by default); the split is printed. Each trial benches one configuration on dev — through the                 same path as bench, so every item is stored as it finishes — and its objective is score − lambda·cost,                 the score from 0 to 1 and the cost per query in calls, tokens or usd as a live run pays it (cached calls                 at their original price): lambda=0.01 cost=calls asks each call per query to buy a point of accuracy.                 budget= counts trials. Optimisers: random (a seeded order); greedy (one axis at a time: every value of                 the axis with the others held, move to the best, next axis; restart at random when a round moves nowhere);                 bo (Bayesian optimisation: a Gaussian process with a Matérn 5/2 kernel and one length scale per axis —                 ordinal axes as positions, categorical ones one-hot — around a straight line fitted (ridge regression) to the axes and the calls per query, its hyperparameters fitted by marginal likelihood, a                 few random trials first, then the configuration with the highest Expected Improvement over the best posterior mean of those evaluated, since a dev score is noisy); halving                 (successive halving: many configurations on a few dev items, the better half on twice as many, until one                 is left on the whole dev split; budget= counts every rung's trials). Trials run several at once under set                 concurrency and share generations through the cache. The best configuration on the whole dev split is                 defined as SPACE_best and printed; the three best are re-scored on test, and the test score is the one to                 report (the dev score of the one selected is optimistic). Killed, the same search line resumes: stored                 items are not asked again. `results` lists searches; export N --format html draws the convergence curve                 and score against cost.
                """,
              example: "search s1 mixeval_hard[500:540] optimizer=bo budget=12 seed=1 lambda=0.01 cost=calls"),
        .init(name: "results", usage: "results [DATASET]", summary: "list every bench result stored in this database",
              details: "One row per thing measured (target, dataset, samples, judge, baseline), across sessions: the newest bench line that wrote to it, the items scored so far, the score and its 95% interval, and where it ran.",
              example: "results math500"),
        .init(name: "compare", usage: "compare A B SLICE [samples=K] [judge=MODEL] [baseline=NAME]",
              summary: "read the difference between two benched models or architectures",
              details: "Uses the results `bench` stored for A and for B on the same slice and options (nothing is called): each score with its interval, then the paired difference A − B over the items both have, with a seeded bootstrap interval, how many items each did better on, and whether the difference can be read at this n.",
              example: "compare trio tiny math500[0:20]"),
        .init(name: "dataset", usage: "dataset NAME = \"FILE.jsonl\" prompt=FIELD [answer=FIELD] [category=FIELD] [scorer=S] …",
              summary: "use your own JSONL file as a benchmark",
              details: "Keys map fields of each record: prompt or turns (required), context, answer, targets, options, tests, entry_point, baseline, category, id (a.b reaches inside objects). scorer: math, match, mixeval, code, judge, pairwise or arena — by default chosen from the fields. With entry_point, a prompt that is code (HumanEval's) runs before the answer; a prompt in words does not. context: text put before the question. A JSON object of items keyed by id is read too; format=mixeval reads MixEval's release files (prompt, context, target, options, benchmark_name) with MixEval's prompts and scorer. `datasets` lists it; `bench TARGET NAME[0:10]` runs it.",
              example: "dataset mine = \"questions.jsonl\" prompt=question answer=final scorer=math"),
        .init(name: "answers", usage: "answers NAME = \"FILE\" [format=alpaca_eval|fastchat]", summary: "use a published system's recorded answers as a bench target",
              details: "Reads AlpacaEval's model_outputs (a JSON list of instruction/output, matched to alpaca_eval items by instruction) or FastChat's model_answer (JSONL, matched to mt_bench items by question id); the format follows from the file unless given. NAME then works wherever a model does in bench, baseline= and compare, with no model calls: judge published outputs with your own judge, or compare an architecture with a published one offline. Items without an answer are left out and counted in a note. A leaderboard.csv beside the file (AlpacaEval's) gives the published win rate for context.",
              example: "answers archon = \"datasets/recorded/alpaca_eval/archon-1-110F-2-110M.json\""),
        .init(name: "set", usage: "set KEY VALUE", summary: "change a session setting",
              details: "Settings: cache on|off|refresh (serve a recorded answer to the same request and sample index; on by default), concurrency N (calls in flight at once, all models), deadline SECONDS|off (longest a cell may run; calls in flight are cancelled, finished ones kept), stream on|off (print answers as they arrive on a terminal).",
              example: "set concurrency 16"),
        .init(name: "help", usage: "help [COMMAND]", summary: "list commands, or explain one with an example",
              details: "", example: "help ask"),
        .init(name: "exit", usage: "exit", summary: "leave archon (Ctrl-D does the same)", details: "", example: "exit"),
    ]

    /// Spelled-out aliases accepted for a command word.
    public static let aliases: [String: String] = ["quit": "exit"]

    public static func named(_ name: String) -> CommandHelp? {
        all.first { $0.name == (aliases[name] ?? name) }
    }

    public static var names: [String] { all.map(\.name) }
}
