// The named things a session defines: models (and, later, architectures and results).

/// What the user has defined so far in a session, by name, in definition order.
public struct Workspace: Sendable {
    public private(set) var models: [ModelSpec] = []
    public private(set) var architectures: [Architecture] = []

    public init() {}

    public func model(_ name: String) -> ModelSpec? { models.first { $0.name == name } }

    /// Adds or replaces a model; returns whether it replaced one.
    @discardableResult
    public mutating func define(_ model: ModelSpec) -> Bool {
        if let i = models.firstIndex(where: { $0.name == model.name }) {
            models[i] = model
            return true
        }
        models.append(model)
        return false
    }

    public func architecture(_ name: String) -> Architecture? { architectures.first { $0.name == name } }

    /// Adds or replaces an architecture; returns whether it replaced one.
    @discardableResult
    public mutating func define(_ a: Architecture) -> Bool {
        if let i = architectures.firstIndex(where: { $0.name == a.name }) {
            architectures[i] = a
            return true
        }
        architectures.append(a)
        return false
    }

    /// The user's own datasets (`dataset NAME = "FILE.jsonl" …`), as loaded.
    public private(set) var datasets: [Dataset] = []

    public func dataset(_ name: String) -> Dataset? { datasets.first { $0.name == name } }

    /// Adds or replaces a dataset; returns whether it replaced one.
    @discardableResult
    public mutating func define(_ d: Dataset) -> Bool {
        if let i = datasets.firstIndex(where: { $0.name == d.name }) {
            datasets[i] = d
            return true
        }
        datasets.append(d)
        return false
    }

    /// Every defined name (for completion and suggestions).
    public var names: [String] { models.map(\.name) + architectures.map(\.name) }
}
