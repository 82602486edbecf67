// `bench TARGET SLICE [samples=K] [judge=MODEL] [baseline=NAME]`: answers every item at once, scores it
// (with a judge where the benchmark needs one), records it as it finishes, resumes, and prints the table.

import Foundation

extension Interpreter {
    /// What a name answers with: a model, an architecture or `reference`, turn by turn.
    typealias Answerer = @Sendable (BenchmarkItem, Int) async throws -> [String]

    /// The full definition behind a bench target (what the resume key is made of), or nil if unknown.
    func benchDefinition(_ name: String) -> String? {
        if name == "reference" { return "reference" }
        if let model = workspace.model(name) { return model.definition.replacingOccurrences(of: "model \(model.name) = ", with: "") }
        if let arch = workspace.architecture(name) {
            return arch.layers.map { $0.components.map { "\($0.notation()) \($0.model?.definition ?? "")" }.joined(separator: "+") }.joined(separator: "|")
        }
        return nil
    }

    func unknownTarget(_ name: String, role: String) -> ScriptError {
        ScriptError("no model or architecture named '\(name)' for \(role)" + (Suggestion.closest(to: name, in: workspace.names + ["reference"])
            .map { " — did you mean '\($0)'?" } ?? " — define one first (`models`, `archs` list them)"))
    }

    /// Answers for `name`: a conversation turn by turn (MT-Bench has two turns).
    func answerer(_ name: String, dataset: Dataset) -> Answerer {
        let client = self.client
        let model = workspace.model(name), arch = workspace.architecture(name)
        let (datasetName, scorer) = (dataset.name, dataset.scorer)
        return { item, sample in
            if name == "reference" {
                guard let gold = Scorer.referenceAnswer(item, dataset: datasetName, scorer: scorer) else {
                    throw ScriptError("reference has no answer for item \(item.id)")
                }
                return gold
            }
            var messages: [ChatMessage] = []
            var answers: [String] = []
            for t in item.turns.indices {
                messages.append(.user(Scorer.prompt(item, dataset: datasetName, scorer: scorer, turn: t)))
                let answer = if let model {
                    try await client.complete(model: model, messages: messages, sampleIndex: sample).content
                } else {
                    try await ArchitectureRunner(client: client).run(arch!, query: messages).answer
                }
                answers.append(answer)
                messages.append(.assistant(answer))
            }
            return answers
        }
    }

    /// Everything a bench decides before it calls a model: the items, the scorer, the judge, the
    /// baseline and the resume key (which `compare` uses to find stored results).
    struct BenchPlan {
        var slice: Slice
        var dataset: Dataset
        var root: URL?
        var items: [BenchmarkItem]
        var judgeModel: ModelSpec?
        var baselineAnswerer: Answerer?
        var notes: [String]
        var key: String
        var scorer: String { dataset.scorer }
    }

