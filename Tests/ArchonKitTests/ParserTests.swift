// The command language: what parses, and what each mistake says.

import ArchonKit
import XCTest

final class ParserTests: XCTestCase {
    func parse(_ s: String) throws -> Command? { try Parser.parse(s) }

    func error(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> ScriptError? {
        do {
            _ = try Parser.parse(s)
            XCTFail("expected an error for: \(s)", file: file, line: line)
            return nil
        } catch { return error }
    }

    func testTourLines() throws {
        XCTAssertNil(try parse("# comments start with #"))
        XCTAssertNil(try parse("   "))
        guard case let .model(spec)? = try parse("model tiny = local/smollm2 temperature=0 max_tokens=64") else {
            return XCTFail("not a model command")
        }
        XCTAssertEqual(spec.name, "tiny")
        XCTAssertEqual(spec.provider, "local")
        XCTAssertEqual(spec.model, "smollm2")
        XCTAssertEqual(spec.parameters.temperature, 0)
        XCTAssertEqual(spec.parameters.maxTokens, 64)
        guard case let .ask(target, prompt, _)? = try parse("ask tiny \"Name three primary colors.\"") else {
            return XCTFail("not an ask")
        }
        XCTAssertEqual(target, "tiny")
        XCTAssertEqual(prompt, "Name three primary colors.")
        XCTAssertEqual(try parse("models"), .models)
        XCTAssertEqual(try parse("show 2"), .show(cell: 2))
        XCTAssertEqual(try parse("help"), .help(topic: nil))
        XCTAssertEqual(try parse("help ask"), .help(topic: "ask"))
        XCTAssertEqual(try parse("ask tiny \"x\" # trailing comment").map(\.word), "ask")
    }

    func testAllModelOptions() throws {
        guard case let .model(m)? = try parse(
            "model g = openai/gpt-4o-mini temperature=0.7 max_tokens=512 top_p=0.9 seed=7 base_url=http://127.0.0.1:9/v1 api_key_env=MY_KEY max_concurrency=4 timeout=30")
        else { return XCTFail() }
        XCTAssertEqual(m.parameters, GenerationParameters(temperature: 0.7, maxTokens: 512, topP: 0.9, seed: 7))
        XCTAssertEqual(m.baseURL, "http://127.0.0.1:9/v1")
        XCTAssertEqual(m.apiKeyEnv, "MY_KEY")
        XCTAssertEqual(m.keyEnv, "MY_KEY")
        XCTAssertEqual(m.maxConcurrency, 4)
        XCTAssertEqual(m.timeout, 30)
        XCTAssertEqual(try parse(m.definition), .model(m), "definition prints a line that parses back")
    }

    func testUnknownCommandSuggestsAndPoints() {
        let e = error("aks tiny \"hello\"")
        XCTAssertEqual(e?.message, "unknown command 'aks' — did you mean 'ask'?")
        XCTAssertEqual(e?.start, 0)
        XCTAssertEqual(e?.end, 3)
        XCTAssertEqual(e?.description, "error: unknown command 'aks' — did you mean 'ask'?\n  aks tiny \"hello\"\n  ^^^")
        XCTAssertEqual(error("modle x = local/smollm2")?.message, "unknown command 'modle' — did you mean 'model'?")
        XCTAssertEqual(error("frobnicate")?.message, "unknown command 'frobnicate' — `help` lists the commands")
    }

    func testModelMistakes() {
        let typo = error("model t = local/smollm2 temprature=0")
        XCTAssertEqual(typo?.message, "unknown model option 'temprature' — did you mean 'temperature'?")
        XCTAssertEqual(typo?.start, 24)
        XCTAssertEqual(typo?.end, 34)
        let value = error("model t = local/smollm2 temperature=hot")
        XCTAssertEqual(value?.message, "temperature=hot is not valid — temperature takes a number from 0 to 2")
        XCTAssertEqual(value?.start, 36)
        XCTAssertEqual(error("model t = lokal/smollm2")?.message, "unknown provider 'lokal' — did you mean 'local'?")
        XCTAssertEqual(error("model t = smollm2")?.message, "'smollm2' is not PROVIDER/MODEL — e.g. local/smollm2 or openai/gpt-4o-mini")
        XCTAssertTrue(error("model t local/smollm2")?.message.hasPrefix("expected '=' after the model name") ?? false)
        XCTAssertEqual(error("model t = local/smollm2 seed=1 seed=2")?.message, "'seed' is given twice — keep one")
        XCTAssertEqual(error("model t = compatible/x")?.message, "compatible/ models need base_url=http://HOST:PORT/v1")
        XCTAssertEqual(error("model 9t = local/smollm2")?.message,
                       "'9t' is not a valid name — use letters, digits, _ and -, starting with a letter")
        XCTAssertTrue(error("model t = local/smollm2 max_tokens=0")?.message.contains("a whole number ≥ 1") ?? false)
    }

    func testAskMistakes() {
        XCTAssertTrue(error("ask tiny hello")?.message.hasPrefix("expected the prompt in quotes") ?? false)
        let open = error("ask tiny \"no end")
        XCTAssertEqual(open?.message, "unterminated string — add the closing \"")
        XCTAssertEqual(open?.start, 9)
        XCTAssertEqual(error("ask")?.message, "expected a model name after 'ask'")
        XCTAssertTrue(error("ask tiny \"a\" \"b\"")?.message.contains("nothing more was expected") ?? false)
        XCTAssertEqual(error("help aks")?.message, "no command 'aks' — did you mean 'ask'?")
        XCTAssertTrue(error("show two")?.message.hasPrefix("expected a cell number") ?? false)
        XCTAssertTrue(error("ask tiny \u{7}")?.message.hasPrefix("unexpected character U+7") ?? false)
    }

    func testRecordedAnswersCommand() throws {
        guard case let .answers(name, path, format)? = try parse("answers pub = \"out.json\" format=alpaca_eval") else { return XCTFail() }
        XCTAssertEqual(name, "pub")
        XCTAssertEqual(path, "out.json")
        XCTAssertEqual(format, .alpacaEval)
        guard case let .answers(_, _, none)? = try parse("answers q = \"q.jsonl\"") else { return XCTFail() }
        XCTAssertNil(none, "the file's layout decides")
        XCTAssertEqual(error("answers q = \"q.jsonl\" format=fastchats")?.message,
                       "unknown format 'fastchats' — use alpaca_eval (AlpacaEval model_outputs, a JSON list) or fastchat (FastChat model_answer, JSONL) — did you mean 'fastchat'?")
        XCTAssertTrue(error("answers q = q.jsonl")?.message.hasPrefix("expected the answers file in quotes") ?? false)
        XCTAssertTrue(error("answers q = \"q.jsonl\" judge=x")?.message.hasPrefix("expected format=alpaca_eval or format=fastchat") ?? false)
        XCTAssertTrue(error("answers reference = \"q.jsonl\"")?.message.hasPrefix("'reference' is the gold answers") ?? false)
    }

    func testStringsAndContinuations() throws {
        guard case let .ask(_, prompt, _)? = try parse("ask t \"say \\\"hi\\\"\\nthen \\\\ bye\"") else { return XCTFail() }
        XCTAssertEqual(prompt, "say \"hi\"\nthen \\ bye")
        let lines = ["ask t \"\"\"first line", "second line\"\"\""]
        XCTAssertFalse(Lexer.isComplete(lines[0]))
        let joined = Lexer.join(lines)
        XCTAssertTrue(Lexer.isComplete(joined))
        guard case let .ask(_, multi, _)? = try parse(joined) else { return XCTFail() }
        XCTAssertEqual(multi, "first line\nsecond line")
        XCTAssertFalse(Lexer.isComplete("model t = local/smollm2 \\"))
        let backslash = Lexer.join(["model t = local/smollm2 \\", "temperature=0"])
        guard case let .model(m)? = try parse(backslash) else { return XCTFail() }
        XCTAssertEqual(m.parameters.temperature, 0)
    }

    func testSuggestionDistance() {
        XCTAssertEqual(Suggestion.distance("aks", "ask"), 1)
        XCTAssertEqual(Suggestion.distance("", "abc"), 3)
        XCTAssertNil(Suggestion.closest(to: "zzzzzz", in: ["ask", "model"]))
    }

    func testCompletion() {
        XCTAssertEqual(Completion.candidates(prefix: "mo", names: []).candidates, ["model", "models"])
        XCTAssertEqual(Completion.candidates(prefix: "ask ti", names: ["tiny", "big"]).candidates, ["tiny"])
        XCTAssertEqual(Completion.candidates(prefix: "ask ti", names: ["tiny"]).start, 4)
        XCTAssertEqual(Completion.candidates(prefix: "model t = lo", names: []).candidates, ["local/"])
        XCTAssertEqual(Completion.candidates(prefix: "model t = local/smollm2 temp", names: []).candidates, ["temperature="])
        XCTAssertEqual(Completion.candidates(prefix: "help mod", names: []).candidates, ["model", "models"])
        let dir = TempDirForCompletion()
        defer { dir.remove() }
        let files = Completion.candidates(prefix: "ask t \"\(dir.path)/re", names: []).candidates
        XCTAssertEqual(files, ["\(dir.path)/recipe.archon", "\(dir.path)/results/"])
        XCTAssertEqual(Completion.commonPrefix(["model", "models"]), "model")
    }
}

/// A folder with a file and a sub-folder, for path completion.
struct TempDirForCompletion {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("archon-compl-\(UUID().uuidString.prefix(6))").path
        try? FileManager.default.createDirectory(atPath: path + "/results", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path + "/recipe.archon", contents: Data())
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
