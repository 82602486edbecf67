// The named things a session defines: models, architectures and the user's own datasets.

/// What the user has defined so far in a session, by name, in definition order.
public struct Workspace: Sendable {
    public private(set) var models: [ModelSpec] = []
    public private(set) var architectures: [Architecture] = []
    /// The user's own datasets (`dataset NAME = "FILE.jsonl" …`), as loaded.
    public private(set) var datasets: [Dataset] = []
    /// Published systems' answers (`answers NAME = "FILE"`), benchable by name.
    public private(set) var recorded: [RecordedAnswers] = []
    /// Design spaces to search (`space NAME = …`).
    public private(set) var spaces: [DesignSpace] = []

    public init() {}

    public func model(_ name: String) -> ModelSpec? { models.first { $0.name == name } }
    public func architecture(_ name: String) -> Architecture? { architectures.first { $0.name == name } }
    public func dataset(_ name: String) -> Dataset? { datasets.first { $0.name == name } }
    public func recordedAnswers(_ name: String) -> RecordedAnswers? { recorded.first { $0.name == name } }
    public func space(_ name: String) -> DesignSpace? { spaces.first { $0.name == name } }

    /// Adds or replaces a model; returns whether it replaced one.
    @discardableResult
    public mutating func define(_ model: ModelSpec) -> Bool { Self.upsert(model, into: &models, name: \.name) }

    /// Adds or replaces an architecture; returns whether it replaced one.
    @discardableResult
    public mutating func define(_ a: Architecture) -> Bool { Self.upsert(a, into: &architectures, name: \.name) }

    /// Adds or replaces a dataset; returns whether it replaced one.
    @discardableResult
    public mutating func define(_ d: Dataset) -> Bool { Self.upsert(d, into: &datasets, name: \.name) }

    /// Adds or replaces recorded answers; returns whether it replaced some.
    @discardableResult
    public mutating func define(_ r: RecordedAnswers) -> Bool { Self.upsert(r, into: &recorded, name: \.name) }

    /// Adds or replaces a design space; returns whether it replaced one.
    @discardableResult
    public mutating func define(_ s: DesignSpace) -> Bool { Self.upsert(s, into: &spaces, name: \.name) }

    /// Replaces the element with the same name in place, or appends; returns whether it replaced one.
    private static func upsert<T>(_ element: T, into list: inout [T], name: KeyPath<T, String>) -> Bool {
        if let i = list.firstIndex(where: { $0[keyPath: name] == element[keyPath: name] }) {
            list[i] = element
            return true
        }
        list.append(element)
        return false
    }

    /// Every defined name (for completion and suggestions).
    public var names: [String] { models.map(\.name) + architectures.map(\.name) + recorded.map(\.name) }
}
