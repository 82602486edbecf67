// Which variants an ablation study runs: the full architecture, and each change — a layer or an
// instance removed, a layer replaced, one option varied — as a named architecture, with the variants
// the construction rules forbid listed apart with the rule.

import Foundation

/// One change to an architecture, as `ablate` names it.
public enum AblationChange: Sendable, Equatable {
    /// `drop 2` (a layer by number), `drop rank` (the layer of a technique), `drop gen2` (an instance).
    case drop(String)
    /// `replace 3 with fuse(t)`: layer 3 becomes `layer`.
    case replace(layer: Int, with: Layer)
    /// `vary samples=1,2,4`: one variant per value, set on every component the option is for.
    case vary(key: String, values: [String])
}

/// A variant of the study: its name (`a~rank`), what changed, and the architecture.
public struct AblationVariant: Sendable {
    public var name: String
    public var change: String
    public var architecture: Architecture
    public var isFull: Bool { change == "full" }
}

/// A variant the study does not run, and why.
public struct SkippedVariant: Sendable, Equatable {
    public var name: String
    public var change: String
    public var reason: String

    public init(name: String, change: String, reason: String) {
        self.name = name
        self.change = change
        self.reason = reason
    }
}

/// The variants of one study, the full architecture first.
public struct AblationPlan: Sendable {
    public var base: Architecture
    public var variants: [AblationVariant]
    public var skipped: [SkippedVariant]

    /// The full architecture and `changes`, or — with no change given — one variant per removable
    /// layer and per instance of each multi-instance layer.
    public init(_ base: Architecture, changes: [AblationChange]) throws(ScriptError) {
        self.base = base
        variants = [AblationVariant(name: base.name, change: "full", architecture: base)]
        skipped = []
        var candidates: [(name: String, change: String, arch: Architecture)] = []
        if changes.isEmpty {
            for l in base.layers.indices {
                candidates.append(Self.removingLayer(l, of: base))
                if base.layers[l].components.count > 1 {
                    for i in base.layers[l].components.indices { candidates.append(Self.removingInstance(i, layer: l, of: base)) }
                }
            }
        }
        for change in changes {
            switch change {
            case let .drop(what): candidates.append(try Self.dropping(what, of: base))
            case let .replace(n, layer):
                guard (1...base.layers.count).contains(n) else {
                    throw ScriptError("replace \(n): \(base.name) has layers 1–\(base.layers.count)")
                }
                var a = base
                a.layers[n - 1] = layer
                let kinds = Set(layer.components.map(\.kind.shortName)).sorted().joined(separator: "+")
                candidates.append(("\(base.name)~\(n).\(kinds)", "layer \(n) → \(layer.components.map { $0.notation() }.joined(separator: " + "))", a))
            case let .vary(key, values):
                candidates += try Self.varying(key, values, of: base)
            }
        }
        var seen: Set<String> = [base.name]
        for c in candidates where seen.insert(c.name).inserted {
            var arch = c.arch
            arch.name = c.name
            if arch.layers.isEmpty {
                skipped.append(SkippedVariant(name: c.name, change: c.change, reason: "no layer would be left"))
            } else if arch.sameLayers(as: base) {
                skipped.append(SkippedVariant(name: c.name, change: c.change, reason: "the same as the full architecture"))
            } else if let rule = ConstructionRules.violations(arch).first {
                skipped.append(SkippedVariant(name: c.name, change: c.change, reason: rule))
            } else {
                variants.append(AblationVariant(name: c.name, change: c.change, architecture: arch))
            }
        }
    }

    /// `base~rank`, or `base~rank@3` when the technique has several layers.
    static func layerName(_ l: Int, of base: Architecture) -> String {
        let kind = base.layers[l].kind
        let same = base.layers.filter { $0.kind == kind }.count
        return "\(base.name)~\(kind?.shortName ?? "layer")" + (same > 1 ? "@\(l + 1)" : "")
    }

    static func removingLayer(_ l: Int, of base: Architecture) -> (name: String, change: String, arch: Architecture) {
        var a = base
        a.layers.remove(at: l)
        return (layerName(l, of: base), "without layer \(l + 1) (\(base.layers[l].kind?.title ?? "?"))", a)
    }

    /// `base~gen2`: the second instance of a multi-instance layer removed (`@L` when ambiguous).
    static func removingInstance(_ i: Int, layer l: Int, of base: Architecture) -> (name: String, change: String, arch: Architecture) {
        var a = base
        let removed = a.layers[l].components.remove(at: i)
        let kind = removed.kind
        let multi = base.layers.filter { $0.kind == kind && $0.components.count > 1 }.count
        return ("\(base.name)~\(kind.shortName)\(i + 1)" + (multi > 1 ? "@\(l + 1)" : ""),
                "without \(removed.notation()) (instance \(i + 1) of layer \(l + 1))", a)
    }

