// The REPL in a real terminal under tmux: prompt, completion, history, Ctrl-C and Ctrl-D.

import ArchonKit
import ArchonTestSupport
import XCTest

final class TerminalTests: XCTestCase {
    var dir: TempDir!
    var tmux: Tmux!

    override func setUpWithError() throws {
        dir = TempDir()
    }

    override func tearDown() {
        tmux?.kill()
        dir.remove()
    }

    func start() throws {
        let command = "cd \(dir.url.path) && ARCHON_HISTORY=\(dir.path("history")) TERM=xterm \(archonBinary) --db \(dir.path("t.sqlite"))"
        tmux = try Tmux(command: command)
        tmux.wait { $0.contains("[1] archon>") }
    }

    func testCompletionAndHistoryRecallAcrossSessions() throws {
        try start()
        try tmux.send("mode", literal: true)
        try tmux.send("Tab")
        try tmux.send(" tiny = lo", literal: true)
        try tmux.send("Tab")
        try tmux.send("smollm2 temp", literal: true)
        try tmux.send("Tab")
        try tmux.send("0 max_tokens=8", literal: true)
        try tmux.send("Enter")
        var screen = tmux.wait { $0.contains("defined model tiny") }
        XCTAssertTrue(screen.contains("[1] archon> model tiny = local/smollm2 temperature=0 max_tokens=8"), screen)
        try tmux.send("help mo", literal: true)
        try tmux.send("Tab")
        try tmux.send("Tab")
        screen = tmux.wait { $0.contains("model  models") }
        XCTAssertTrue(screen.contains("model  models"), "both candidates listed:\n\(screen)")
        try tmux.send("C-u")
        try tmux.send("C-d")
        XCTAssertTrue(tmux.waitForExit(), "Ctrl-D left the REPL")

        // A new session recalls the earlier line with Up.
        tmux.kill()
        try start()
        try tmux.send("Up")
        screen = tmux.wait { $0.contains("[1] archon> help mo") || $0.contains("[1] archon> model tiny") }
        XCTAssertTrue(screen.contains("[1] archon> model tiny = local/smollm2 temperature=0 max_tokens=8"), screen)
    }

    func testCtrlCClearsTheLineAndCancelsARunningAsk() throws {
        try start()
        try tmux.send("half-typed line", literal: true)
        try tmux.send("C-c")
        var screen = tmux.wait { $0.components(separatedBy: "[1] archon>").count >= 3 }
        XCTAssertEqual(screen.components(separatedBy: "[1] archon>").count, 3, "Ctrl-C gave a fresh prompt, same cell:\n\(screen)")
        try tmux.send("model tiny = local/smollm2 temperature=0 max_tokens=400", literal: true)
        try tmux.send("Enter")
        try tmux.send("ask tiny \"Write a very long story about a dragon and a knight.\"", literal: true)
        try tmux.send("Enter")
        screen = tmux.wait { $0.contains("Once") || $0.contains("The") || $0.contains("In ") }
        let pressed = Date()
        try tmux.send("C-c")
        screen = tmux.wait(timeout: 5) { $0.contains("cancelled — what finished is kept") && $0.contains("[3] archon>") }
        XCTAssertTrue(screen.contains("cancelled — what finished is kept"), screen)
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 2.5, "cancelled within about a second")
        // The REPL survives: the next command runs, and the store says cell 2 was cancelled.
        try tmux.send("show 2", literal: true)
        try tmux.send("Enter")
        screen = tmux.wait { $0.contains("cell 2 · cancelled") }
        XCTAssertTrue(screen.contains("cell 2 · cancelled"), screen)
        XCTAssertTrue(screen.contains("error: cancelled"), screen)
        let pid = tmux.panePID()
        try tmux.send("C-d")
        XCTAssertTrue(tmux.waitForExit(), "Ctrl-D left the REPL")
        if let pid { XCTAssertEqual(localServers(ownedBy: pid), [], "Ctrl-D stopped the local server") }
    }

    /// A bench on a terminal: a progress line with done/total, ETA and the running cost; Ctrl-C stops
    /// it keeping the finished items, and the same bench again resumes from them.
    func testBenchProgressCtrlCAndResume() throws {
        let server = try FakeServer()
        defer { server.stop() }
        try start()
        try tmux.send("model f = compatible/echo base_url=\(server.baseURL("slow-400")) max_concurrency=2", literal: true)
        try tmux.send("Enter")
        try tmux.send("bench f math500[0:40]", literal: true)
        try tmux.send("Enter")
        var screen = tmux.wait { $0.contains("/40 items") && $0.contains("ETA") }
        XCTAssertNotNil(screen.firstMatch(of: #/\[#*\.*\] \d+/40 items · ETA [0-9.]+ s · \$\?/#), screen)
        try tmux.send("C-c")
        screen = tmux.wait(timeout: 5) { $0.contains("cancelled — what finished is kept") && $0.contains("[3] archon>") }
        XCTAssertTrue(screen.contains("cancelled — what finished is kept"), screen)
        let finished = try SessionStore(path: dir.path("t.sqlite")).benchItems(cell: try SessionStore(path: dir.path("t.sqlite")).cell(session: 1, number: 2).id!).count
        XCTAssertGreaterThan(finished, 0, "items that finished before Ctrl-C are kept")
        XCTAssertLessThan(finished, 40)
        try tmux.send("bench f math500[0:40]", literal: true)
        try tmux.send("Enter")
        screen = tmux.wait(timeout: 30) { $0.contains("[3] bench f · math scorer") }
        XCTAssertTrue(screen.contains("[3] bench f · math scorer · \(40 - finished) scored now, \(finished) resumed"), screen)
    }

    func testMultiLinePromptWithTripleQuotes() throws {
        try start()
        try tmux.send("help \"\"\"first", literal: true)
        try tmux.send("Enter")
        let screen = tmux.wait { $0.contains("...>") }
        XCTAssertTrue(screen.contains("  ...>"), "continuation prompt:\n\(screen)")
        try tmux.send("second\"\"\"", literal: true)
        try tmux.send("Enter")
        let after = tmux.wait { $0.contains("[2] archon>") }
        XCTAssertTrue(after.contains("error: help takes a command name"), after)
    }
}
