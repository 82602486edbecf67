// Re-executes a recorded session: offline from its recorded calls, or live, cell by cell compared.

import Foundation

/// One replayed cell beside its recording.
public struct ReplayedCell: Sendable {
    public var number: Int
    public var source: String
    public var recorded: String
    public var replayed: CellResult
    /// Whether the replay computed what was recorded: durations and notes about the environment
    /// (a key variable set or not) are not part of the comparison.
    public var identical: Bool { Replayer.computed(recorded) == Replayer.computed(replayed.text) }
}

/// Replays sessions from a store.
///
/// Offline, every model call is served from the calls the session recorded (matched by their
/// canonical request and sample index), the recorded durations are reported, and nothing is sent
/// anywhere: a call that was never recorded fails its cell with a message naming the request.
/// Live, the cells run again against the models (the cache bypassed) and each output is compared.
public enum Replayer {
    /// Replays cells 1…`upTo` (all when nil) of `session` into `interpreter`; `onCell` sees each as it ends.
    public static func replay(store: SessionStore, session: Int64, into interpreter: Interpreter, offline: Bool,
                              upTo: Int? = nil, onCell: (@Sendable (ReplayedCell) -> Void)? = nil) async throws -> [ReplayedCell] {
        _ = try store.session(session)
        let cells = try store.cells(session: session).filter { upTo == nil || $0.number <= upTo! }
        let calls = try store.calls(session: session).map(CallRecord.init(row:))
        if offline {
            await interpreter.setReplay(ReplaySource(calls: calls, offline: true))
        } else {
            await interpreter.setCacheMode(.refresh)
        }
        var out: [ReplayedCell] = []
        for cell in cells {
            try Task.checkCancellation()
            if offline {
                let layers = LayerTrace.decode(try store.layers(cell: cell.id!))
                let seconds = cell.seconds ?? cell.finishedAt.map { $0.timeIntervalSince(cell.startedAt) }
                await interpreter.prepareReplay(cellSeconds: seconds,
                                                layerSeconds: Dictionary(layers.map { ($0.layer, $0.seconds) }, uniquingKeysWith: { a, _ in a }))
            }
            await interpreter.prepareReplayCell(recorded: cell.output)
            let result = await interpreter.execute(cell.source)
            let r = ReplayedCell(number: cell.number, source: cell.source, recorded: cell.output, replayed: result)
            out.append(r)
            onCell?(r)
        }
        await interpreter.prepareReplayCell(recorded: nil)
        await interpreter.setReplay(nil)
        await interpreter.setCacheMode(.on)
        return out
    }

    /// A closing summary: how many cells matched, and which did not.
    public static func summary(_ cells: [ReplayedCell], from session: Int64, as replay: Int64, offline: Bool) -> String {
        let different = cells.filter { !$0.identical }
        var text = "replayed \(cells.count) cell\(cells.count == 1 ? "" : "s") of session \(session) as session \(replay)\(offline ? " (offline)" : ""): \(cells.count - different.count) identical, \(different.count) different"
        for c in different.prefix(20) { text += "\n  cell \(c.number) differs: \(Formatting.snippet(c.source, 60))" }
        return text
    }

    /// A cell's text without what depends on the run rather than on what it computed: durations
    /// (`1.2 s`, `340 ms`, `2 min`) and the environment notes about key variables.
    public static func computed(_ text: String) -> String {
        var t = text.replacingOccurrences(of: #" \(note: [A-Z0-9_]+ is not set; calls will fail until it is\)"#, with: "",
                                          options: .regularExpression)
        t = t.replacingOccurrences(of: #"\b[A-Z][A-Z0-9_]* (not )?set\b"#, with: "KEY", options: .regularExpression)
        t = t.replacingOccurrences(of: #"\b\d+(\.\d+)? ?(ms|s|min|h)\b"#, with: "TIME", options: .regularExpression)
        // Tables pad their columns to the widest cell, so a shorter note shifts the spacing.
        t = t.replacingOccurrences(of: #" {2,}"#, with: " ", options: .regularExpression)
        t = t.replacingOccurrences(of: #" +\n"#, with: "\n", options: .regularExpression)
        return t
    }

    /// The first line where two texts part, for showing a difference.
    public static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.components(separatedBy: "\n"), y = b.components(separatedBy: "\n")
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? x[i] : "(nothing)", r = i < y.count ? y[i] : "(nothing)"
            if computed(l) != computed(r) { return "line \(i + 1): recorded \(Formatting.snippet(l, 70)) | now \(Formatting.snippet(r, 70))" }
        }
        return "identical"
    }
}
