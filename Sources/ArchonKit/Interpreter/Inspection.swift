// Commands that show what is defined and recorded: models, archs, datasets, results, explain, show.

import Foundation

extension Interpreter {
    func listResults(_ filter: String?, number: Int) throws -> CellResult {
        return CellResult(number: number, output: try ResultsReport.render(store, dataset: filter))
    }

    func listDatasets(_ slice: Slice?, number: Int) throws -> CellResult {
        let root: URL
        do { root = try DatasetRegistry.root(environment: environment) } catch { throw ScriptError("\(error)") }
        guard let slice else {
            var rows: [[String]] = []
            for e in DatasetRegistry.entries {
                let n = (try? DatasetRegistry.load(e.name, root: root).items.count).map(String.init) ?? "unreadable"
                rows.append([e.name, n, e.scorer.rawValue, e.source])
            }
            for d in workspace.datasets { rows.append([d.name, String(d.items.count), d.scorer.rawValue, "yours: \(d.source)"]) }
            return CellResult(number: number, output: Formatting.table(["dataset", "items", "scorer", "source"], rows)
                              + "\n(provenance and licences: \(root.path)/SOURCES.md)")
        }
        let dataset: Dataset
        if let mine = workspace.dataset(slice.dataset) { dataset = mine } else {
            do { dataset = try DatasetRegistry.load(slice.dataset, root: root) } catch { throw ScriptError("\(error)") }
        }
        let items = try slice.apply(dataset.items)
        var lines = ["\(slice): \(items.count) of \(dataset.items.count) items (scorer: \(dataset.scorer))"]
        for item in items.prefix(10) {
            lines.append("  \(item.id) [\(item.category)] \(Formatting.snippet(item.turns.first ?? "", 70))")
        }
        if items.count > 10 { lines.append("  … \(items.count - 10) more") }
        return CellResult(number: number, output: lines.joined(separator: "\n"))
    }

    func listArchitectures(number: Int) -> CellResult {
        guard !workspace.architectures.isEmpty else {
            return CellResult(number: number, output: "no architectures defined — e.g. arch rf = gen(tiny, samples=3) | rank(tiny, top_k=1)")
        }
        return CellResult(number: number, output: workspace.architectures.map(\.notation).joined(separator: "\n"))
    }

    func explain(_ topic: String, number: Int) throws -> CellResult {
        if topic == "techniques" { return CellResult(number: number, output: TechniqueGuide.catalogue) }
        if let a = workspace.architecture(topic) { return CellResult(number: number, output: TechniqueGuide.explain(a)) }
        if let k = TechniqueKind.named(topic) { return CellResult(number: number, output: TechniqueGuide.explain(k)) }
        if let m = workspace.model(topic) {
            return CellResult(number: number, output: "\(m.name) is a model: \(m.definition) — explain takes a technique or an architecture")
        }
        throw ScriptError("nothing named '\(topic)' to explain" +
                          (Suggestion.closest(to: topic, in: TechniqueKind.allNames + workspace.architectures.map(\.name) + ["techniques"])
                            .map { " — did you mean '\($0)'?" } ?? " — try explain techniques"))
    }

    func listModels(number: Int) -> CellResult {
        guard !workspace.models.isEmpty else {
            return CellResult(number: number, output: "no models defined — e.g. model tiny = local/smollm2 temperature=0")
        }
        let provider = OpenAICompatibleProvider()
        let env = ProcessInfo.processInfo.environment
        func endpoint(_ m: ModelSpec) -> String {
            m.preset?.wire == .openAI ? provider.endpoint(for: m) : (ProviderPreset.baseURL(for: m, environment: env) ?? "(not callable)")
        }
        let rows = workspace.models.map { m -> [String] in
            let key: String = m.keyEnv.map { (env[$0] ?? "").isEmpty ? "\($0) not set" : "\($0) set" } ?? "no key needed"
            let params = m.definition.split(separator: " ").dropFirst(4).joined(separator: " ")
            let price = client.pricing.price(for: m).map { "$\(Formatting.number($0.input)) / $\(Formatting.number($0.output))" } ?? "unknown"
            return [m.name, m.reference, endpoint(m), params.isEmpty ? "-" : params, key, price]
        }
        return CellResult(number: number, output: Formatting.table(["name", "model", "endpoint", "parameters", "key", "USD per 1M in / out"], rows))
    }

    func showCell(_ cell: Int, number: Int) throws -> CellResult {
        guard cell < number else {
            throw ScriptError(cell == number ? "cell \(cell) is this command — show an earlier cell (1–\(number - 1))"
                                             : "there is no cell \(cell) yet — this is cell \(number)", source: "show \(cell)",
                              start: 5, end: 5 + String(cell).count)
        }
        let row = try store.cell(session: sessionID, number: cell)
        return CellResult(number: number, output: SessionReport.cell(row, calls: try store.calls(cell: row.id!),
                                                                    layers: LayerTrace.decode(try store.layers(cell: row.id!)),
                                                                    items: try store.benchItems(cell: row.id!)))
    }
}
