// The prompts judges are given: MT-Bench's own (read from the bundled data) and ours for the rest.

import Foundation

/// A judge prompt: an optional system message and a template with `{name}` slots.
public struct JudgePrompt: Sendable, Equatable {
    public var name: String
    public var system: String?
    public var template: String

    /// The template with every `{name}` slot whose name is in `values` filled; one pass, so text
    /// inside an answer that looks like a slot is left alone.
    public func fill(_ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            if let close = rest[open...].firstIndex(of: "}"), let v = values[String(rest[rest.index(after: open)..<close])] {
                out += v
                rest = rest[rest.index(after: close)...]
            } else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
            }
        }
        return out + rest
    }

    /// Slots of the template (to check that a prompt file has what the judge fills in).
    public var slots: Set<String> {
        Set(template.matches(of: #/\{([a-z_0-9]+)\}/#).map { String($0.output.1) })
    }
}

/// Where the judge prompts come from.
public enum JudgePrompts {
    /// MT-Bench's judge prompts by name (`single-v1`, `single-math-v1-multi-turn`, `pair-v2`, …) from
    /// `mt_bench/judge_prompts.jsonl` in the datasets folder.
    public static func mtBench(root: URL) throws -> [String: JudgePrompt] {
        var out: [String: JudgePrompt] = [:]
        for o in try DatasetRegistry.jsonLines(root.appendingPathComponent("mt_bench/judge_prompts.jsonl")) {
            guard let name = o["name"] as? String, let template = o["prompt_template"] as? String else { continue }
            out[name] = JudgePrompt(name: name, system: o["system_prompt"] as? String, template: template)
        }
        for needed in ["single-v1", "single-math-v1", "single-v1-multi-turn", "single-math-v1-multi-turn", "pair-v2"] where out[needed] == nil {
            throw DatasetError(message: "mt_bench/judge_prompts.jsonl has no '\(needed)' prompt — restore the file from datasets/SOURCES.md")
        }
        return out
    }

    /// Arena-Hard-style judging with five verdicts. Arena-Hard's own prompt is not in the bundled data,
    /// so this one is ours; it asks for the same verdict labels, which is what the scoring reads.
    public static let arena = JudgePrompt(
        name: "arena-5-level",
        system: """
        You judge two AI assistants' answers to the same user prompt. First work out your own answer to the \
        prompt. Then compare each assistant's answer with yours: point out mistakes and inaccurate \
        statements, and judge how helpful (does it do what was asked; does it ask for clarification when \
        the prompt is ambiguous), relevant and concise each answer is, and what important information it \
        leaves out. Do not let the order of the answers or their length sway you. Explain briefly, then end \
        with exactly one of these verdicts:
        [[A>>B]] if assistant A is much better
        [[A>B]] if assistant A is better
        [[A=B]] if they are about equal
        [[B>A]] if assistant B is better
        [[B>>A]] if assistant B is much better
        For example: "My final verdict is [[A=B]]".
        """,
        template: """
        [User Prompt]
        {question}

        [Start of Assistant A's Answer]
        {answer_a}
        [End of Assistant A's Answer]

        [Start of Assistant B's Answer]
        {answer_b}
        [End of Assistant B's Answer]
        """)

    /// MixEval-Hard multiple-choice answers whose option could not be read: the judge reads it.
    public static let choice = JudgePrompt(
        name: "read-choice",
        system: "You read which option an answer to a multiple-choice question chose. You do not judge whether it is right.",
        template: """
        [Question]
        {question}

        [Options]
        {options}

        [Answer]
        {answer}

        Which option did the answer choose? Explain in one sentence, then end with the option's letter in \
        double brackets, e.g. [[B]], or [[NONE]] if it chose none or several.
        """)

    /// MixEval-Hard free-form answers the normalised match did not accept: the judge compares with the targets.
    public static let freeForm = JudgePrompt(
        name: "free-form-match",
        system: "You grade short answers against accepted answers. Be strict about the facts and lenient about wording.",
        template: """
        [Question]
        {question}

        [Accepted answers]
        {targets}

        [Answer to grade]
        {answer}

        Does the answer to grade give the same final answer as one of the accepted answers? Explain in one \
        sentence, then end with [[1]] if it does or [[0]] if it does not.
        """)
}
