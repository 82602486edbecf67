// `bench TARGET SLICE`: answers every item at once, scores it, records it as it finishes, resumes.

import Foundation

extension Interpreter {
    /// Runs a bench and returns its result table.
    func runBench(target: String, sliceText: String, samples: Int, number: Int, cell: Int64,
                  onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        let root: URL
        do { root = try DatasetRegistry.root(environment: environment) } catch { throw ScriptError("\(error)") }
        let slice = try Slice.parse(sliceText)
        let dataset: Dataset
        do { dataset = try DatasetRegistry.load(slice.dataset, root: root) } catch { throw ScriptError("\(error)") }
        guard Scorer.available.contains(dataset.scorer) else {
            throw ScriptError("bench \(dataset.name) needs the \(dataset.scorer) scorer, which is not built yet — math (math500, aime), code (humaneval, mbpp) and mixeval (mixeval_hard) are")
        }
        let items = try slice.apply(dataset.items)

        // What is being measured decides the resume key: the target's full definition, dataset, samples.
        let model = workspace.model(target)
        let arch = workspace.architecture(target)
        let definition: String
        if target == "reference" {
            definition = "reference"
        } else if let model {
            definition = model.definition.replacingOccurrences(of: "model \(model.name) = ", with: "")
        } else if let arch {
            definition = arch.layers.map { $0.components.map { "\($0.notation()) \($0.model?.definition ?? "")" }.joined(separator: "+") }.joined(separator: "|")
        } else {
            throw ScriptError("no model or architecture named '\(target)'" + (Suggestion.closest(to: target, in: workspace.names + ["reference"])
                .map { " — did you mean '\($0)'?" } ?? " — define one, or use reference"))
        }
        if arch != nil, samples > 1 {
            throw ScriptError("samples=\(samples) applies to models — an architecture's generators set its own samples")
        }
        let key = SHA256.hex("bench|\(dataset.name)|samples=\(samples)|\(definition)")
        // A replay re-scores every item from the recorded calls instead of resuming, so that its
        // output is the recorded one.
        let done = client.replay.value == nil ? try store.benchItems(key: key) : [:]
        let todo = items.filter { done[$0.id] == nil }
        recorder.resetTotals()
        let start = ContinuousClock.now
        let progress = BenchProgress(total: items.count, resumed: items.count - todo.count, onToken: streaming ? onToken : nil)
        progress.report()

        let client = self.client, store = self.store, sessionID = self.sessionID
        let sandbox: CodeSandbox = {
            var s = CodeSandbox()
            s.timeout = 10
            return s
        }()
        let answerOne: @Sendable (BenchmarkItem, Int) async throws -> String = { item, sample in
            if target == "reference" { return Scorer.referenceAnswer(item, dataset: dataset.name) }
            let prompt = Scorer.prompt(item, dataset: dataset.name)
            if let model {
                return try await client.complete(model: model, messages: [.user(prompt)], sampleIndex: sample).content
            }
            return try await ArchitectureRunner(client: client).run(arch!, query: [.user(prompt)]).answer
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                guard next < todo.count else { return }
                let item = todo[next]
                next += 1
                group.addTask {
                    var scores: [Double] = []
                    var details: [String] = []
                    var answers: [String] = []
                    for s in 0..<samples {
                        let answer = try await answerOne(item, s)
                        let scored = Scorer.score(answer, item: item, dataset: dataset.name, scorer: dataset.scorer, sandbox: sandbox)
                        scores.append(scored.score)
                        details.append(scored.detail)
                        answers.append(answer)
                    }
                    try store.recordBenchItem(BenchItemRow(id: nil, benchKey: key, sessionId: sessionID, cellId: cell, itemId: item.id,
                                                           category: item.category, answer: answers.joined(separator: "\n\n---\n\n"),
                                                           score: Statistics.mean(scores), detail: details.joined(separator: " | ")))
                    progress.finished()
                }
            }
            for _ in 0..<16 { add() }
            while try await group.next() != nil { add() }
        }
        progress.end()

        let results = try store.benchItems(key: key)
        let rows = items.compactMap { results[$0.id] }
        let scores = rows.map(\.score)
        let (low, high) = Statistics.bootstrapCI(scores)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let t = recorder.totals()
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        var table: [[String]] = [[slice.description, String(rows.count), pct(Statistics.mean(scores)), "\(pct(low)) – \(pct(high))"]]
        let categories = Dictionary(grouping: rows, by: \.category)
        if categories.count > 1, categories.count <= 20 {
            for (c, r) in categories.sorted(by: { $0.key < $1.key }) {
                let s = r.map(\.score)
                let ci = Statistics.bootstrapCI(s)
                table.append(["  \(c)", String(r.count), pct(Statistics.mean(s)), "\(pct(ci.low)) – \(pct(ci.high))"])
            }
        }
        var text = Formatting.table(["slice", "n", samples > 1 ? "pass@1" : "score", "95% CI (bootstrap, 1000)"], table)
        if samples > 1 {
            let passK = rows.map { Statistics.passAtK(n: samples, c: Int(($0.score * Double(samples)).rounded()), k: samples) }
            text += "\npass@\(samples) (unbiased, \(samples) samples per item): \(pct(Statistics.mean(passK)))"
        }
        if rows.count < 30 {
            // With every score alike the bootstrap interval collapses; 1/√n is the honest scale then.
            let halfWidth = max((high - low) / 2, 1 / Double(rows.count).squareRoot())
            text += "\nnote: n = \(rows.count) is small; differences under ±\(pct(halfWidth)) are not readable here"
        }
        let per = todo.isEmpty ? "" : " · per item: \(String(format: "%.1f", Double(t.calls) / Double(todo.count))) calls, \((t.prompt + t.completion) / max(1, todo.count)) tokens"
        var result = CellResult(number: number, output: text,
                                footer: "[\(number)] bench \(target) · \(dataset.scorer) scorer · \(todo.count) scored now, \(items.count - todo.count) resumed · \(t.calls) calls · \(t.prompt) → \(t.completion) tokens · \(SessionReport.costText(t.cost, unpriced: t.unpriced))\(per) · \(Formatting.duration(reported(seconds)))")
        result.seconds = reported(seconds)
        return result
    }
}

/// Progress of a bench on a terminal: done/total and an ETA, redrawn in place.
final class BenchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let resumed: Int
    private var done = 0
    private let start = Date()
    private let onToken: (@Sendable (String) -> Void)?

    init(total: Int, resumed: Int, onToken: (@Sendable (String) -> Void)?) {
        self.total = total
        self.resumed = resumed
        self.onToken = onToken
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
        onToken("\r  \(resumed + d)/\(total) items\(resumed > 0 ? " (\(resumed) resumed)" : "")\(eta)   ")
    }

    func end() {
        onToken?("\r" + String(repeating: " ", count: 60) + "\r")
    }
}
