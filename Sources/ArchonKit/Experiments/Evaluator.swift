// Runs a bench spec: asks every item (calls of items under way first), scores it — with a judge
// where the benchmark needs one — stores it as it finishes with what it cost, resumes, and returns a
// typed result. Knows no workspace names and draws nothing: progress goes out as values.

import Foundation

/// Evaluates ``BenchSpec``s through a model client, storing runs and items in a session store.
public struct Evaluator: Sendable {
    public let client: ModelClient
    public let store: SessionStore
    public let session: Int64
    /// Seconds one code answer may run in the sandbox.
    public var codeTimeout = 10.0

    public init(client: ModelClient, store: SessionStore, session: Int64) {
        self.client = client
        self.store = store
        self.session = session
    }

    /// An item's answers, turn by turn (MT-Bench has two turns), and for an architecture what its
    /// layers did on the last turn: parse fallbacks and each layer's candidates.
    struct Answered: Sendable {
        var turns: [String]
        var parseFailures: Int? = nil
        var layers: [ItemLayer]? = nil
    }

    typealias Answerer = @Sendable (BenchmarkItem, Int) async throws -> Answered

    func answerer(_ target: BenchTarget, dataset: Dataset) -> Answerer {
        let client = self.client
        let (name, scorer) = (dataset.name, dataset.scorer)
        return { item, sample in
            switch target {
            case .reference:
                guard let gold = Scorer.referenceAnswer(item, dataset: name, scorer: scorer) else {
                    throw ScriptError("reference has no answer for item \(item.id)")
                }
                return Answered(turns: gold)
            case let .recorded(r):
                guard let answers = r.answer(for: item) else { throw ScriptError("\(r.name) has no recorded answer for item \(item.id)") }
                return Answered(turns: answers)
            case .model, .architecture:
                var messages: [ChatMessage] = []
                var answers: [String] = []
                var last: ArchitectureRun?
                for t in item.turns.indices {
                    messages.append(.user(Scorer.prompt(item, dataset: name, scorer: scorer, turn: t)))
                    let answer: String
                    if case let .model(model) = target {
                        answer = try await client.complete(model: model, messages: messages, sampleIndex: sample).content
                    } else if case let .architecture(arch) = target {
                        let run = try await ArchitectureRunner(client: client).run(arch, query: messages)
                        answer = run.answer
                        last = run
                    } else { answer = "" }
                    answers.append(answer)
                    messages.append(.assistant(answer))
                }
                guard let last else { return Answered(turns: answers) }
                return Answered(turns: answers, parseFailures: last.parseFailures, layers: last.traces.map { ItemLayer(out: $0.candidatesOut.map(\.text), verdicts: $0.testVerdicts) })
            }
        }
    }

    /// What is stored for `spec` so far on its slice, without calling anything.
    public func stored(_ spec: BenchSpec) throws -> BenchResult {
        let run = try store.benchRun(key: spec.key) ?? spec.runRow(session: session, cell: nil)
        let rows = try store.benchItems(key: spec.key)
        var result = BenchResult(run: run, slice: spec.slice, scorer: spec.scorer, samples: spec.samples,
                                 items: spec.items.compactMap { rows[$0.id] })
        result.resumed = result.items.count
        result.notes = spec.notes
        return result
    }

