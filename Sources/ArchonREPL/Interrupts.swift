// Ctrl-C: a SIGINT handler that only writes to a pipe, and a thread that acts on it.

@preconcurrency import Glibc
import Foundation

nonisolated(unsafe) private var interruptPipe: [Int32] = [-1, -1]

/// Turns SIGINT into a call of the current handler on an ordinary thread.
///
/// The signal handler itself does the one async-signal-safe thing, a `write` to a pipe; a watcher
/// thread reads it and calls whatever `onInterrupt` is installed: cancel the running cell, wake
/// the line editor, or leave.
final class Interrupts: @unchecked Sendable {
    static let shared = Interrupts()

    private let lock = NSLock()
    private var handler: (@Sendable () -> Void)?
    private var termination: Int32?

    /// SIGTERM or SIGHUP, once received: the running cell is cancelled and recorded, then archon exits.
    var terminating: Int32? { lock.withLock { termination } }
    /// The exit status for the signal that ended the session (130 for Ctrl-C).
    var exitCode: Int32 { 128 + (terminating ?? SIGINT) }

    private init() {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        interruptPipe = fds
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var b = UInt8(truncatingIfNeeded: signal)
            _ = write(interruptPipe[1], &b, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGHUP, &action, nil)
        let readEnd = fds[0]
        let thread = Thread { [self] in
            var b: UInt8 = 0
            while true {
                let n = read(readEnd, &b, 1)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return }
                lock.lock()
                if Int32(b) != SIGINT { termination = Int32(b) }
                let h = handler
                lock.unlock()
                h?()
            }
        }
        thread.start()
    }

    /// Installs `h` as what Ctrl-C does from now on.
    func onInterrupt(_ h: (@Sendable () -> Void)?) {
        lock.lock()
        handler = h
        lock.unlock()
    }
}

/// Runs async work from synchronous code and waits for it, cancelling it on Ctrl-C.
enum Blocking {
    /// A value handed between threads under a lock.
    final class Box<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: T?
        var value: T? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }

    static func run<T: Sendable>(cancellable: Bool = false, onCancel: (@Sendable () -> Void)? = nil,
                                 _ body: @escaping @Sendable () async -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let task = Task.detached {
            box.value = await body()
            done.signal()
        }
        if cancellable {
            Interrupts.shared.onInterrupt {
                onCancel?()
                task.cancel()
            }
        }
        done.wait()
        if cancellable { Interrupts.shared.onInterrupt(nil) }
        return box.value!
    }
}
