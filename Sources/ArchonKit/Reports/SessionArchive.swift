// A whole session as JSON lines: written by `archon export --format jsonl`, read by `archon import`.

import Foundation
import GRDB

/// The lossless JSONL form of a session: a header line, then one line per cell (with its layer
/// traces), one per figure a cell drew (ablation and search charts), one per bench run evaluated in
/// it, one per call and one per scored benchmark item (each tied to its cell by number, calls and
/// items to their run by key). Row ids are not part of it, so a
/// session exported, imported elsewhere and exported again gives the same lines.
public enum SessionArchive {
    /// 2 added benchmark items, 3 bench runs with calls and costs tied to items, 4 the cells' figures;
    /// older files still import (their runs are derived from their bench lines; they have no figures).
    public static let format = 4

    struct Header: Codable {
        var kind = "archon-session"
        var format: Int
        var startedAt: Date
        var endedAt: Date?
        var sessionKind: String
        var title: String?
    }

    struct CellLine: Codable {
        var kind = "cell"
        var number: Int
        var source: String
        var status: String
        var output: String
        var startedAt: Date
        var finishedAt: Date?
        var seconds: Double?
        var layers: [LayerTrace]
    }

    /// A chart's data as the cell kept it (`figure`: ablation, search), so an imported session's
    /// notebook draws the same charts.
    struct FigureLine: Codable {
        var kind = "figure"
        var cell: Int
        var figure: String
        var data: String
    }

    struct CallLine: Codable {
        var kind = "call"
        var cell: Int?
        var modelName: String
        var provider: String
        var model: String
        var request: String
        var response: String?
        var content: String?
        var promptTokens: Int?
        var completionTokens: Int?
        var latency: Double
        var error: String?
        var attempts: Int
        var layer: Int?
        var technique: String?
        var sampleIndex: Int
        var startedAt: Date
        var cached: Bool
        var cost: Double?
        var attemptLog: String?
        var cacheKey: String?
        var itemId: String?
        var benchRun: String?
    }

    struct BenchRunLine: Codable {
        var kind = "benchRun"
        var cell: Int?
        var key: String
        var label: String
        var targetKind: String
        var target: String
        var dataset: String
        var scorer: String?
        var title: String
        var spec: String
        var createdAt: Date
        var updatedAt: Date
    }

    struct BenchItemLine: Codable {
        var kind = "benchItem"
        var cell: Int?
        var benchKey: String
        var itemId: String
        var category: String
        var answer: String
        var score: Double
        var detail: String
        var judgement: String?
        var calls: Int?
        var promptTokens: Int?
        var completionTokens: Int?
        var cost: Double?
        var unpricedCalls: Int?
        var seconds: Double?
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .deferredToDate
        return e
    }

    /// The session as JSON lines (ending with a newline).
    public static func export(_ store: SessionStore, session id: Int64) throws -> String {
        let row = try store.sessionRow(id)
        let cells = try store.cells(session: id)
        let calls = try store.calls(session: id)
        let numbers = Dictionary(uniqueKeysWithValues: cells.map { ($0.id!, $0.number) })
        var lines: [Data] = []
        lines.append(try encoder.encode(Header(format: format, startedAt: row.startedAt, endedAt: row.endedAt,
                                               sessionKind: row.kind, title: row.title)))
        for c in cells {
            lines.append(try encoder.encode(CellLine(number: c.number, source: c.source, status: c.status, output: c.output,
                                                     startedAt: c.startedAt, finishedAt: c.finishedAt, seconds: c.seconds,
                                                     layers: LayerTrace.decode(try store.layers(cell: c.id!)))))
        }
        let figures = try store.figures(session: id)
        for c in cells {
            for f in figures[c.id!] ?? [] {
                lines.append(try encoder.encode(FigureLine(cell: c.number, figure: f.kind, data: f.data)))
            }
        }
        let items = try store.benchItems(session: id)
        let runs = try store.benchRuns()
        let runIDs = Set(items.compactMap(\.runId) + calls.compactMap(\.benchRunId))
        let keys = Dictionary(uniqueKeysWithValues: runs.map { ($0.id!, $0.key) })
        for r in runs where runIDs.contains(r.id!) {
            lines.append(try encoder.encode(BenchRunLine(cell: r.cellId.flatMap { numbers[$0] }, key: r.key, label: r.label,
                                                         targetKind: r.targetKind, target: r.target, dataset: r.dataset, scorer: r.scorer,
                                                         title: r.title, spec: r.spec, createdAt: r.createdAt, updatedAt: r.updatedAt)))
        }
        for k in calls {
            lines.append(try encoder.encode(CallLine(
                cell: k.cellId.flatMap { numbers[$0] }, modelName: k.modelName, provider: k.provider, model: k.model,
                request: k.request, response: k.response, content: k.content, promptTokens: k.promptTokens,
                completionTokens: k.completionTokens, latency: k.latency, error: k.error, attempts: k.attempts,
                layer: k.layer, technique: k.technique, sampleIndex: k.sampleIndex, startedAt: k.startedAt,
                cached: k.cached, cost: k.cost, attemptLog: k.attemptLog, cacheKey: k.cacheKey,
                itemId: k.itemId, benchRun: k.benchRunId.flatMap { keys[$0] })))
        }
        for b in items {
            lines.append(try encoder.encode(BenchItemLine(cell: b.cellId.flatMap { numbers[$0] }, benchKey: b.benchKey, itemId: b.itemId,
                                                          category: b.category, answer: b.answer, score: b.score, detail: b.detail,
                                                          judgement: b.judgement, calls: b.calls, promptTokens: b.promptTokens,
                                                          completionTokens: b.completionTokens, cost: b.cost,
                                                          unpricedCalls: b.unpricedCalls, seconds: b.seconds)))
        }
        return lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") + "\n"
    }

