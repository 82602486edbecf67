// The charts of an ablation study as data (kept with its cell) and as inline SVG for the HTML
// notebook: scores with their intervals, score against cost with the frontier, and per layer the
// oracle against what the architecture finally chose.

import Foundation

/// What the charts of one study show.
public struct AblationFigure: Codable, Sendable, Equatable {
    public struct Variant: Codable, Sendable, Equatable {
        public var name: String
        public var score: Double
        public var low: Double
        public var high: Double
        public var cost: Double
        public var pareto: Bool
    }

    public struct Layer: Codable, Sendable, Equatable {
        public var label: String
        public var oracle: Double
        public var passAt1: Double
    }

    public var title: String
    /// The top of the score axis: 1 (a share) or 10 (MT-Bench ratings).
    public var top: Double
    public var costUnit: String
    public var variants: [Variant]
    /// The full architecture's diagnosis, when the scorer has gold answers.
    public var layers: [Layer]?
    public var final: Double?

    public init(_ study: AblationStudy, diagnosis: Diagnosis?) {
        title = "ablation of \(study.plan.base.name) on \(study.slice)"
        top = study.scorer.isRating ? 10 : 1
        costUnit = study.costInDollars ? "dollars per query" : "tokens per query"
        variants = study.rows.compactMap { r in
            r.result.summary.map { Variant(name: r.variant.name, score: $0.score, low: $0.low, high: $0.high,
                                           cost: study.costInDollars ? r.dollars : r.tokens, pareto: r.pareto) }
        }
        layers = diagnosis.map { d in d.layers.map { Layer(label: "\($0.layer) \($0.technique?.shortName ?? "?")", oracle: $0.oracle, passAt1: $0.passAt1) } }
        final = diagnosis?.final
    }

    // MARK: SVG

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    func label(_ x: Double) -> String { top == 1 ? String(format: "%.0f%%", x * 100) : String(format: "%.1f", x) }

    /// Every chart, each an `<svg>` with a title.
    public var svg: String { [scoresChart, costChart, oracleChart].compactMap { $0 }.joined(separator: "\n") }

    /// Horizontal bars of the scores with 95% interval whiskers (class `bar` and `whisker`).
    var scoresChart: String {
        let rowHeight = 26.0, left = 150.0, width = 420.0
        let height = Double(variants.count) * rowHeight + 40
        var s = "<svg class=\"chart scores\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(left + width + 70))\" height=\"\(Self.n(height))\" role=\"img\">"
        s += "<title>\(Self.esc(title)): scores with 95% intervals</title>"
        for (i, v) in variants.enumerated() {
            let y = 10 + Double(i) * rowHeight
            let x = { (value: Double) in left + max(0, min(1, value / top)) * width }
            s += "<text x=\"\(Self.n(left - 8))\" y=\"\(Self.n(y + 15))\" text-anchor=\"end\" font-size=\"12\">\(Self.esc(v.name))</text>"
            s += "<rect class=\"bar\" x=\"\(Self.n(left))\" y=\"\(Self.n(y + 4))\" width=\"\(Self.n(x(v.score) - left))\" height=\"14\" fill=\"#7a9fc4\"/>"
            s += "<line class=\"whisker\" x1=\"\(Self.n(x(v.low)))\" x2=\"\(Self.n(x(v.high)))\" y1=\"\(Self.n(y + 11))\" y2=\"\(Self.n(y + 11))\" stroke=\"#234\" stroke-width=\"1.5\"/>"
            s += "<text x=\"\(Self.n(left + width + 6))\" y=\"\(Self.n(y + 15))\" font-size=\"12\">\(label(v.score))</text>"
        }
        s += axis(y: height - 24, left: left, width: width)
        return s + "</svg>"
    }

