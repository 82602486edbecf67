// A counting semaphore for async code, used to bound requests in flight.

/// Lets at most `limit` holders in at once; waiters resume in arrival order; cancellation-aware.
public actor AsyncSemaphore {
    private var limit: Int
    private var held = 0
    private var waiters: [(id: Int, cont: CheckedContinuation<Void, Error>)] = []
    private var nextID = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    public var currentLimit: Int { limit }

    public func setLimit(_ n: Int) {
        limit = max(1, n)
        wakeWaiters()
    }

    public func acquire() async throws {
        try Task.checkCancellation()
        if held < limit {
            held += 1
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, Error>) in
                waiters.append((id, cont))
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
        while held < limit, !waiters.isEmpty {
            held += 1
            waiters.removeFirst().cont.resume()
        }
    }

    /// Runs `body` while holding one permit.
    public nonisolated func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
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