    /// Why a file could not be imported: the line and the problem.
    public struct ImportError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var problem: String
        public var description: String { "\(file):\(line): \(problem)" }
    }

    /// Reads a JSONL session into `store` as a new session (one transaction: all or nothing).
    public static func importFile(_ path: String, into store: SessionStore) throws -> Int64 {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: path, line: 0, problem: "cannot read the file — check the path")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first, let header = try? decoder.decode(Header.self, from: Data(first.utf8)),
              header.kind == "archon-session" else {
            throw ImportError(file: path, line: 1, problem: "not an archon session export (no archon-session header) — export one with archon export SESSION --format jsonl")
        }
        guard header.format <= format else {
            throw ImportError(file: path, line: 1, problem: "written by a newer archon (format \(header.format)) — use a newer archon")
        }
        var cells: [CellLine] = []
        var calls: [CallLine] = []
        var items: [BenchItemLine] = []
        var runs: [BenchRunLine] = []
        var figures: [FigureLine] = []
        for (i, line) in lines.enumerated().dropFirst() {
            let d = Data(line.utf8)
            do {
                let kind = (try JSONSerialization.jsonObject(with: d) as? [String: Any])?["kind"] as? String
                switch kind {
                case "cell": cells.append(try decoder.decode(CellLine.self, from: d))
                case "call": calls.append(try decoder.decode(CallLine.self, from: d))
                case "benchItem": items.append(try decoder.decode(BenchItemLine.self, from: d))
                case "benchRun": runs.append(try decoder.decode(BenchRunLine.self, from: d))
                case "figure":
                    let f = try decoder.decode(FigureLine.self, from: d)
                    guard cells.contains(where: { $0.number == f.cell }) else {
                        throw ImportError(file: path, line: i + 1, problem: "a figure of cell \(f.cell), which no earlier cell line has — a figure follows its cell")
                    }
                    figures.append(f)
                default: throw ImportError(file: path, line: i + 1, problem: "unknown line kind '\(kind ?? "none")'")
                }
            } catch let e as ImportError {
                throw e
            } catch {
                throw ImportError(file: path, line: i + 1, problem: "not a valid cell, figure, call, benchRun or benchItem line (\(error))")
            }
        }
        return try store.importSession(header: (header.startedAt, header.endedAt, header.sessionKind, header.title),
                                       cells: cells.map { ($0.number, $0.source, $0.status, $0.output, $0.startedAt, $0.finishedAt, $0.seconds, $0.layers.map(\.stored)) },
                                       calls: calls.map { k in
                                           (k.cell, CallRow(id: nil, sessionId: 0, cellId: nil, modelName: k.modelName, provider: k.provider,
                                                            model: k.model, request: k.request, response: k.response, content: k.content,
                                                            promptTokens: k.promptTokens, completionTokens: k.completionTokens,
                                                            latency: k.latency, error: k.error, attempts: k.attempts, layer: k.layer,
                                                            technique: k.technique, sampleIndex: k.sampleIndex, startedAt: k.startedAt,
                                                            cached: k.cached, cost: k.cost, attemptLog: k.attemptLog, cacheKey: k.cacheKey,
                                                            itemId: k.itemId), k.benchRun)
                                       },
                                       benchItems: items.map { b in
                                           (b.cell, BenchItemRow(id: nil, benchKey: b.benchKey, sessionId: 0, cellId: nil, itemId: b.itemId,
                                                                 category: b.category, answer: b.answer, score: b.score, detail: b.detail,
                                                                 judgement: b.judgement, calls: b.calls, promptTokens: b.promptTokens,
                                                                 completionTokens: b.completionTokens, cost: b.cost,
                                                                 unpricedCalls: b.unpricedCalls, seconds: b.seconds))
                                       },
                                       benchRuns: runs.map { r in
                                           // The cell's number stands in its id until the cells are written.
                                           BenchRunRow(id: nil, key: r.key, label: r.label, targetKind: r.targetKind, target: r.target,
                                                       dataset: r.dataset, scorer: r.scorer, title: r.title, spec: r.spec,
                                                       createdAt: r.createdAt, updatedAt: r.updatedAt, sessionId: nil, cellId: r.cell.map(Int64.init))
                                       },
                                       figures: figures.map { ($0.cell, $0.figure, $0.data) })
    }
}
