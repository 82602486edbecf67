// Requests and responses of a chat model, independent of any provider's wire format.

import Foundation

/// One message of a conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ s: String) -> ChatMessage { .init(role: "system", content: s) }
    public static func user(_ s: String) -> ChatMessage { .init(role: "user", content: s) }
    public static func assistant(_ s: String) -> ChatMessage { .init(role: "assistant", content: s) }
}

/// What is sent to a model: the messages, generation parameters and which sample this is.
public struct ChatRequest: Sendable, Hashable, Codable {
    public var messages: [ChatMessage]
    public var parameters: GenerationParameters
    /// Index of this sample among several drawn for the same prompt (part of the cache key).
    public var sampleIndex: Int
    /// Place among identical instances of one layer (part of the cache key when above 0).
    public var instance: Int = 0

    public init(messages: [ChatMessage], parameters: GenerationParameters = .init(), sampleIndex: Int = 0) {
        self.messages = messages
        self.parameters = parameters
        self.sampleIndex = sampleIndex
    }
}

/// What came back from one call.
public struct ChatResponse: Sendable, Hashable, Codable {
    public var content: String
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var finishReason: String?
    /// The response body as received (for streams, the reassembled final message).
    public var raw: String

    public init(content: String, promptTokens: Int? = nil, completionTokens: Int? = nil,
                finishReason: String? = nil, raw: String = "") {
        self.content = content
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.finishReason = finishReason
        self.raw = raw
    }
}

/// Why a call failed, in words a user can act on.
public enum ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingKey(model: String, variable: String)
    case missingBaseURL(model: String)
    case http(status: Int, body: String, retryAfter: Double? = nil)
    case badResponse(String)
    case truncatedStream(String)
    case transport(String)
    case timeout(Double)
    case cancelled
    case tooLarge(Int)
    case localServer(String)
    case unsupported(String)
    case notRecorded(String)
    case replayedFailure(String)

    public var description: String {
        switch self {
        case let .missingKey(model, variable):
            return "model '\(model)' needs an API key — set the environment variable \(variable)"
        case let .missingBaseURL(model):
            return "model '\(model)' has no endpoint — give base_url=http://HOST:PORT/v1"
        case let .http(status, body, _):
            return "HTTP \(status): \(Formatting.snippet(body, 200))"
        case let .badResponse(s): return "unexpected response: \(s)"
        case let .truncatedStream(s): return "stream ended before it was complete: \(s)"
        case let .transport(s): return "connection failed: \(s)"
        case let .timeout(t): return "no answer within \(Formatting.number(t)) s (timeout)"
        case .cancelled: return "cancelled"
        case let .tooLarge(limit): return "the response is larger than \(limit >> 20) MB, the cap — raise it with ARCHON_MAX_RESPONSE_MB"
        case let .localServer(s): return s
        case let .notRecorded(s): return "offline replay: \(s) was never recorded — replay without --offline to call the model"
        case let .replayedFailure(s): return s
        case let .unsupported(p):
            return "\(p)/ models cannot be called by this build yet (its API is not implemented) — define the same architecture with local/, openai/ or compatible/ models"
        }
    }
}

extension ProviderError {
    /// A call an offline replay could not serve from the recording.
    public var isNotRecorded: Bool { if case .notRecorded = self { true } else { false } }

    /// Throws `.http` for a response outside 2xx, with its body and any Retry-After.
    public static func check(_ r: HTTPResponse) throws {
        guard !(200..<300).contains(r.status) else { return }
        throw ProviderError.http(status: r.status, body: String(decoding: r.body, as: UTF8.self),
                                 retryAfter: RetryPolicy.parseRetryAfter(r.headers["retry-after"]))
    }
}

/// API keys from the environment, with rotation: `KEY`, then `KEY_2`, `KEY_3`, … in numeric order.
public enum APIKeys {
    /// Where key rotations of the current call are written (set by `ModelClient` around each attempt).
    @TaskLocal public static var rotations: RotationLog?

    /// The keys a call tried before the one that answered (or the last), for the call's record.
    public final class RotationLog: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        public init() {}
        public var entries: [String] { lock.withLock { items } }
        func add(_ s: String) { lock.withLock { items.append(s) } }
    }

    /// The keys set for `variable`, in the order they are tried.
    public static func all(_ variable: String, _ environment: [String: String]) -> [String] {
        var keys: [String] = []
        if let k = environment[variable], !k.isEmpty { keys.append(k) }
        var n = 2
        while let k = environment["\(variable)_\(n)"], !k.isEmpty {
            keys.append(k)
            n += 1
        }
        return keys
    }

    /// Runs `send` with the model's first key; on 401 or 429 tries the next key, if there is one.
    public static func rotating<T: Sendable>(_ model: ModelSpec, _ environment: [String: String],
                                             _ send: (String?) async throws -> T) async throws -> T {
        guard let variable = model.keyEnv else { return try await send(nil) }
        let keys = all(variable, environment)
        guard !keys.isEmpty else { throw ProviderError.missingKey(model: model.name, variable: variable) }
        for (i, key) in keys.enumerated() {
            do { return try await send(key) } catch let ProviderError.http(status, body, retryAfter) where status == 401 || status == 429 {
                if i == keys.count - 1 { throw ProviderError.http(status: status, body: body, retryAfter: retryAfter) }
                rotations?.add("\(i == 0 ? variable : "\(variable)_\(i + 1)") answered HTTP \(status); tried \(variable)_\(i + 2)")
            }
        }
        throw ProviderError.missingKey(model: model.name, variable: variable)
    }
}
