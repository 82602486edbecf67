// HTTP over libcurl: pooled handles for connection reuse, timeouts, streaming and cancellation.

import CCurl
import Foundation

/// An HTTP request as the providers build it.
public struct HTTPRequest: Sendable {
    public var url: String
    public var method: String
    public var headers: [(String, String)]
    public var body: Data?
    /// Whole-transfer timeout in seconds.
    public var timeout: Double

    public init(url: String, method: String = "POST", headers: [(String, String)] = [], body: Data? = nil,
                timeout: Double = 120) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data
}

/// Runs HTTP transfers through libcurl easy handles kept in a pool, so connections are reused.
///
/// Each transfer runs on its own thread (libcurl's easy interface blocks) and is bridged to async
/// code with a continuation. Cancelling the calling task aborts the transfer within a fraction of a
/// second through libcurl's progress callback.
public final class HTTPClient: @unchecked Sendable {
    public static let shared = HTTPClient()

    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []
    private let maxIdle = 128

    public init() {
        Self.globalInit
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    /// Sends `request`; `onData` sees each body chunk as it arrives (for streaming responses).
    public func send(_ request: HTTPRequest, onData: (@Sendable (Data) -> Void)? = nil) async throws -> HTTPResponse {
        let transfer = Transfer(request: request, onData: onData)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<HTTPResponse, Error>) in
                let thread = Thread { [self] in
                    cont.resume(with: self.perform(transfer))
                }
                thread.stackSize = 256 * 1024
                thread.start()
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    private func checkout() -> UnsafeMutableRawPointer {
        lock.lock()
        let h = idle.popLast()
        lock.unlock()
        if let h {
            curl_easy_reset(h)
            return h
        }
        return curl_easy_init()
    }

    private func checkin(_ h: UnsafeMutableRawPointer) {
        lock.lock()
        if idle.count < maxIdle {
            idle.append(h)
            lock.unlock()
        } else {
            lock.unlock()
            curl_easy_cleanup(h)
        }
    }

    private func perform(_ t: Transfer) -> Result<HTTPResponse, Error> {
        if t.isCancelled { return .failure(ProviderError.cancelled) }
        let h = checkout()
        t.handle = h
        var headers: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(headers)
            checkin(h)
        }
        for (k, v) in t.request.headers { headers = curl_slist_append(headers, "\(k): \(v)") }
        headers = curl_slist_append(headers, "Expect:")
        ccurl_set_str(h, CURLOPT_URL, t.request.url)
        ccurl_set_long(h, CURLOPT_NOSIGNAL, 1)
        ccurl_set_long(h, CURLOPT_TCP_NODELAY, 1)
        ccurl_set_long(h, CURLOPT_TIMEOUT_MS, Int(t.request.timeout * 1000))
        ccurl_set_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(min(t.request.timeout, 15) * 1000))
        ccurl_set_slist(h, CURLOPT_HTTPHEADER, headers)
        if let body = t.request.body {
            body.withUnsafeBytes { raw in
                let p = raw.bindMemory(to: CChar.self).baseAddress
                _ = ccurl_set_postfields(h, p, body.count)
            }
        }
        if t.request.method != "POST" && t.request.method != "GET" {
            ccurl_set_str(h, CURLOPT_CUSTOMREQUEST, t.request.method)
        } else if t.request.method == "GET" {
            ccurl_set_long(h, CURLOPT_HTTPGET, 1)
        }
        let ctx = Unmanaged.passUnretained(t).toOpaque()
        ccurl_set_write_fn(h, CURLOPT_WRITEFUNCTION) { ptr, size, n, ud in
            let t = Unmanaged<Transfer>.fromOpaque(ud!).takeUnretainedValue()
            let count = size * n
            if let ptr, count > 0 {
                // Over the cap: returning less than was given makes libcurl stop the transfer.
                guard t.body.count + count <= t.maxBytes else { t.tooLarge = true; return 0 }
                t.received(Data(bytes: ptr, count: count))
            }
            return count
        }
        ccurl_set_ptr(h, CURLOPT_WRITEDATA, ctx)
        ccurl_set_write_fn(h, CURLOPT_HEADERFUNCTION) { ptr, size, n, ud in
            let t = Unmanaged<Transfer>.fromOpaque(ud!).takeUnretainedValue()
            let count = size * n
            if let ptr, count > 0 { t.header(Data(bytes: ptr, count: count)) }
            return count
        }
        ccurl_set_ptr(h, CURLOPT_HEADERDATA, ctx)
        ccurl_set_long(h, CURLOPT_NOPROGRESS, 0)
        ccurl_set_xfer_fn(h) { ud, _, _, _, _ in
            Unmanaged<Transfer>.fromOpaque(ud!).takeUnretainedValue().isCancelled ? 1 : 0
        }
        ccurl_set_ptr(h, CURLOPT_XFERINFODATA, ctx)

        let code = curl_easy_perform(h)
        t.handle = nil
        if code != CURLE_OK {
            if t.tooLarge { return .failure(ProviderError.tooLarge(t.maxBytes)) }
            if t.isCancelled || code == CURLE_ABORTED_BY_CALLBACK { return .failure(ProviderError.cancelled) }
            if code == CURLE_OPERATION_TIMEDOUT { return .failure(ProviderError.timeout(t.request.timeout)) }
            let message = String(cString: curl_easy_strerror(code))
            return .failure(ProviderError.transport("\(message) (\(t.request.url))"))
        }
        return .success(HTTPResponse(status: ccurl_response_code(h), headers: t.headers, body: t.body))
    }
}

/// The state of one transfer, shared with libcurl's callbacks.
private final class Transfer: @unchecked Sendable {
    let request: HTTPRequest
    let onData: (@Sendable (Data) -> Void)?
    var body = Data()
    let maxBytes = Limits.maxResponseBytes
    var tooLarge = false
    var headers: [String: String] = [:]
    var handle: UnsafeMutableRawPointer?
    private let lock = NSLock()
    private var cancelled = false
    private var status: Int?

    init(request: HTTPRequest, onData: (@Sendable (Data) -> Void)?) {
        self.request = request
        self.onData = onData
    }

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    func received(_ chunk: Data) {
        body.append(chunk)
        guard let onData else { return }
        if status == nil, let h = handle { status = ccurl_response_code(h) }
        if let s = status, (200..<300).contains(s) { onData(chunk) }
    }

    func header(_ line: Data) {
        guard let s = String(data: line, encoding: .utf8) else { return }
        if s.hasPrefix("HTTP/") { headers = [:]; return }
        guard let colon = s.firstIndex(of: ":") else { return }
        let key = s[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = s[s.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[key] = value
    }
}
