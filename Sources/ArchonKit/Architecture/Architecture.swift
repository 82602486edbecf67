// An architecture: layers of technique instances, run one layer after another.

/// A layer: technique instances that all read the same candidates and run at once.
public struct Layer: Sendable, Equatable {
    public var components: [Component]
    public init(_ components: [Component]) { self.components = components }
    /// The layer's technique (construction rules make it one per layer).
    public var kind: TechniqueKind? { components.first?.kind }
}

/// A named stack of layers. The first layer generates candidates; each later layer transforms them.
public struct Architecture: Sendable, Equatable {
    public var name: String
    public var layers: [Layer]
    /// Top-level keys of an imported reference file other than name and layers, kept for export.
    public var topLevel: [String: JSONValue]?
    /// The rules it was checked against (`load archon … rules=reference` relaxes them).
    public var rules: RuleSet = .strict

    public init(name: String, layers: [Layer]) {
        self.name = name
        self.layers = layers
    }

    /// The architecture as one `arch` line.
    public var notation: String { "arch \(name) = " + layersNotation }

    /// The layers as written after `=`: `gen(s, samples=4) | fuse(s)`.
    public var layersNotation: String {
        layers.map { $0.components.map { $0.notation() }.joined(separator: " + ") }.joined(separator: " | ")
    }

    /// Whether two architectures have the same layers (model display names aside).
    public func sameLayers(as other: Architecture) -> Bool {
        layers.count == other.layers.count && zip(layers, other.layers).allSatisfy { a, b in
            a.components.count == b.components.count
                && zip(a.components, b.components).allSatisfy { $0.sameTechnique(as: $1) }
        }
    }

    /// Distinct models the architecture calls.
    public var models: [ModelSpec] {
        var seen: [ModelSpec] = []
        for l in layers { for c in l.components { if let m = c.model, !seen.contains(m) { seen.append(m) } } }
        return seen
    }
}
