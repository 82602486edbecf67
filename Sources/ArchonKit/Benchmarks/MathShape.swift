// The shape of a normal-form math answer — intervals and their unions, tuples, sets, lists of
// solutions, matrices, single expressions — compared part by part.

import Foundation

/// A math answer read into its parts.
indirect enum MathShape {
    /// One expression: its normal form, and its tree when it is arithmetic.
    case expression(String, LatexExpression?)
    /// Parenthesised or bracketed and comma-separated: a tuple or an interval. Order and brackets matter.
    case sequence(open: Character, close: Character, [MathShape])
    /// `\{…\}`, a bare list of solutions, or a union of intervals: order does not matter, repeats do.
    case collection(kind: String, [MathShape])
    /// A matrix's rows of entries.
    case matrix([[MathShape]])

    static func read(_ normal: String) -> MathShape {
        let union = topLevel(normal, separators: ["\\cup"])
        if union.count > 1 { return .collection(kind: "union", union.map(read)) }
        if let m = normal.wholeMatch(of: #/\\begin\{([pbvB]?matrix)\}(.*)\\end\{\1\}/#) {
            let rows = String(m.2).components(separatedBy: "\\\\").filter { !$0.isEmpty }
            return .matrix(rows.map { $0.split(separator: "&", omittingEmptySubsequences: false).map { read(String($0)) } })
        }
        if normal.hasPrefix("\\{"), normal.hasSuffix("\\}"), closing(normal, from: normal.startIndex) == normal.index(normal.endIndex, offsetBy: -2) {
            let inner = String(normal.dropFirst(2).dropLast(2))
            return .collection(kind: "set", inner.isEmpty ? [] : topLevel(inner, separators: [","]).map(read))
        }
        if let first = normal.first, let last = normal.last, "([".contains(first), ")]".contains(last),
           closing(normal, from: normal.startIndex) == normal.index(before: normal.endIndex) {
            let parts = topLevel(String(normal.dropFirst().dropLast()), separators: [","])
            if parts.count > 1 { return .sequence(open: first, close: last, parts.map(read)) }
        }
        let list = topLevel(normal, separators: [","]).flatMap(bothSigns)
        if list.count > 1 { return .collection(kind: "list", list.map(read)) }
        return .expression(normal, try? LatexExpression.parse(normal))
    }

    /// `\pm` read as both signs: `\pm2` is 2 and −2, `1\pm\sqrt{2}` is 1+√2 and 1−√2.
    static func bothSigns(_ part: String) -> [String] {
        guard part.contains("\\pm") else { return [part] }
        if part.hasPrefix("\\pm") {
            let rest = String(part.dropFirst(3))
            return [rest, "-" + rest]
        }
        return [part.replacingOccurrences(of: "\\pm", with: "+"), part.replacingOccurrences(of: "\\pm", with: "-")]
    }

    func matches(_ other: MathShape) -> Bool {
        switch (self, other) {
        case let (.expression(a, ea), .expression(b, eb)):
            if a == b { return true }
            guard let ea, let eb else { return false }
            return MathShape.sameFunction(ea, eb)
        case let (.sequence(o1, c1, xs), .sequence(o2, c2, ys)):
            return o1 == o2 && c1 == c2 && xs.count == ys.count && zip(xs, ys).allSatisfy { $0.matches($1) }
        case let (.collection(k1, xs), .collection(k2, ys)):
            guard k1 == k2, xs.count == ys.count else { return false }
            // Pair every element with a distinct equal one.
            var left = ys
            for x in xs {
                guard let i = left.firstIndex(where: { x.matches($0) }) else { return false }
                left.remove(at: i)
            }
            return true
        case let (.matrix(r1), .matrix(r2)):
            return r1.count == r2.count && zip(r1, r2).allSatisfy { a, b in a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) } }
        default:
            return false
        }
    }

    /// One spelling for every shape that `matches` calls equal.
    var canonical: String {
        switch self {
        case let .expression(text, tree):
            guard let tree, let key = MathShape.key(tree) else { return text }
            return key
        case let .sequence(open, close, parts):
            return String(open) + parts.map(\.canonical).joined(separator: ",") + String(close)
        case let .collection(kind, parts):
            return kind + "{" + parts.map(\.canonical).sorted().joined(separator: ",") + "}"
        case let .matrix(rows):
            return "matrix[" + rows.map { $0.map(\.canonical).joined(separator: "&") }.joined(separator: "\\\\") + "]"
        }
    }

    // MARK: Values

    /// Points at which variables are tried: irrational-looking, positive, distinct per variable.
    static let points: [Double] = [0.7318, 1.3137, 2.1711, 0.4123]

    static func assignments(_ variables: Set<String>) -> [[String: Double]] {
        let names = variables.sorted()
        return points.indices.map { k in
            Dictionary(uniqueKeysWithValues: names.enumerated().map { j, name in
                (name, points[(k + j) % points.count] + Double(j) * 0.1931)
            })
        }
    }

    /// Equal values at every point where both are defined (and at least one such point), with the same variables.
    static func sameFunction(_ a: LatexExpression, _ b: LatexExpression) -> Bool {
        let va = a.variables, vb = b.variables
        guard va == vb else { return false }
        var compared = 0
        for point in va.isEmpty ? [[:]] : assignments(va) {
            let x = a.value(point), y = b.value(point)
            if x.isNaN || y.isNaN { continue }
            guard close(x, y) else { return false }
            compared += 1
        }
        return compared > 0
    }

    static func close(_ x: Double, _ y: Double) -> Bool {
        if x.isInfinite || y.isInfinite { return x == y }
        return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    }

    /// The values at the trial points, rounded so that equal values get equal text.
    static func key(_ e: LatexExpression) -> String? {
        let vars = e.variables
        let values = (vars.isEmpty ? [[:]] : assignments(vars)).map { e.value($0) }
        guard values.contains(where: { !$0.isNaN }) else { return nil }
        let spelled = values.map { v -> String in
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
            return String(format: "%.9g", v)
        }
        return vars.isEmpty ? spelled[0] : vars.sorted().joined(separator: ",") + "↦" + spelled.joined(separator: ",")
    }

    // MARK: Splitting

    /// `text` split at `separators` outside of any brackets, braces or parentheses.
    static func topLevel(_ text: String, separators: [String]) -> [String] {
        var parts: [String] = []
        var depth = 0
        var current = ""
        var i = text.startIndex
        outer: while i < text.endIndex {
            let c = text[i]
            if c == "\\", text[i...].hasPrefix("\\{") || text[i...].hasPrefix("\\}") {
                depth += text[i...].hasPrefix("\\{") ? 1 : -1
                current += String(text[i...].prefix(2))
                i = text.index(i, offsetBy: 2)
                continue
            }
            if "([{".contains(c) { depth += 1 }
            if ")]}".contains(c) { depth -= 1 }
            if depth == 0 {
                for sep in separators where text[i...].hasPrefix(sep) {
                    parts.append(current)
                    current = ""
                    i = text.index(i, offsetBy: sep.count)
                    continue outer
                }
            }
            current.append(c)
            i = text.index(after: i)
        }
        parts.append(current)
        return parts
    }

    /// Where the bracket opened at `start` closes (any of `)]}` closes any of `([{`, as intervals do).
    static func closing(_ text: String, from start: String.Index) -> String.Index? {
        var depth = 0
        var i = start
        while i < text.endIndex {
            if text[i...].hasPrefix("\\{") || text[i...].hasPrefix("\\}") {
                depth += text[i...].hasPrefix("\\{") ? 1 : -1
                if depth == 0 { return i }
                i = text.index(i, offsetBy: 2)
                continue
            }
            let c = text[i]
            if "([{".contains(c) { depth += 1 }
            if ")]}".contains(c) {
                depth -= 1
                if depth == 0 { return i }
            }
            i = text.index(after: i)
        }
        return nil
    }
}
