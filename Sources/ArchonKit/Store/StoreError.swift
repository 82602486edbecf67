// Failures of the session store that a user can act on.

/// Why the session database could not be used.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case notADatabase(path: String)
    case newerSchema(path: String)
    case cannotOpen(path: String, reason: String)
    case noSuchSession(Int64)
    case noSuchCell(session: Int64, cell: Int)

    public var description: String {
        switch self {
        case let .notADatabase(path):
            return "\(path) is not an archon session database (not SQLite) — pass another file with --db or ARCHON_DB; it was left untouched"
        case let .newerSchema(path):
            return "\(path) was written by a newer archon (its schema has migrations this version does not know) — use a newer archon or another --db; it was left untouched"
        case let .cannotOpen(path, reason):
            return "cannot open session database \(path): \(reason)"
        case let .noSuchSession(id):
            return "no session \(id) — `archon sessions` lists them"
        case let .noSuchCell(session, cell):
            return "session \(session) has no cell \(cell) — `archon show \(session)` lists its cells"
        }
    }
}