    /// Runs `spec`: items stored under its key are resumed, the others asked and scored. `cell` ties
    /// the stored items to a session cell; `onProgress` sees the progress after each item.
    public func run(_ spec: BenchSpec, cell: Int64? = nil,
                    onProgress: (@Sendable (BenchProgress) -> Void)? = nil) async throws -> BenchResult {
        // A replay re-scores every item from the recorded calls instead of resuming, so that its
        // output is the recorded one.
        let replaying = client.replay != nil
        let run = try store.openBenchRun(spec.runRow(session: session, cell: cell))
        let runID = run.id!
        let key = spec.key
        let done = replaying ? [:] : try store.benchItems(key: key)
        let todo = spec.items.filter { done[$0.id] == nil }
        let scorer = spec.scorer, samples = spec.samples, datasetName = spec.dataset.name
        let start = ContinuousClock.now
        let runTally = SpendTally()
        let counter = LockedValue((done: 0, failed: 0))
        let resumed = spec.items.count - todo.count
        let report: @Sendable () -> Void = {
            guard let onProgress else { return }
            let c = counter.value
            onProgress(BenchProgress(total: spec.items.count, resumed: resumed, done: c.done, failed: c.failed,
                                     elapsed: (ContinuousClock.now - start).seconds,
                                     spend: runTally.total))
        }
        report()

        var sandbox = CodeSandbox()
        sandbox.timeout = codeTimeout
        let codeSandbox = sandbox
        let answer = answerer(spec.target, dataset: spec.dataset)
        var scoring: JudgedScoring?
        if let judge = spec.judge {
            var prompts: [String: JudgePrompt] = [:]
            if scorer.isJudged {
                do { prompts = try JudgePrompts.mtBench(root: spec.datasetsRoot ?? DatasetRegistry.root()) } catch { throw ScriptError("\(error)") }
            }
            var arena: ArenaJudgeConfig?
            if scorer == .arena {
                do { arena = try ArenaJudgeConfig.load(root: spec.datasetsRoot ?? DatasetRegistry.root()) } catch { throw ScriptError("\(error)") }
            }
            scoring = JudgedScoring(judge: Judge(client: client, model: judge), prompts: prompts, arena: arena)
        }
        let judging = scoring
        var answerBaseline: Answerer?
        if case let .target(_, t)? = spec.baseline { answerBaseline = answerer(t, dataset: spec.dataset) }
        let baselineAnswer = answerBaseline
        let store = self.store, session = self.session

        let scoreOne: @Sendable (BenchmarkItem, SpendTally) async throws -> BenchItemRow = { item, tally in
            let itemStart = ContinuousClock.now
            var scores: [Double] = []
            var details: [String] = []
            var gradings: [Grading?] = []
            var answers: [String] = []
            var judgement: Judgement?
            // Pairwise judging needs the baseline's answer too: both are asked at once.
            async let baselineTurns: [String]? = baselineAnswer?(item, 0).turns
            var parseFailures: Int?
            var layers: [ItemLayer]?
            for s in 0..<samples {
                let answered = try await answer(item, s)
                let turns = answered.turns
                if let p = answered.parseFailures { parseFailures = (parseFailures ?? 0) + p }
                if s == 0 { layers = answered.layers }
                let last = turns.last ?? ""
                var scored: ItemScore
                switch scorer {
                case .judge:
                    (scored, judgement) = try await judging!.single(item, answers: turns)
                case .pairwise, .arena:
                    let other = try await baselineTurns?.last ?? item.baseline ?? ""
                    (scored, judgement) = try await judging!.pairwise(item, answer: last, baseline: other, arena: scorer == .arena)
                case .math, .code, .mixeval, .match:
                    scored = await Scorer.score(last, item: item, dataset: datasetName, scorer: scorer, sandbox: codeSandbox)
                    // With a judge: what the rule could not decide — a free-form answer whose final
                    // answer is not plainly a target, a choice that could not be read — goes to the judge.
                    if scored.grading == .undecided, let judging {
                        let (sc, j) = item.options == nil ? try await judging.freeForm(item, answer: last)
                                                          : try await judging.choice(item, answer: last)
                        scored = ItemScore(score: sc.score, detail: scored.detail + "; " + sc.detail, grading: .judge)
                        judgement = j
                    }
                }
                scores.append(scored.score)
                details.append(scored.detail)
                gradings.append(scored.grading)
                answers.append(turns.count > 1 ? turns.enumerated().map { "[turn \($0 + 1)]\n\($1)" }.joined(separator: "\n\n") : last)
            }
            let spent = tally.total
            var row = BenchItemRow(id: nil, benchKey: key, sessionId: session, cellId: cell, itemId: item.id, category: item.category,
                                   answer: answers.joined(separator: "\n\n---\n\n"), score: Statistics.mean(scores),
                                   detail: details.joined(separator: " | "), judgement: judgement?.json)
            row.runId = runID
            row.parseFailures = parseFailures
            row.candidates = layers.flatMap { try? String(decoding: JSONEncoder().encode($0), as: UTF8.self) }
            // The item's grading: by the judge if any sample was, undecided if any was left so, else by rule.
            row.grading = [Grading.judge, .undecided, .rule].first { g in gradings.contains(g) }
            (row.calls, row.promptTokens, row.completionTokens) = (spent.calls, spent.promptTokens, spent.completionTokens)
            (row.cost, row.unpricedCalls) = (spent.cost, spent.unpriced)
            row.seconds = (ContinuousClock.now - itemStart).seconds
            return row
        }

        // An item whose calls fail (after the provider's retries) is reported and left for the next run;
        // the bench goes on. Cancellation, offline replays missing a call, and a start where every item
        // fails (a wrong key, a server that is down) stop it.
        // Another process running the same bench on this database claims the items it answers: this
        // one answers the others, then waits for those (or takes them over if that process died).
        // Scheduling: how far apart items are due (see ItemScope.priority).
        let slots = await client.concurrency()
        let (perItem, depth) = spec.callsPerItem
        let spacing = Double(perItem) / Double(max(1, slots))
        let scoreAndStore: @Sendable (BenchmarkItem, Int) async throws -> (String, Error?, Int32?) = { item, order in
            if !replaying {
                switch try store.claimBenchItem(key: key, item: item.id) {
                case .done:
                    counter.withLock { $0.done += 1 }
                    report()
                    return (item.id, nil, nil)
                case let .taken(pid): return (item.id, nil, pid)
                case .mine: break
                }
            }
            let scope = ItemScope(link: ItemLink(run: runID, item: item.id), order: order, spacing: spacing, depth: depth, run: runTally)
            let row: BenchItemRow
            do {
                row = try await ItemScope.$current.withValue(scope) { try await scoreOne(item, scope.item) }
            } catch {
                if !replaying { try? store.releaseBenchItem(key: key, item: item.id) }
                if Task.isCancelled || error is CancellationError { throw error }
                if let p = error as? ProviderError, p == .cancelled || p.isNotRecorded { throw error }
                counter.withLock { $0.done += 1; $0.failed += 1 }
                report()
                return (item.id, error, nil)
            }
            try store.recordBenchItem(row)
            counter.withLock { $0.done += 1 }
            report()
            return (item.id, nil, nil)
        }
        var failures: [ItemFailure] = []
        var succeeded = 0
        let inFlight = await client.concurrency()
        var waiting: [String: Int32] = [:]
        try await withThrowingTaskGroup(of: (String, Error?, Int32?).self) { group in
            var next = 0
            func add() {
                guard next < todo.count else { return }
                let (item, order) = (todo[next], next)
                next += 1
                group.addTask { try await scoreAndStore(item, order) }
            }
            // As many items in flight as calls may be (`set concurrency`): each needs at least one.
            for _ in 0..<inFlight { add() }
            while let (id, error, otherPID) = try await group.next() {
                if let otherPID {
                    waiting[id] = otherPID
                } else if let error {
                    failures.append(ItemFailure(item: id, error: "\(error)"))
                    if succeeded == 0, failures.count >= 5 {
                        throw ScriptError("bench \(spec.label) stopped: its first \(failures.count) items all failed — \(error)")
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
                guard let i = todo.firstIndex(where: { $0.id == id }) else { waiting[id] = nil; continue }
                let (_, error, otherPID) = try await scoreAndStore(todo[i], i)
                if let otherPID { waiting[id] = otherPID; continue }
                waiting[id] = nil
                if let error { failures.append(ItemFailure(item: id, error: "\(error)")) } else { succeeded += 1 }
            }
        }

        let stored = try store.benchItems(key: key)
        try store.updateBenchRunSummary(runID, BenchSummary.of(Array(stored.values), scorer: scorer))
        var result = BenchResult(run: try store.benchRun(key: key) ?? run, slice: spec.slice, scorer: scorer, samples: samples,
                                 items: spec.items.compactMap { stored[$0.id] })
        result.scoredNow = succeeded
        result.resumed = resumed
        result.failures = failures.sorted { $0.item < $1.item }
        result.spend = runTally.total
        result.judgeSpend = runTally.judge
        result.seconds = (ContinuousClock.now - start).seconds
        result.notes = spec.notes
        return result
    }
}

extension BenchSpec {
    /// Calls one item makes at most (answers, not judging) and how many layers deep they are.
    var callsPerItem: (calls: Int, depth: Int) {
        let turns = items.map(\.turns.count).max() ?? 1
        switch target {
        case let .architecture(a):
            return (max(1, ArchitectureEstimate.callsPerLayer(a).reduce(0, +) * turns), max(1, a.layers.count))
        case .model: return (samples * turns, 1)
        case .reference, .recorded: return (0, 1)
        }
    }

    /// The run row this spec is stored under, last evaluated in `session` (cell `cell`).
    func runRow(session: Int64, cell: Int64?) -> BenchRunRow {
        BenchRunRow(id: nil, key: key, label: label, targetKind: target.kind, target: target.definition, dataset: dataset.name,
                    scorer: scorer.rawValue, title: title, spec: json, createdAt: Date(), updatedAt: Date(),
                    sessionId: session, cellId: cell)
    }
}
