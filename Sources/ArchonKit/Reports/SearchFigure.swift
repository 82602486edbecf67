// The charts of a search as data (kept with its cell) and as inline SVG for the HTML notebook: the
// convergence curve (best objective so far against evaluations) and every trial's score against its
// cost, the best marked.

import Foundation

public struct SearchFigure: Codable, Sendable, Equatable {
    public struct Trial: Codable, Sendable, Equatable {
        public var number: Int
        public var score: Double
        public var objective: Double
        public var cost: Double
        /// Evaluated on the whole dev split (halving's early rungs are not).
        public var full: Bool
        public var best: Bool
    }

    public var title: String
    public var costUnit: String
    public var trials: [Trial]

    public init(_ o: SearchOutcome) {
        title = "search \(o.space.name) on \(o.slice) (\(o.settings.optimizer.rawValue), seed \(o.settings.seed))"
        costUnit = "\(o.settings.cost.rawValue) per query"
        trials = o.trials.map { t in
            Trial(number: t.number, score: t.score, objective: t.objective, cost: o.settings.cost.of(t.cost),
                  full: t.items == o.split.dev.count, best: t.number == o.best.number)
        }
    }

    /// The best objective on the whole dev split after each trial (nil before the first).
    public var convergence: [Double?] {
        var best: Double?
        return trials.map { t in
            if t.full { best = max(best ?? t.objective, t.objective) }
            return best
        }
    }

    typealias F = AblationFigure

    public var svg: String { [convergenceChart, costChart].joined(separator: "\n") }

    /// Best objective so far against evaluations (class `step`), each trial's objective as a dot (`trial`).
    var convergenceChart: String {
        let left = 60.0, width = 420.0, plot = 200.0, top = 20.0
        let values = trials.map(\.objective)
        let lo = min(values.min() ?? 0, 0), hi = max(values.max() ?? 1, lo + 1e-9)
        let px = { (i: Int) in left + (self.trials.count > 1 ? Double(i) / Double(self.trials.count - 1) : 0.5) * width }
        let py = { (v: Double) in top + (1 - (v - lo) / (hi - lo)) * plot }
        var s = "<svg class=\"chart convergence\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(F.n(left + width + 40))\" height=\"\(F.n(plot + 60))\" role=\"img\">"
        s += "<title>\(F.esc(title)): best objective so far against evaluations</title>"
        s += "<line x1=\"\(F.n(left))\" x2=\"\(F.n(left))\" y1=\"\(F.n(top))\" y2=\"\(F.n(top + plot))\" stroke=\"#999\"/>"
        s += "<line x1=\"\(F.n(left))\" x2=\"\(F.n(left + width))\" y1=\"\(F.n(top + plot))\" y2=\"\(F.n(top + plot))\" stroke=\"#999\"/>"
        s += "<text x=\"\(F.n(left + width / 2))\" y=\"\(F.n(top + plot + 30))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#666\">evaluations (1 – \(trials.count))</text>"
        s += "<text x=\"\(F.n(left - 6))\" y=\"\(F.n(top + 4))\" text-anchor=\"end\" font-size=\"10\" fill=\"#666\">\(String(format: "%.3g", hi))</text>"
        s += "<text x=\"\(F.n(left - 6))\" y=\"\(F.n(top + plot))\" text-anchor=\"end\" font-size=\"10\" fill=\"#666\">\(String(format: "%.3g", lo))</text>"
        let curve = convergence.enumerated().compactMap { i, v in v.map { (i, $0) } }
        if !curve.isEmpty {
            var points: [String] = []
            for (k, (i, v)) in curve.enumerated() {
                if k > 0 { points.append("\(F.n(px(i))),\(F.n(py(curve[k - 1].1)))") }
                points.append("\(F.n(px(i))),\(F.n(py(v)))")
            }
            s += "<polyline class=\"step\" fill=\"none\" stroke=\"#c63\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        }
        for (i, t) in trials.enumerated() {
            s += "<circle class=\"trial\" cx=\"\(F.n(px(i)))\" cy=\"\(F.n(py(t.objective)))\" r=\"3\" fill=\"\(t.full ? "#7a9fc4" : "#ccc")\"/>"
        }
        return s + "</svg>"
    }

    /// Score against cost of every trial (class `point`), the best in red.
    var costChart: String {
        let left = 60.0, width = 420.0, plot = 200.0, top = 20.0
        let maxCost = max(trials.map(\.cost).max() ?? 1, 1e-12)
        let px = { (c: Double) in left + c / maxCost * width }
        let py = { (v: Double) in top + (1 - max(0, min(1, v))) * plot }
        var s = "<svg class=\"chart cost\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(F.n(left + width + 40))\" height=\"\(F.n(plot + 60))\" role=\"img\">"
        s += "<title>\(F.esc(title)): dev score against \(F.esc(costUnit)) of every trial</title>"
        s += "<line x1=\"\(F.n(left))\" x2=\"\(F.n(left))\" y1=\"\(F.n(top))\" y2=\"\(F.n(top + plot))\" stroke=\"#999\"/>"
        s += "<line x1=\"\(F.n(left))\" x2=\"\(F.n(left + width))\" y1=\"\(F.n(top + plot))\" y2=\"\(F.n(top + plot))\" stroke=\"#999\"/>"
        s += "<text x=\"\(F.n(left + width / 2))\" y=\"\(F.n(top + plot + 30))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#666\">\(F.esc(costUnit)) (0 – \(F.esc(String(format: "%.4g", maxCost))))</text>"
        for t in trials {
            s += "<circle class=\"point\" cx=\"\(F.n(px(t.cost)))\" cy=\"\(F.n(py(t.score)))\" r=\"\(t.best ? 6 : 4)\" fill=\"\(t.best ? "#c63" : t.full ? "#7a9fc4" : "#ccc")\"/>"
        }
        return s + "</svg>"
    }
}
