// Which benchmark item the running task works for: its calls are tied to it, counted for it, and
// scheduled by it.

import Foundation

/// Calls, tokens and dollars of some calls.
public struct Spend: Sendable, Equatable {
    public var calls = 0
    public var promptTokens = 0
    public var completionTokens = 0
    /// USD over calls with a known price (cache hits cost nothing and are not counted here).
    public var cost = 0.0
    /// Calls that answered but whose price is unknown.
    public var unpriced = 0
    /// Calls served from the response cache.
    public var cached = 0

    public init() {}

    public var tokens: Int { promptTokens + completionTokens }

    public mutating func add(_ call: CallRecord) {
        calls += 1
        promptTokens += call.promptTokens ?? 0
        completionTokens += call.completionTokens ?? 0
        if call.cached {
            cached += 1
        } else if let c = call.cost {
            cost += c
        } else if call.error == nil {
            unpriced += 1
        }
    }

    public static func + (a: Spend, b: Spend) -> Spend {
        var s = a
        s.calls += b.calls
        s.promptTokens += b.promptTokens
        s.completionTokens += b.completionTokens
        s.cost += b.cost
        s.unpriced += b.unpriced
        s.cached += b.cached
        return s
    }
}

/// A running sum of spend, shared by the tasks of one item (or one run).
public final class SpendTally: @unchecked Sendable {
    private let lock = NSLock()
    private var all = Spend()
    private var judging = Spend()

    public init() {}

    public func add(_ call: CallRecord) {
        lock.withLock {
            all.add(call)
            if call.technique == "judge" { judging.add(call) }
        }
    }

    /// Everything counted so far, and the part spent on judges.
    public var total: Spend { lock.withLock { all } }
    public var judge: Spend { lock.withLock { judging } }
}

/// The benchmark item a task works for, set by the evaluator around the item's calls and inherited
/// by every child task (an architecture's layers, a judge's calls).
public struct ItemScope: Sendable {
    public var link: ItemLink
    /// The item's place in the order items were started.
    public var order: Int
    /// Calls one item makes (at most) divided by the calls allowed in flight: how many rounds of calls
    /// apart two consecutive items are due when the slots are kept full.
    public var spacing: Double
    /// Layers of calls one after another in an item (an architecture's layers; 1 for a model).
    public var depth: Int
    public var item: SpendTally
    public var run: SpendTally

    public init(link: ItemLink, order: Int, spacing: Double = 1, depth: Int = 1, item: SpendTally = SpendTally(), run: SpendTally) {
        self.link = link
        self.order = order
        self.spacing = spacing
        self.depth = depth
        self.item = item
        self.run = run
    }

    @TaskLocal public static var current: ItemScope?

    /// When a call of this item is due (lower: sooner), for the free call slots.
    ///
    /// Items are due one after another, `spacing` rounds apart, so calls of items under way go before
    /// the calls of items started later and items finish in a steady stream. An item's first layer is
    /// due `depth − 1` rounds earlier than its later calls: it heads a chain of that many dependent
    /// rounds, and starting it late leaves slots idle at the end while its last layers run alone. The
    /// rule is earliest-deadline-first over those due times.
    public func priority(layer: Int?) -> Double {
        Double(order) * spacing - (layer == 1 ? Double(depth - 1) : 0)
    }

    /// Counts a finished call for its item and run.
    func count(_ call: CallRecord) {
        item.add(call)
        run.add(call)
    }
}
