// `ask`: one prompt to a model (streamed) or to an architecture (layer by layer).

import Foundation

extension Interpreter {
    func askArchitecture(_ arch: Architecture, prompt: String, number: Int, cell: Int64, onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        recorder.resetTotals()
        let start = ContinuousClock.now
        let store = self.store
        let recordedLayers = replayTiming?.layers ?? [:]
        let run = try await ArchitectureRunner(client: client).run(arch, query: [.user(prompt)]) { measured in
            var trace = measured
            if let s = recordedLayers[trace.layer] { trace.seconds = s }
            try? store.recordLayer(trace.stored, cell: cell)
            if let onToken, self.streamingFlag.value {
                onToken("layer \(trace.layer) \(trace.technique): \(trace.candidatesIn.count) → \(trace.candidatesOut.count) candidates · \(Formatting.duration(trace.seconds))\(trace.parseFailures > 0 ? " · \(trace.parseFailures) fallback(s)" : "")\n")
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = reported(elapsed.seconds)
        let t = recorder.totals()
        var footer = "[\(number)] \(arch.name) · \(arch.layers.count) layers · \(t.calls) calls · \(t.prompt) → \(t.completion) tokens · \(SessionReport.costText(t.cost, unpriced: t.unpriced)) · \(Formatting.duration(seconds))"
        if t.cached > 0 { footer += " · \(t.cached) from cache" }
        if run.parseFailures > 0 { footer += " · \(run.parseFailures) parse fallback(s), see show \(number)" }
        footer += "\nanswer: \(run.choice)"
        var result = CellResult(number: number, output: run.answer, footer: footer)
        result.seconds = seconds
        return result
    }

    func askModel(_ target: String, prompt: String, token: Token, number: Int, onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        guard let model = workspace.model(target) else {
            let hint = Suggestion.closest(to: target, in: workspace.names).map { " — did you mean '\($0)'?" }
                ?? (workspace.names.isEmpty ? " — define one first, e.g. model tiny = local/smollm2"
                                            : " — defined: \(workspace.names.joined(separator: ", "))")
            throw ScriptError("no model named '\(target)'" + hint, source: "ask \(target) …",
                              start: 4, end: 4 + token.text.count)
        }
        let stream = streaming ? onToken : nil
        recorder.resetTotals()
        let start = ContinuousClock.now
        let response = try await client.complete(model: model, messages: [.user(prompt)],
                                                 context: CallContext(onToken: stream))
        let elapsed = ContinuousClock.now - start
        let seconds = reported(elapsed.seconds)
        let tokens = "\(response.promptTokens.map(String.init) ?? "?") → \(response.completionTokens.map(String.init) ?? "?") tokens"
        let t = recorder.totals()
        var footer = "[\(number)] \(model.name) · \(model.reference) · \(tokens) · \(SessionReport.costText(t.cost, unpriced: t.unpriced)) · \(Formatting.duration(seconds))"
        if t.cached > 0 { footer += " · from cache" }
        var result = CellResult(number: number, output: response.content, footer: footer, streamed: stream != nil)
        result.seconds = seconds
        return result
    }
}