    /// Checks a bench request against the workspace and the data, and plans it.
    func planBench(_ request: BenchRequest) throws -> BenchPlan {
        let slice = try Slice.parse(request.slice)
        let dataset: Dataset
        var root: URL?
        if let mine = workspace.dataset(slice.dataset) {
            dataset = mine
        } else {
            do { root = try DatasetRegistry.root(environment: environment) } catch { throw ScriptError("\(error)") }
            do { dataset = try DatasetRegistry.load(slice.dataset, root: root!) } catch {
                throw ScriptError("\(error)" + (workspace.datasets.isEmpty ? "" : " (yours: \(workspace.datasets.map(\.name).joined(separator: ", ")))"))
            }
        }
        let scorer = dataset.scorer
        guard Scorer.available.contains(scorer) else { throw ScriptError("bench \(dataset.name): unknown scorer \(scorer)") }
        if scorer == "code", let unavailable = CodeSandbox.unavailable {
            throw ScriptError("bench \(dataset.name): \(unavailable)")
        }
        var items = try slice.apply(dataset.items)
        let target = request.target
        guard let definition = benchDefinition(target) else { throw unknownTarget(target, role: "bench") }
        if workspace.architecture(target) != nil, request.samples > 1 {
            throw ScriptError("samples=\(request.samples) applies to models — an architecture's generators set its own samples")
        }
        let judged = Scorer.judged.contains(scorer)
        if request.samples > 1, judged {
            throw ScriptError("samples=\(request.samples) is for benchmarks scored right or wrong (math, code, match) — \(dataset.name) is judged; leave samples out")
        }

        // The judge: required by judged scorers, optional for free-form matching, refused elsewhere.
        var judgeModel: ModelSpec?
        if let name = request.judge {
            guard ["judge", "pairwise", "arena", "mixeval", "match"].contains(scorer) else {
                throw ScriptError("judge= does not apply to \(dataset.name): its \(scorer) scorer needs no judge — leave judge= out")
            }
            guard let m = workspace.model(name) else {
                if workspace.architecture(name) != nil { throw ScriptError("judge=\(name) is an architecture — a judge must be a model (define one with `model`)") }
                throw unknownTarget(name, role: "judge=")
            }
            judgeModel = m
        } else if judged {
            throw ScriptError("bench \(dataset.name) needs judge=MODEL (its \(scorer) scorer asks a model to grade) — e.g. model grader = openai/gpt-4o temperature=0, then bench \(target) \(request.slice) judge=grader")
        }

        var notes: [String] = []
        if target == "reference" {
            let answerable = items.filter { Scorer.referenceAnswer($0, dataset: dataset.name, scorer: scorer) != nil }
            if answerable.isEmpty {
                throw ScriptError("reference has no gold answers in \(slice.description) — \(dataset.name == "arena_hard" ? "Arena-Hard has none; bench a model with baseline=NAME instead" : "pick items that have one")")
            }
            if answerable.count < items.count {
                notes.append("reference: \(items.count - answerable.count) of \(items.count) items have no gold answer and are left out")
            }
            items = answerable
        }

        // The baseline of pairwise judging: a model or architecture, else the answers bundled with the data.
        var baselineAnswerer: Answerer?
        var baselineDefinition = "bundled"
        if let name = request.baseline {
            guard scorer == "pairwise" || scorer == "arena" else {
                throw ScriptError("baseline= applies to pairwise benchmarks (alpaca_eval, arena_hard) — \(dataset.name) is scored by \(scorer)")
            }
            guard let d = benchDefinition(name), name != "reference" else { throw unknownTarget(name, role: "baseline=") }
            baselineDefinition = d
            baselineAnswerer = answerer(name, dataset: dataset)
        } else if scorer == "pairwise" || scorer == "arena", let missing = items.first(where: { $0.baseline == nil }) {
            throw ScriptError("\(dataset.name) has no bundled baseline answer (item \(missing.id)) — pass baseline=NAME, a model or architecture that answers the same questions")
        }

        // What is being measured decides the resume key.
        var keyText = "bench|\(dataset.name)|samples=\(request.samples)|\(definition)"
        if let judgeModel { keyText += "|judge=\(benchDefinition(judgeModel.name) ?? judgeModel.definition)" }
        if scorer == "pairwise" || scorer == "arena" { keyText += "|baseline=\(baselineDefinition)" }
        if workspace.dataset(dataset.name) != nil {
            // A user's file can change between runs: its content is part of what is measured.
            keyText += "|items=" + SHA256.hex(dataset.items.map { "\($0)" }.joined(separator: "\n"))
        }
        let key = SHA256.hex(keyText)
        return BenchPlan(slice: slice, dataset: dataset, root: root, items: items, judgeModel: judgeModel,
                         baselineAnswerer: baselineAnswerer, notes: notes, key: key)
    }

