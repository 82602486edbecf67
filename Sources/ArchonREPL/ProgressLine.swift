// A bench's progress on a terminal: done/total, ETA and the running cost, redrawn in place.

import ArchonKit
import Foundation

/// Draws ``BenchProgress`` events as one line that rewrites itself; clears it when the cell ends.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var drawn = false
    private let gate: Blocking.Box<Bool>

    init(gate: Blocking.Box<Bool>) { self.gate = gate }

    func draw(_ p: BenchProgress) {
        lock.withLock {
            guard gate.value != true else { return }
            let finished = p.resumed + p.done
            let width = 20, filled = p.total > 0 ? finished * width / p.total : width
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            let eta = p.eta.map { " · ETA \(Formatting.duration($0))" } ?? ""
            let cost = SessionReport.costText(p.spend.cost, unpriced: p.spend.unpriced)
            let tail = p.note.map { " · \(Formatting.snippet($0, 70))" } ?? " · \(cost)"
            Console.out("\r  \(bar) \(finished)/\(p.total) \(p.unit)\(p.resumed > 0 ? " (\(p.resumed) resumed)" : "")\(eta)\(tail)   ", terminator: "")
            drawn = true
        }
    }

    /// Wipes the line before the cell's output is printed.
    func clear() {
        lock.withLock {
            if drawn { Console.out("\r" + String(repeating: " ", count: 78) + "\r", terminator: "") }
            drawn = false
        }
    }
}
