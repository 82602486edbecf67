// A small lock-protected box shared by the client and the interpreter.

import Foundation

/// A value read and written under a lock, from any thread.
public final class LockedValue<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    public init(_ v: T) { stored = v }
    public var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    /// Changes the value under the lock and returns what `body` returns.
    @discardableResult
    public func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
        try lock.withLock { try body(&stored) }
    }
}
