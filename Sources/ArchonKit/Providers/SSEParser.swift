// Splits a server-sent-events byte stream into `data:` payloads.

import Foundation

/// Incremental parser for `text/event-stream` bodies: feed chunks, get complete `data:` payloads.
public struct SSEParser: Sendable {
    private var buffer = Data()
    private var dataLines: [String] = []

    public init() {}

    /// Feeds one chunk and returns the events it completed (the joined `data:` lines of each).
    public mutating func feed(_ chunk: Data) -> [String] {
        buffer.append(chunk)
        var events: [String] = []
        while let nl = buffer.firstIndex(of: 0x0A) {
            var lineData = buffer[buffer.startIndex..<nl]
            if lineData.last == 0x0D { lineData = lineData.dropLast() }
            buffer = Data(buffer[buffer.index(after: nl)...])
            let line = String(decoding: lineData, as: UTF8.self)
            if line.isEmpty {
                if !dataLines.isEmpty {
                    events.append(dataLines.joined(separator: "\n"))
                    dataLines = []
                }
            } else if line.hasPrefix("data:") {
                var value = line.dropFirst(5)
                if value.first == " " { value = value.dropFirst() }
                dataLines.append(String(value))
            }
        }
        return events
    }

    /// Whatever is left unterminated at the end of the stream (an event without its blank line).
    public mutating func finish() -> [String] {
        var events = feed(Data("\n".utf8))
        if !dataLines.isEmpty {
            events.append(dataLines.joined(separator: "\n"))
            dataLines = []
        }
        return events
    }
}
