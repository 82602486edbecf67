// No input line, however garbled, crashes the parser or the interpreter.

import ArchonKit
import ArchonTestSupport
import XCTest

/// A small deterministic generator (SplitMix64), so a failing line can be reproduced.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random lines mixing command words, punctuation, quotes, unicode and control characters.
func garbledLines(_ count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix(state: seed)
    let pieces = ["model", "ask", "show", "help", "models", "set", "=", "\"", "\"\"\"", "\\", "|", "[", "]", "local/",
                  "smollm2", "temperature=", "-1", "1e309", "9999999999999999999999", "tiny", "#", "é", "🙂", "\t",
                  "\u{0}", "\u{7}", "\u{1B}[31m", "max_tokens=", "NaN", "::", "/", "..", "ñ\u{301}", "\u{202E}", "x=y=z"]
    return (0..<count).map { _ in
        let n = Int.random(in: 0...12, using: &rng)
        return (0..<n).map { _ -> String in
            if Int.random(in: 0..<4, using: &rng) == 0 {
                let scalar = UnicodeScalar(UInt32.random(in: 1...0x2FFF, using: &rng)) ?? "?"
                return String(Character(scalar))
            }
            return pieces.randomElement(using: &rng)!
        }.joined(separator: Bool.random(using: &rng) ? " " : "")
    }
}

final class GarbledInputTests: XCTestCase {
    func testParserSurvivesThousandsOfGarbledLines() {
        for line in garbledLines(5000, seed: 42) {
            do { _ = try Parser.parse(line) } catch {
                XCTAssertTrue(error.description.hasPrefix("error: "), "line: \(line.debugDescription)")
                XCTAssertFalse(error.message.contains("\n"), "the message itself is one line: \(line.debugDescription)")
            }
        }
    }

    func testInterpreterRecordsGarbledLinesAsCells() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let store = try SessionStore(path: dir.path("g.sqlite"))
        let interpreter = try Interpreter(store: store, kind: "test")
        var cells = 0
        for line in garbledLines(1000, seed: 7) where !line.contains("ask") {
            let r = await interpreter.execute(line)
            if r.number != nil { cells += 1 }
        }
        let recorded = try store.cells(session: interpreter.sessionID)
        XCTAssertEqual(recorded.count, cells)
        XCTAssertTrue(recorded.allSatisfy { $0.status != "running" })
    }
}