    /// Runs a bench and returns its result table.
    func runBench(_ request: BenchRequest, number: Int, cell: Int64, onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        let plan = try planBench(request)
        let (slice, dataset, items, judgeModel, baselineAnswerer, notes, key, scorer) =
            (plan.slice, plan.dataset, plan.items, plan.judgeModel, plan.baselineAnswerer, plan.notes, plan.key, plan.scorer)
        let target = request.target
        let judged = Scorer.judged.contains(scorer)
        // A replay re-scores every item from the recorded calls instead of resuming, so that its
        // output is the recorded one.
        let done = client.replay.value == nil ? try store.benchItems(key: key) : [:]
        let todo = items.filter { done[$0.id] == nil }
        recorder.resetTotals()
        let start = ContinuousClock.now
        let recorder = self.recorder
        let progress = BenchProgress(total: items.count, resumed: items.count - todo.count, onToken: streaming ? onToken : nil) {
            let t = recorder.totals()
            return SessionReport.costText(t.cost, unpriced: t.unpriced)
        }
        progress.report()

        let store = self.store, sessionID = self.sessionID, datasetName = dataset.name, samples = request.samples
        let sandbox: CodeSandbox = {
            var s = CodeSandbox()
            s.timeout = 10
            return s
        }()
        let answer = answerer(target, dataset: dataset)
        var scoring: JudgedScoring?
        if let judgeModel {
            var prompts: [String: JudgePrompt] = [:]
            if judged {
                do { prompts = try JudgePrompts.mtBench(root: plan.root ?? DatasetRegistry.root(environment: environment)) } catch { throw ScriptError("\(error)") }
            }
            scoring = JudgedScoring(judge: Judge(client: client, model: judgeModel), prompts: prompts)
        }
        let judging = scoring, answerBaseline = baselineAnswerer
        let scoreOne: @Sendable (BenchmarkItem) async throws -> BenchItemRow = { item in
            var scores: [Double] = []
            var details: [String] = []
            var answers: [String] = []
            var judgement: Judgement?
            // Pairwise judging needs the baseline's answer too: both are asked at once.
            async let baselineTurns: [String]? = answerBaseline?(item, 0)
            for s in 0..<samples {
                let turns = try await answer(item, s)
                let last = turns.last ?? ""
                var scored: ItemScore
                switch scorer {
                case "judge":
                    let (sc, j) = try await judging!.single(item, answers: turns)
                    (scored, judgement) = (sc, j)
                case "pairwise", "arena":
                    // The baseline's answer was asked for at the same time as the target's (below).
                    let other = try await baselineTurns?.last ?? item.baseline ?? ""
                    let (sc, j) = try await judging!.pairwise(item, answer: last, baseline: other, arena: scorer == "arena")
                    (scored, judgement) = (sc, j)
                default:
                    scored = await Scorer.score(last, item: item, dataset: datasetName, scorer: scorer, sandbox: sandbox)
                    // With a judge: free-form answers the match refused are graded, and multiple-choice
                    // answers whose option could not be read are read by the judge.
                    if scored.score < 1, let judging, ["mixeval", "match"].contains(scorer),
                       item.options == nil || MixEvalAnswer.chosenOption(last, options: item.options!) == nil {
                        let (sc, j) = item.options == nil ? try await judging.freeForm(item, answer: last)
                                                          : try await judging.choice(item, answer: last)
                        scored = ItemScore(score: sc.score, detail: scored.detail + "; " + sc.detail)
                        judgement = j
                    }
                }
                scores.append(scored.score)
                details.append(scored.detail)
                answers.append(turns.count > 1 ? turns.enumerated().map { "[turn \($0 + 1)]\n\($1)" }.joined(separator: "\n\n") : last)
            }
            return BenchItemRow(id: nil, benchKey: key, sessionId: sessionID, cellId: cell, itemId: item.id, category: item.category,
                                answer: answers.joined(separator: "\n\n---\n\n"), score: Statistics.mean(scores),
                                detail: details.joined(separator: " | "), judgement: judgement?.json)
        }
        // An item whose calls fail (after the provider's retries) is reported and left for the next run;
        // the bench goes on. Cancellation, offline replays missing a call, and a start where every item
        // fails (a wrong key, a server that is down) stop it.
        var failures: [(item: String, error: String)] = []
        var succeeded = 0
        let inFlight = await client.concurrency()
        // Another process running the same bench on this database claims the items it answers: this
        // one answers the others, then waits for those (or takes them over if that process died).
        let replaying = client.replay.value != nil
        let scoreAndStore: @Sendable (BenchmarkItem) async throws -> (String, Error?, Int32?) = { item in
            if !replaying {
                switch try store.claimBenchItem(key: key, item: item.id) {
                case .done: progress.finished(); return (item.id, nil, nil)
                case let .taken(pid): return (item.id, nil, pid)
                case .mine: break
                }
            }
            let row: BenchItemRow
            do {
                row = try await scoreOne(item)
            } catch {
                if !replaying { try? store.releaseBenchItem(key: key, item: item.id) }
                if Task.isCancelled || error is CancellationError { throw error }
                if let p = error as? ProviderError, p == .cancelled || p.isNotRecorded { throw error }
                return (item.id, error, nil)
            }
            try store.recordBenchItem(row)
            progress.finished()
            return (item.id, nil, nil)
        }
        var waiting: [String: Int32] = [:]
        try await withThrowingTaskGroup(of: (String, Error?, Int32?).self) { group in
            var next = 0
            func add() {
                guard next < todo.count else { return }
                let item = todo[next]
                next += 1
                group.addTask { try await scoreAndStore(item) }
            }
            // As many items in flight as calls may be (`set concurrency`): each needs at least one.
            for _ in 0..<inFlight { add() }
            while let (id, error, otherPID) = try await group.next() {
                if let otherPID {
                    waiting[id] = otherPID
                } else if let error {
                    failures.append((id, "\(error)"))
                    if succeeded == 0, failures.count >= 5 {
                        throw ScriptError("bench \(target) stopped: its first \(failures.count) items all failed — \(error)")
                    }
                } else {
                    succeeded += 1
                }
                add()
            }
        }
        // Items another process is answering: wait until it stores them, or answer them if it died.
        while !waiting.isEmpty {
            try await Task.sleep(nanoseconds: 300_000_000)
            for (id, _) in waiting {
                guard let item = todo.first(where: { $0.id == id }) else { waiting[id] = nil; continue }
                let (_, error, otherPID) = try await scoreAndStore(item)
                if let otherPID { waiting[id] = otherPID; continue }
                waiting[id] = nil
                if let error { failures.append((id, "\(error)")) } else { succeeded += 1 }
            }
        }
        progress.end()

        let results = try store.benchItems(key: key)
        let rows = items.compactMap { results[$0.id] }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var text = BenchTable.render(rows: rows, slice: slice, scorer: scorer, samples: samples,
                                     baseline: request.baseline ?? (scorer == "pairwise" || scorer == "arena" ? "the bundled baseline" : nil))
        for n in notes { text += "\nnote: \(n)" }
        if !failures.isEmpty {
            let shown = failures.sorted { $0.item < $1.item }.prefix(3).map { "\($0.item): \(Formatting.snippet($0.error, 80))" }
            text += "\nnote: \(failures.count) item(s) failed and are not scored — \(shown.joined(separator: "; "))\(failures.count > 3 ? "; …" : "")"
                + " — run the same bench again to retry them"
        }
        let t = recorder.totals()
        let per = todo.isEmpty ? "" : " · per item: \(String(format: "%.1f", Double(t.calls) / Double(todo.count))) calls, \((t.prompt + t.completion) / todo.count) tokens"
        let j = recorder.judgeTotals()
        let how = judgeModel.map { " · judge \($0.name)" } ?? ""
        let judgeSpend = judgeModel == nil ? "" : " (judge: \(j.calls) calls, \(j.tokens) tokens, \(SessionReport.costText(j.cost, unpriced: j.unpriced)))"
        var result = CellResult(number: number, output: text,
                                footer: "[\(number)] bench \(target) · \(scorer) scorer\(how) · \(succeeded) scored now, \(failures.isEmpty ? "" : "\(failures.count) failed, ")\(items.count - todo.count) resumed · \(t.calls) calls · \(t.prompt) → \(t.completion) tokens · \(SessionReport.costText(t.cost, unpriced: t.unpriced))\(judgeSpend)\(per) · \(Formatting.duration(reported(seconds)))")
        result.seconds = reported(seconds)
        if !failures.isEmpty { result.status = .incomplete }
        return result
    }
}

/// Progress of a bench on a terminal: done/total, ETA and the running cost, redrawn in place.
final class BenchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let resumed: Int
    private var done = 0
    private let start = Date()
    private let onToken: (@Sendable (String) -> Void)?
    private let cost: @Sendable () -> String

    init(total: Int, resumed: Int, onToken: (@Sendable (String) -> Void)?, cost: @escaping @Sendable () -> String) {
        self.total = total
        self.resumed = resumed
        self.onToken = onToken
        self.cost = cost
    }

    func finished() {
        lock.withLock { done += 1 }
        report()
    }

    func report() {
        guard let onToken else { return }
        let (d, elapsed) = lock.withLock { (done, Date().timeIntervalSince(start)) }
        let remaining = total - resumed - d
        let eta = d > 0 ? " · ETA \(Formatting.duration(elapsed / Double(d) * Double(remaining)))" : ""
        let width = 20, filled = total > 0 ? (resumed + d) * width / total : width
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        onToken("\r  \(bar) \(resumed + d)/\(total) items\(resumed > 0 ? " (\(resumed) resumed)" : "")\(eta) · \(cost())   ")
    }

    func end() {
        onToken?("\r" + String(repeating: " ", count: 78) + "\r")
    }
}
