// A part of a dataset: `math500[0:20]`, `mt_bench[category=math]`, `arena_hard[sample=50,seed=1]`.

/// Which items of a dataset to use.
public struct Slice: Sendable, Equatable, CustomStringConvertible {
    public var dataset: String
    public var range: Range<Int>?
    public var category: String?
    public var sample: Int?
    public var seed: UInt64 = 0

    public init(dataset: String, range: Range<Int>? = nil, category: String? = nil, sample: Int? = nil, seed: UInt64 = 0) {
        self.dataset = dataset
        self.range = range
        self.category = category
        self.sample = sample
        self.seed = seed
    }

    public var description: String {
        var parts: [String] = []
        if let r = range { parts.append("\(r.lowerBound):\(r.upperBound)") }
        if let c = category { parts.append("category=\(c)") }
        if let s = sample { parts.append("sample=\(s)"); parts.append("seed=\(seed)") }
        return parts.isEmpty ? dataset : "\(dataset)[\(parts.joined(separator: ","))]"
    }

    /// Parses the text of a slice (one word, or the tokens of `name[…]` joined).
    public static func parse(_ text: String) throws(ScriptError) -> Slice {
        guard let open = text.firstIndex(of: "[") else { return Slice(dataset: text) }
        guard text.hasSuffix("]") else { throw ScriptError("slice '\(text)' is missing its closing ] — e.g. math500[0:20]") }
        var s = Slice(dataset: String(text[..<open]))
        let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.contains(where: \.isEmpty) {
            throw ScriptError("slice '\(Formatting.snippet(text, 60))' has an empty part — write e.g. \(s.dataset)[0:20] or \(s.dataset)[category=algebra,sample=10]")
        }
        var given: Set<String> = []
        for part in parts {
            let what = part.firstIndex(of: "=").map { String(part[..<$0]) } ?? "range"
            guard given.insert(what).inserted else {
                throw ScriptError("slice '\(Formatting.snippet(text, 60))' gives \(what == "range" ? "two ranges" : "\(what)= twice") — keep one")
            }
            if let eq = part.firstIndex(of: "=") {
                let key = String(part[..<eq]), value = String(part[part.index(after: eq)...])
                switch key {
                case "category": s.category = value
                case "sample":
                    guard let n = Int(value), n >= 1 else { throw ScriptError("sample=\(value) is not valid — sample takes a whole number ≥ 1") }
                    s.sample = n
                case "seed":
                    guard let n = UInt64(value) else { throw ScriptError("seed=\(value) is not valid — seed takes a whole number ≥ 0") }
                    s.seed = n
                default:
                    throw ScriptError("unknown slice key '\(key)'" + Suggestion.hint(for: key, in: ["category", "sample", "seed"]))
                }
            } else {
                let bounds = part.split(separator: ":", omittingEmptySubsequences: false)
                guard bounds.count == 2, let lo = bounds[0].isEmpty ? 0 : Int(bounds[0]),
                      let hi = bounds[1].isEmpty ? Int.max : Int(bounds[1]), lo >= 0, hi > lo else {
                    throw ScriptError("'\(part)' is not a range — write START:END, e.g. math500[0:20]")
                }
                s.range = lo..<hi
            }
        }
        return s
    }

    /// The selected items, in dataset order: category filter, then range, then a seeded sample.
    public func apply(_ items: [BenchmarkItem]) throws(ScriptError) -> [BenchmarkItem] {
        var chosen = items
        if let c = category {
            chosen = chosen.filter { $0.category == c }
            if chosen.isEmpty {
                let known = Array(Set(items.map(\.category))).sorted()
                throw ScriptError("no items in \(dataset) with category '\(c)'" + (Suggestion.closest(to: c, in: known).map { " — did you mean '\($0)'?" }
                    ?? " — categories: \(known.prefix(12).joined(separator: ", "))"))
            }
        }
        if let r = range { chosen = Array(chosen[min(r.lowerBound, chosen.count)..<min(r.upperBound, chosen.count)]) }
        if let n = sample, n < chosen.count {
            var rng = SeededGenerator(seed: seed)
            let picked = Set(Array(chosen.indices).shuffled(using: &rng).prefix(n))
            chosen = chosen.indices.filter { picked.contains($0) }.map { chosen[$0] }
        }
        return chosen
    }
}

/// SplitMix64: the same seed gives the same sample on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
