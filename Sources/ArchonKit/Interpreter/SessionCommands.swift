// Commands that reach other cells and sessions: replay, rerun, fork.

import Foundation

extension Interpreter {
    func replaySession(_ session: Int64, number: Int) async throws -> CellResult {
        let replay = try Interpreter(store: store, kind: "replay", title: "replay of session \(session)", localServer: localServer)
        let cells: [ReplayedCell]
        do { cells = try await Replayer.replay(store: store, session: session, into: replay, offline: true) } catch let e as StoreError {
            throw ScriptError("\(e)")
        }
        await replay.close()
        var text = Replayer.summary(cells, from: session, as: replay.sessionID, offline: true)
        for c in cells where !c.identical { text += "\n  cell \(c.number): " + Replayer.firstDifference(c.recorded, c.replayed.text) }
        return CellResult(number: number, output: text)
    }

    func rerunCell(_ n: Int, number: Int, cell: Int64, onToken: (@Sendable (String) -> Void)?) async throws -> CellResult {
        guard n < number else {
            throw ScriptError("there is no cell \(n) before this one — rerun takes an earlier cell (1–\(number - 1))")
        }
        let source = try store.cell(session: sessionID, number: n).source
        guard let command = try Parser.parse(source) else { return CellResult(number: number) }
        if case .rerun = command { throw ScriptError("cell \(n) is itself a rerun — rerun the cell it names") }
        return try await run(command, number: number, cell: cell, onToken: onToken)
    }

    func forkSession(_ session: Int64, upTo: Int, number: Int) async throws -> CellResult {
        if client.replay != nil {
            throw ScriptError("fork is not run again during a replay — replay or show the forked session instead")
        }
        let existing: [CellRow]
        do { existing = try store.cells(session: session) } catch let e as StoreError { throw ScriptError("\(e)") }
        let last = session == sessionID ? number - 1 : (existing.map(\.number).max() ?? 0)
        guard upTo >= 1, upTo <= last else {
            let range = last == 0 ? "no cells yet" : "cells 1–\(last)"
            throw ScriptError("fork \(session):\(upTo) — session \(session) has \(range)\(session == sessionID ? " before this one" : ""); a fork copies cells that already ran")
        }
        let forked = try Interpreter(store: store, kind: "fork", title: "fork of session \(session) at cell \(upTo)", localServer: localServer)
        let cells: [ReplayedCell]
        do { cells = try await Replayer.replay(store: store, session: session, into: forked, offline: true, upTo: upTo) } catch let e as StoreError {
            throw ScriptError("\(e)")
        }
        let failed = cells.filter { $0.replayed.status != .ok && $0.recorded.hasPrefix("error") == false }
        var result = CellResult(number: number, output: "forked session \(session) at cell \(upTo) into session \(forked.sessionID): \(cells.count) cell(s) replayed offline\(failed.isEmpty ? "" : ", \(failed.count) did not replay cleanly"); continuing live there")
        result.switchTo = forked
        return result
    }
}
