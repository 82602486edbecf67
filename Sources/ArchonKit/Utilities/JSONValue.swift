// A JSON value as a Sendable, comparable Swift value: what an imported file said, kept as it was.

import Foundation

/// Any JSON value; integers and other numbers are told apart so a file round-trips as written.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// From what `JSONSerialization` returns.
    public init(any value: Any) {
        switch value {
        case let n as NSNumber:
            let type = String(cString: n.objCType)
            if type == "c" || type == "B" { self = .bool(n.boolValue) }
            else if ["q", "l", "i", "s", "Q", "L", "I", "S"].contains(type) { self = .int(n.intValue) }
            else { self = .double(n.doubleValue) }
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(JSONValue.init(any:)))
        case let o as [String: Any]: self = .object(o.mapValues(JSONValue.init(any:)))
        default: self = .null
        }
    }

    /// For `JSONSerialization`.
    public var any: Any {
        switch self {
        case .null: NSNull()
        case let .bool(b): b
        case let .int(i): i
        case let .double(d): d
        case let .string(s): s
        case let .array(a): a.map(\.any)
        case let .object(o): o.mapValues(\.any)
        }
    }
}