    static func dropping(_ what: String, of base: Architecture) throws(ScriptError) -> (name: String, change: String, arch: Architecture) {
        if let n = Int(what) {
            guard (1...base.layers.count).contains(n) else { throw ScriptError("drop \(n): \(base.name) has layers 1–\(base.layers.count)") }
            return removingLayer(n - 1, of: base)
        }
        // An instance: gen2, or gen2@1 when several layers of gen have several instances.
        if let m = what.wholeMatch(of: /([a-z_]+)(\d+)(?:@(\d+))?/), let kind = TechniqueKind.named(String(m.1)), let i = Int(m.2) {
            let layers = base.layers.indices.filter { base.layers[$0].kind == kind && base.layers[$0].components.count > 1 }
            let l: Int
            if let at = m.3.flatMap({ Int($0) }) {
                guard layers.contains(at - 1) else { throw ScriptError("drop \(what): layer \(at) of \(base.name) is not a \(kind.shortName) layer with several instances") }
                l = at - 1
            } else {
                guard let only = layers.first else { throw ScriptError("drop \(what): \(base.name) has no \(kind.shortName) layer with several instances — drop a layer by number or technique") }
                guard layers.count == 1 else { throw ScriptError("drop \(what): several \(kind.shortName) layers have instances — write \(what)@\(layers[0] + 1) or \(what)@\(layers[1] + 1)") }
                l = only
            }
            guard (1...base.layers[l].components.count).contains(i) else {
                throw ScriptError("drop \(what): layer \(l + 1) has \(kind.shortName) instances 1–\(base.layers[l].components.count)")
            }
            return removingInstance(i - 1, layer: l, of: base)
        }
        guard let kind = TechniqueKind.named(what) else {
            throw ScriptError("drop \(what): not a layer number, technique or instance — e.g. drop 2, drop rank, drop gen2"
                              + (Suggestion.closest(to: what, in: TechniqueKind.allNames).map { " (did you mean '\($0)'?)" } ?? ""))
        }
        let layers = base.layers.indices.filter { base.layers[$0].kind == kind }
        guard let first = layers.first else {
            throw ScriptError("drop \(what): \(base.name) has no \(kind.shortName) layer (its layers: \(base.layers.map { $0.kind?.shortName ?? "?" }.joined(separator: " | ")))")
        }
        guard layers.count == 1 else {
            throw ScriptError("drop \(what): \(base.name) has \(kind.shortName) in layers \(layers.map { String($0 + 1) }.joined(separator: " and ")) — drop one by number")
        }
        return removingLayer(first, of: base)
    }

    /// The techniques each option varies: the generator's pool for sampling options, the technique
    /// an option belongs to otherwise.
    static let varyTargets: [String: Set<TechniqueKind>] = [
        "samples": [.generator], "temperature": [.generator], "max_tokens": [.generator],
        "top_k": [.ranker, .unitTestEvaluator, .bestOfN], "first_k": [.verifier, .unitTestEvaluator],
        "use_critiques": [.ranker, .fuser], "length_control": [.fuser], "unit_test_cap": [.unitTestGenerator],
        "per_candidate": [.critic], "prompts": Set(TechniqueKind.allCases), "remove_unit_tests": Set(TechniqueKind.allCases),
    ]

    static func varying(_ key: String, _ values: [String], of base: Architecture) throws(ScriptError) -> [(name: String, change: String, arch: Architecture)] {
        guard let kinds = varyTargets[key] else {
            throw ScriptError("vary \(key): not a technique option" + (Suggestion.closest(to: key, in: varyTargets.keys.sorted()).map { " — did you mean '\($0)'?" }
                ?? " — options: \(varyTargets.keys.sorted().joined(separator: ", "))"))
        }
        guard base.layers.contains(where: { $0.components.contains { kinds.contains($0.kind) } }) else {
            throw ScriptError("vary \(key): \(base.name) has no \(kinds.map(\.shortName).sorted().joined(separator: "/")) to vary it on")
        }
        var out: [(name: String, change: String, arch: Architecture)] = []
        for value in values {
            var a = base
            for l in a.layers.indices {
                for c in a.layers[l].components.indices where kinds.contains(a.layers[l].components[c].kind) {
                    do { try a.layers[l].components[c].set(key, value) } catch {
                        // An option a technique refuses (per_candidate off a critic) leaves it as it is; a bad value is an error.
                        if case .badValue(_, _, let expected) = error, !expected.hasPrefix("a critic"), !expected.hasPrefix("a technique of") {
                            throw ScriptError("vary \(key)=\(value): \(error.description)")
                        }
                    }
                }
            }
            // A switch is named by its state (a~length_control, a~no_use_critiques), other values by value.
            let suffix = switch value.lowercased() {
            case "true", "on", "yes": key
            case "false", "off", "no": "no_" + key
            default: key + value
            }
            out.append(("\(base.name)~\(suffix)", "\(key)=\(value)", a))
        }
        return out
    }
}
