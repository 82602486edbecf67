// The `archon` command: the REPL by default, and subcommands that reach the session store.

import ArchonKit
import ArgumentParser
import Foundation

@main
struct Archon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archon",
        abstract: "A notebook-style REPL for composing and measuring inference-time techniques.",
        subcommands: [Repl.self, Run.self, Sessions.self, Show.self, Results.self, Replay.self, Export.self, Import.self],
        defaultSubcommand: Repl.self
    )
}

/// Options every subcommand that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Session database (default: $ARCHON_DB or sessions/archon.sqlite).")
    var db: String?

    func open() throws -> SessionStore {
        let path = db ?? SessionStore.defaultPath()
        do { return try SessionStore(path: path) } catch {
            Console.err("error: \(error)")
            throw ExitCode(2)
        }
    }
}

extension Archon {
    struct Repl: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open the REPL (on a terminal), or read commands from piped standard input.")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try store.open()
            let session = SessionRunner(store: store, kind: Console.stdinIsTerminal ? "repl" : "piped", title: nil)
            let ok = Console.stdinIsTerminal ? session.interactive() : session.piped()
            session.finish()
            if !ok { throw ExitCode(1) }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a recipe (.archon file) headless.")

        @Argument(help: "The recipe file.") var file: String
        @Flag(name: .long, help: "Continue after a failing command (exit status is still non-zero).")
        var keepGoing = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                Console.err("error: cannot read recipe \(file) — check the path")
                throw ExitCode(2)
            }
            let store = try store.open()
            let session = SessionRunner(store: store, kind: "run", title: file)
            let ok = session.recipe(text, keepGoing: keepGoing)
            session.finish()
            if !ok { throw ExitCode(1) }
        }
    }

    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the recorded sessions.")

        @Flag(name: .long, help: "Print a JSON array.") var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try store.open()
            let rows = try store.sessions()
            Console.out(json ? SessionReport.sessionsJSON(rows) : SessionReport.sessions(rows))
        }
    }

    struct Results: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every bench result stored in the database.")

        @Argument(help: "Only this dataset, e.g. math500.") var dataset: String?
        @Flag(name: .long, help: "Print a JSON array (scores as numbers).") var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try store.open()
            Console.out(json ? try ResultsReport.json(store, dataset: dataset) : try ResultsReport.render(store, dataset: dataset))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a recorded session, or one of its cells.")

        @Argument(help: "SESSION or SESSION:CELL, e.g. 3 or 3:2.") var target: String
        @OptionGroup var store: StoreOptions

        func run() throws {
            let parts = target.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let sid = Int64(parts[0]),
                  parts.count == 1 || Int(parts[1]) != nil else {
                Console.err("error: '\(target)' is not SESSION or SESSION:CELL — e.g. archon show 3 or archon show 3:2")
                throw ExitCode(2)
            }
            let store = try store.open()
            do {
                let summary = try store.session(sid)
                if parts.count == 2, let n = Int(parts[1]) {
                    let cell = try store.cell(session: sid, number: n)
                    Console.out(SessionReport.cell(cell, calls: try store.calls(cell: cell.id!)))
                } else {
                    Console.out(SessionReport.session(summary, cells: try store.cells(session: sid),
                                                      calls: try store.calls(session: sid)))
                }
            } catch let e as StoreError {
                Console.err("error: \(e)")
                throw ExitCode(2)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a recorded session as a notebook (Markdown or HTML) or as JSON lines for `archon import`.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case md, html, jsonl }

        @Argument(help: "The session id (see `archon sessions`).") var session: Int64
        @Option(name: .long, help: "md, html or jsonl.") var format: Format = .md
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try store.open()
            let text: String
            do {
                switch format {
                case .md: text = try NotebookExport.markdown(store, session: session)
                case .html: text = try NotebookExport.html(store, session: session)
                case .jsonl: text = try SessionArchive.export(store, session: session)
                }
            } catch let e as StoreError {
                Console.err("error: \(e)")
                throw ExitCode(2)
            }
            guard let output else {
                Console.out(text, terminator: "")
                return
            }
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                Console.err("error: cannot write \(output): \(error.localizedDescription) — check the folder exists and is writable")
                throw ExitCode(2)
            }
            Console.err("wrote session \(session) to \(output) (\(format.rawValue))")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a session exported with --format jsonl into the database.")

        @Argument(help: "The .jsonl file.") var file: String
        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try store.open()
            do {
                let id = try SessionArchive.importFile(file, into: store)
                let s = try store.session(id)
                Console.out("imported \(file) as session \(id): \(s.cells) cells, \(s.calls) calls")
            } catch let e as SessionArchive.ImportError {
                Console.err("error: \(e)")
                throw ExitCode(2)
            }
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-execute a recorded session into a new one and compare each cell's output with the recording.")

        @Argument(help: "The session id (see `archon sessions`).") var session: Int64
        @Flag(name: .long, help: "Serve every model call from the recording: no network, no local model.")
        var offline = false
        @Flag(name: .long, help: "Let commands that write files (export archon …) write them again; by default a replay reports their recorded result.")
        var writeFiles = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try store.open()
            let runner = SessionRunner(store: store, kind: "replay", title: "replay of session \(session)\(offline ? " (offline)" : "")")
            let interpreter = runner.interpreter
            let (session, offline, writeFiles) = (self.session, self.offline, self.writeFiles)
            Blocking.run { await interpreter.setReplayWritesFiles(writeFiles) }
            let outcome: Result<[ReplayedCell], Error> = Blocking.run(cancellable: true) {
                do {
                    return .success(try await Replayer.replay(store: store, session: session, into: interpreter, offline: offline) { c in
                        Console.out(Console.bold("[\(c.number)] archon> ") + c.source)
                        Console.render(c.replayed)
                        if let path = c.replayed.skippedWrite {
                            Console.out(Console.dim("replay: \(path) not written — its recorded result is shown (--write-files writes it)"))
                        }
                        if !c.identical { Console.out(Console.red("≠ differs from the recording — " + Replayer.firstDifference(c.recorded, c.replayed.text))) }
                    })
                } catch { return .failure(error) }
            }
            runner.finish()
            switch outcome {
            case let .failure(error):
                Console.err("error: \(error)")
                throw ExitCode(2)
            case let .success(cells):
                Console.out(Replayer.summary(cells, from: session, as: interpreter.sessionID, offline: offline))
                if cells.contains(where: { !$0.identical }) { throw ExitCode(1) }
            }
        }
    }
}
