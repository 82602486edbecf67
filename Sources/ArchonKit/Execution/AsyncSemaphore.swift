// A counting semaphore for async code, used to bound requests in flight.

/// Lets at most `limit` holders in at once; waiters resume lowest priority number first, in arrival
/// order among equals; cancellation-aware.
public actor AsyncSemaphore {
    private var limit: Int
    private var held = 0
    /// Waiters ordered by (priority, arrival).
    private var waiters: [(priority: Double, id: Int, cont: CheckedContinuation<Void, Error>)] = []
    private var nextID = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    public var currentLimit: Int { limit }

    public func setLimit(_ n: Int) {
        limit = max(1, n)
        wakeWaiters()
    }

    /// Takes a permit; when none is free, waits behind every waiter with a lower priority number.
    public func acquire(priority: Double = 0) async throws {
        try Task.checkCancellation()
        if held < limit {
            held += 1
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, Error>) in
                // Most waiters arrive in priority order: search from the back.
                var i = waiters.count
                while i > 0, waiters[i - 1].priority > priority { i -= 1 }
                waiters.insert((priority, id, cont), at: i)
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        if let i = waiters.firstIndex(where: { $0.id == id }) {
            waiters.remove(at: i).cont.resume(throwing: CancellationError())
        }
    }

    public func release() {
        held -= 1
        wakeWaiters()
    }

    private func wakeWaiters() {
        var woken = 0
        while held < limit, woken < waiters.count {
            held += 1
            woken += 1
        }
        guard woken > 0 else { return }
        let ready = waiters.prefix(woken)
        waiters.removeFirst(woken)
        for w in ready { w.cont.resume() }
    }

    /// Runs `body` while holding one permit.
    public nonisolated func withPermit<T: Sendable>(priority: Double = 0, _ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire(priority: priority)
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }
}
