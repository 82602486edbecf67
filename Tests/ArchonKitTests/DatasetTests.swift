// The bundled benchmarks load with their real sizes; slices select what they say.

import ArchonKit
import ArchonTestSupport
import XCTest

final class DatasetTests: XCTestCase {
    let root = repositoryRoot.appendingPathComponent("datasets")

    func testEveryBundledDatasetLoadsWithItsSize() throws {
        let expected = ["mt_bench": 80, "arena_hard": 500, "alpaca_eval": 805, "mixeval_hard": 1000, "math500": 311,
                        "aime": 45, "humaneval": 164, "mbpp": 500]
        for name in DatasetRegistry.names {
            let d = try DatasetRegistry.load(name, root: root)
            XCTAssertEqual(d.items.count, expected[name], name)
            XCTAssertTrue(d.items.allSatisfy { !($0.turns.first ?? "").isEmpty }, "\(name) has an empty prompt")
        }
        let mt = try DatasetRegistry.load("mt_bench", root: root).items
        XCTAssertTrue(mt.allSatisfy { $0.turns.count == 2 })
        XCTAssertEqual(mt.filter { $0.reference != nil }.count, 30)
        XCTAssertEqual(Set(mt.map(\.category)).count, 8)
        let mix = try DatasetRegistry.load("mixeval_hard", root: root).items
        XCTAssertEqual(mix.filter { $0.options != nil }.count, 500)
        XCTAssertTrue(mix.allSatisfy { !($0.targets ?? []).isEmpty })
        let he = try DatasetRegistry.load("humaneval", root: root).items
        XCTAssertTrue(he.allSatisfy { $0.tests != nil && $0.entryPoint != nil && $0.reference != nil })
        XCTAssertEqual(he.first?.id, "HumanEval/0")
        XCTAssertTrue(try DatasetRegistry.load("alpaca_eval", root: root).items.allSatisfy { $0.baseline != nil })
        XCTAssertTrue(try DatasetRegistry.load("aime", root: root).items.allSatisfy { $0.reference != nil })
        XCTAssertThrowsError(try DatasetRegistry.load("math50", root: root)) { e in
            XCTAssertEqual("\(e)", "no dataset 'math50' — did you mean 'math500'?")
        }
    }

    func testSlices() throws {
        let items = try DatasetRegistry.load("mt_bench", root: root).items
        XCTAssertEqual(try Slice.parse("math500[0:20]"), Slice(dataset: "math500", range: 0..<20))
        XCTAssertEqual(try Slice.parse("mt_bench[category=math]").category, "math")
        XCTAssertEqual(try Slice.parse("arena_hard[sample=50,seed=1]"), Slice(dataset: "arena_hard", sample: 50, seed: 1))
        XCTAssertEqual(try Slice.parse("mt_bench").dataset, "mt_bench")
        XCTAssertEqual(try Slice.parse("mt_bench[category=math]").apply(items).count, 10)
        XCTAssertEqual(try Slice.parse("mt_bench[category=math,0:3]").apply(items).map(\.id), ["111", "112", "113"])
        XCTAssertEqual(try Slice.parse("mt_bench[75:]").apply(items).count, 5)
        let a = try Slice.parse("mt_bench[sample=10,seed=1]").apply(items).map(\.id)
        XCTAssertEqual(a, try Slice.parse("mt_bench[sample=10,seed=1]").apply(items).map(\.id), "a seed gives the same sample")
        XCTAssertNotEqual(a, try Slice.parse("mt_bench[sample=10,seed=2]").apply(items).map(\.id))
        XCTAssertEqual(a.count, 10)
        XCTAssertEqual(a, a.sorted { Int($0)! < Int($1)! }, "a sample keeps dataset order")
        let bad: [(String, String)] = [
            ("x[0:20", "missing its closing ]"), ("x[20:10]", "is not a range"), ("x[sample=0]", "sample takes a whole number ≥ 1"),
            ("x[categroy=math]", "did you mean 'category'?"),
        ]
        for (text, expected) in bad {
            XCTAssertThrowsError(try Slice.parse(text)) { XCTAssertTrue("\($0)".contains(expected), "\(text): \($0)") }
        }
        XCTAssertThrowsError(try Slice.parse("mt_bench[category=mathh]").apply(items)) { e in
            XCTAssertTrue("\(e)".contains("did you mean 'math'?"), "\(e)")
        }
    }

    func testDatasetsCommand() async throws {
        let dir = TempDir()
        defer { dir.remove() }
        let i = try Interpreter(store: try SessionStore(path: dir.path("d.sqlite")), kind: "test",
                                environment: ["ARCHON_DATASETS": root.path])
        let list = await i.execute("datasets")
        XCTAssertEqual(list.status, .ok, list.output)
        XCTAssertTrue(list.output.contains("humaneval     164"), list.output)
        let slice = await i.execute("datasets mt_bench[category=math,0:2]")
        XCTAssertTrue(slice.output.hasPrefix("mt_bench[0:2,category=math]: 2 of 80 items"), slice.output)
        let typo = await i.execute("datasets mt_bench[0:]]")
        XCTAssertEqual(typo.status, .error)
    }
}
