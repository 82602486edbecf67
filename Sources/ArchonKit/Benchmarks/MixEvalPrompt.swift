// MixEval's own prompt layout, so that scores are comparable with its leaderboard. The instruction
// lines are MixEval's (github.com/Psycoy/MixEval, mix_eval/prompts/evaluation_prompts.py, MIT), kept
// word for word as data.

import Foundation

/// The prompt MixEval sends for an item: for a choice item the context, the question, the options as
/// `A. …` lines and its instruction; for a free-form item `Question: `, the context, the question and
/// the instruction for its source benchmark (step by step for BBH, GSM8k and MATH).
public enum MixEvalPrompt {
    static let choiceInstruction = "Answer with the option letter from the given choices directly."
    static let shortInstruction = "Answer the question shortly."
    static let stepByStepInstruction = "Answer the question. \nLet's think step by step."
    static let stepByStepSources: Set<String> = ["BBH", "GSM8k", "MATH"]

    public static func render(_ item: BenchmarkItem) -> String {
        let question = item.turns[0]
        if let options = item.options {
            let listed = options.enumerated().map { "\(MixEvalAnswer.letters[$0]). \($1)" }.joined(separator: "\n")
            return (item.context.map { $0 + "\n" } ?? "") + question + "\n" + listed + "\n" + choiceInstruction
        }
        let instruction = stepByStepSources.contains(item.category) ? stepByStepInstruction : shortInstruction
        return "Question: " + (item.context.map { $0 + "\n" } ?? "") + question + "\n" + instruction
    }

    /// A context as MixEval counts one: text that is not empty, blank, "none" or "null".
    static func context(_ value: Any?) -> String? {
        guard let text = value.flatMap(DatasetRegistry.string) else { return nil }
        let bare = text.replacingOccurrences(of: " ", with: "")
        return bare.isEmpty || ["none", "null"].contains(text.lowercased()) ? nil : text
    }
}
