// A judge model asked for a verdict: the prompt, a strict parse, and up to two follow-ups when the
// reply has no usable verdict. A judge that never answers in form leaves the item unscored.

import Foundation

/// What one judging came to.
public struct JudgeOutcome<Value: Sendable>: Sendable {
    public var value: Value?
    /// Calls made (1 when the first reply parsed).
    public var attempts: Int
    /// Why each reply that did not parse was refused.
    public var problems: [String]
    public var lastReply: String
}

/// The GBNF grammars of the verdict forms: a short explanation without brackets (at most 400
/// characters, so the reply always ends), then the verdict.
public enum VerdictGrammar {
    static func ending(_ verdict: String) -> String {
        "root ::= reason \(verdict)\nreason ::= [^\\[\\]]{0,400}\n"
    }
    public static let rating = ending(#""Rating: [[" ([1-9] | "10") "]]""#)
    public static let preference = ending(#""[[" [ABC] "]]""#)
    public static let arena = ending(#""My final verdict is [[" ("A>>B" | "A>B" | "A=B" | "B>A" | "B>>A") "]]""#)
    public static let grade = ending(#""[[" [01] "]]""#)
    /// An option letter among the first `count`, or NONE.
    public static func option(count: Int) -> String {
        let last = MixEvalAnswer.letters[max(0, min(count, MixEvalAnswer.letters.count) - 1)]
        return ending("\"[[\" ([A-\(last)] | \"NONE\") \"]]\"")
    }
}

/// Asks a judge model and parses its verdict strictly.
public struct Judge: Sendable {
    public var client: ModelClient
    public var model: ModelSpec
    public var maxAttempts = 3
    /// Sampling for the judge's calls: nil temperature is the judge model's own, else 0 (as MT-Bench);
    /// nil max_tokens is the model's own.
    public var temperature: Double?
    public var maxTokens: Int?

    public init(client: ModelClient, model: ModelSpec) {
        self.client = client
        self.model = model
    }

    /// Sends the prompt; when the reply has no verdict, shows the judge its reply and asks again for
    /// the verdict alone (`example` shows the form), up to `maxAttempts` calls in all.
    public func ask<Value: Sendable>(_ prompt: JudgePrompt, values: [String: String], example: String, grammar: String,
                                     parse: (String) -> Result<Value, VerdictError>) async throws -> JudgeOutcome<Value> {
        var messages: [ChatMessage] = []
        if let s = prompt.system, !s.isEmpty { messages.append(.system(s)) }
        messages.append(.user(prompt.fill(values)))
        // Judges grade at temperature 0 unless the judge model says otherwise, as MT-Bench does.
        // With `verdict_grammar=on`, llama.cpp may only produce text that ends in the verdict.
        let parameters = GenerationParameters(temperature: temperature ?? model.parameters.temperature ?? 0, maxTokens: maxTokens,
                                              grammar: model.verdictGrammar == true ? grammar : nil)
        var problems: [String] = []
        var reply = ""
        for attempt in 1...maxAttempts {
            reply = try await client.complete(model: model, messages: messages, parameters: parameters,
                                              context: CallContext(technique: "judge")).content
            switch parse(reply) {
            case .success(let v): return JudgeOutcome(value: v, attempts: attempt, problems: problems, lastReply: reply)
            case .failure(let e):
                problems.append(e.description)
                messages.append(.assistant(reply))
                messages.append(.user("Your reply did not end with a verdict in the required format (\(e.description)). "
                    + "Reply with the verdict only, exactly in that format, for example: \(example)"))
            }
        }
        return JudgeOutcome(value: nil, attempts: maxAttempts, problems: problems, lastReply: reply)
    }
}
