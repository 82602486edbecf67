// Routes the calls of the running cell to the store, off the calling tasks: a writer thread of its
// own commits them in batches, so a burst of finished calls never blocks the threads that run calls.

import Foundation

/// Records each finished call for the running cell and keeps the cell's totals.
final class CellRecorder: CallRecorder, @unchecked Sendable {
    let store: SessionStore
    let session: Int64
    private let lock = NSLock()
    private var cell: Int64?
    /// What the cell's calls spent, and the part spent on judges (calls with technique "judge").
    private var spent = Spend()
    private var judgeCounts = Spend()
    private var failures: [String] = []
    /// Calls waiting for the writer, each with its cell; whether a drain is queued.
    private var pending: [(CallRecord, Int64?)] = []
    private var draining = false
    /// Holds calls back and writes them in one transaction at `flush()` (used by offline replay,
    /// whose calls are already safe in the recording).
    private var deferred: [CallRecord]?
    /// The writer: one serial queue, so calls are committed in the order they finished.
    private let writer = DispatchQueue(label: "archon.cell-recorder")

    init(store: SessionStore, session: Int64) {
        self.store = store
        self.session = session
    }

    func resetTotals() { lock.withLock { (spent, judgeCounts) = (Spend(), Spend()) } }

    func judgeTotals() -> (calls: Int, tokens: Int, cost: Double, unpriced: Int) {
        lock.withLock { (judgeCounts.calls, judgeCounts.tokens, judgeCounts.cost, judgeCounts.unpriced) }
    }

    /// Calls, tokens and cost recorded since the last reset.
    func totals() -> (calls: Int, prompt: Int, completion: Int, cost: Double, unpriced: Int, cached: Int) {
        let s = lock.withLock { spent }
        return (s.calls, s.promptTokens, s.completionTokens, s.cost, s.unpriced, s.cached)
    }

    func setCell(_ id: Int64?) { lock.withLock { cell = id } }

    /// The calls that could not be written since the last time this was asked.
    func takeFailures() -> [String] {
        lock.withLock {
            defer { failures = [] }
            return failures
        }
    }

    func deferWrites(_ on: Bool) { lock.withLock { deferred = on ? (deferred ?? []) : nil } }

    /// Writes everything recorded so far (the cell's end waits for it).
    func flush() {
        writer.sync { drain() }
        let (held, cell): ([CallRecord], Int64?) = lock.withLock {
            let p = deferred ?? []
            if deferred != nil { deferred = [] }
            return (p, self.cell)
        }
        do { try store.recordCalls(held, session: session, cell: cell) } catch {
            lock.withLock { failures.append("\(held.count) replayed calls: \(error)") }
        }
    }

    func record(_ call: CallRecord) {
        let startDrain: Bool = lock.withLock {
            spent.add(call)
            if call.technique == "judge" { judgeCounts.add(call) }
            if deferred != nil {
                deferred!.append(call)
                return false
            }
            pending.append((call, cell))
            defer { draining = true }
            return !draining
        }
        if startDrain { writer.async { self.drain() } }
    }

    /// Commits every pending call in one transaction. A failed write must not take the answers down
    /// with it; the cell reports it instead.
    private func drain() {
        let batch: [(CallRecord, Int64?)] = lock.withLock {
            defer { pending = []; draining = false }
            return pending
        }
        guard !batch.isEmpty else { return }
        do { try store.recordCalls(batch, session: session) } catch {
            lock.withLock { failures.append("\(batch.count) call(s) of \(batch[0].0.modelName): \(error)") }
        }
    }
}