    func axis(y: Double, left: Double, width: Double) -> String {
        var s = "<line x1=\"\(Self.n(left))\" x2=\"\(Self.n(left + width))\" y1=\"\(Self.n(y))\" y2=\"\(Self.n(y))\" stroke=\"#999\"/>"
        for k in 0...4 {
            let x = left + Double(k) / 4 * width
            s += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y + 14))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#666\">\(label(Double(k) / 4 * top))</text>"
        }
        return s
    }

    /// Score against cost: one point per variant (class `point`), the frontier joined by a line.
    var costChart: String {
        let left = 60.0, width = 420.0, plot = 220.0, topPad = 20.0
        let maxCost = max(variants.map(\.cost).max() ?? 1, 1e-12)
        let px = { (c: Double) in left + c / maxCost * width }
        let py = { (v: Double) in topPad + (1 - max(0, min(1, v / self.top))) * plot }
        var s = "<svg class=\"chart cost\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(left + width + 120))\" height=\"\(Self.n(plot + 60))\" role=\"img\">"
        s += "<title>\(Self.esc(title)): score against \(costUnit); the frontier joined</title>"
        s += "<line x1=\"\(Self.n(left))\" x2=\"\(Self.n(left))\" y1=\"\(Self.n(topPad))\" y2=\"\(Self.n(topPad + plot))\" stroke=\"#999\"/>"
        s += "<line x1=\"\(Self.n(left))\" x2=\"\(Self.n(left + width))\" y1=\"\(Self.n(topPad + plot))\" y2=\"\(Self.n(topPad + plot))\" stroke=\"#999\"/>"
        s += "<text x=\"\(Self.n(left + width / 2))\" y=\"\(Self.n(topPad + plot + 30))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#666\">\(Self.esc(costUnit)) (0 – \(Self.esc(String(format: "%.4g", maxCost))))</text>"
        let frontier = variants.filter(\.pareto).sorted { $0.cost < $1.cost }
        if frontier.count > 1 {
            s += "<polyline class=\"frontier\" fill=\"none\" stroke=\"#c63\" stroke-width=\"1.5\" points=\""
                + frontier.map { "\(Self.n(px($0.cost))),\(Self.n(py($0.score)))" }.joined(separator: " ") + "\"/>"
        }
        for v in variants {
            s += "<circle class=\"point\" cx=\"\(Self.n(px(v.cost)))\" cy=\"\(Self.n(py(v.score)))\" r=\"5\" fill=\"\(v.pareto ? "#c63" : "#7a9fc4")\"/>"
            s += "<text x=\"\(Self.n(px(v.cost) + 8))\" y=\"\(Self.n(py(v.score) + 4))\" font-size=\"11\">\(Self.esc(v.name))</text>"
        }
        return s + "</svg>"
    }

    /// Per layer the oracle and pass@1 (class `oracle`, `pass`), and the final answer's score.
    var oracleChart: String? {
        guard let layers, !layers.isEmpty else { return nil }
        let rowHeight = 30.0, left = 150.0, width = 420.0
        let height = Double(layers.count + 1) * rowHeight + 40
        var s = "<svg class=\"chart oracle\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(left + width + 70))\" height=\"\(Self.n(height))\" role=\"img\">"
        s += "<title>\(Self.esc(title)): per layer, some candidate correct (oracle) against the share correct; then the final answer</title>"
        for (i, l) in layers.enumerated() {
            let y = 10 + Double(i) * rowHeight
            s += "<text x=\"\(Self.n(left - 8))\" y=\"\(Self.n(y + 15))\" text-anchor=\"end\" font-size=\"12\">layer \(Self.esc(l.label))</text>"
            s += "<rect class=\"oracle\" x=\"\(Self.n(left))\" y=\"\(Self.n(y + 2))\" width=\"\(Self.n(l.oracle * width))\" height=\"11\" fill=\"#9c6\"/>"
            s += "<rect class=\"pass\" x=\"\(Self.n(left))\" y=\"\(Self.n(y + 14))\" width=\"\(Self.n(l.passAt1 * width))\" height=\"8\" fill=\"#7a9fc4\"/>"
            s += "<text x=\"\(Self.n(left + width + 6))\" y=\"\(Self.n(y + 13))\" font-size=\"11\">\(label(l.oracle))</text>"
        }
        let y = 10 + Double(layers.count) * rowHeight
        s += "<text x=\"\(Self.n(left - 8))\" y=\"\(Self.n(y + 15))\" text-anchor=\"end\" font-size=\"12\">final answer</text>"
        s += "<rect class=\"final\" x=\"\(Self.n(left))\" y=\"\(Self.n(y + 4))\" width=\"\(Self.n((final ?? 0) * width))\" height=\"14\" fill=\"#c63\"/>"
        s += "<text x=\"\(Self.n(left + width + 6))\" y=\"\(Self.n(y + 15))\" font-size=\"11\">\(label(final ?? 0))</text>"
        s += axis(y: height - 24, left: left, width: width)
        return s + "</svg>"
    }
}
