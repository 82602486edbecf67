// `ablate` and `diagnose` through the built binary against the fake server (whose answers do not
// matter here: the variants, their names, the calls paid and the statistics' form do).

import ArchonKit
import ArchonTestSupport
import Foundation
import XCTest

final class AblationREPLTests: XCTestCase {
    var dir: TempDir!
    override func setUp() { dir = TempDir() }
    override func tearDown() { dir.remove() }

    func testTheIssuesLinesOnAFakeServer() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let db = dir.path("ablate.sqlite"), exported = dir.path("v.json")
        let input = """
            model s = compatible/echo base_url=\(server.baseURL("ok"))
            model t = compatible/echo base_url=\(server.baseURL("counter"))
            arch a = gen(s, samples=4) | rank(s, top_k=2) | fuse(s)
            ablate a math500[0:20]
            ablate a math500[0:20] drop rank
            ablate a math500[0:20] replace 3 with fuse(t)
            ablate a math500[0:20] vary samples=1,2,4
            diagnose a math500[0:20]
            explain a~rank
            export archon a~3.fuse "\(exported)"
            compare a~samples1 a math500[0:20]
            bench a~fuse math500[0:20]
            ablate a math500[0:20] drop crit
            ablate s math500[0:20]
            arch b~x = gen(s)

            """
        let r = try archon(["--db", db], stdin: input)
        let out = r.stdout
        XCTAssertEqual(r.status, 1, "the last three lines are errors:\n" + out + r.stderr)
        // The default study: the full architecture, each removable layer; the generator's removal refused with the rule.
        XCTAssertTrue(out.contains("ablation of a on math500[0:20] · math scorer · 3 variant(s) on the same items"), out)
        XCTAssertTrue(out.contains("  a~rank = gen(s, samples=4) | fuse(s)   (without layer 2 (Ranker))"), out)
        XCTAssertTrue(out.contains("skipped a~gen (without layer 1 (Generator)): layer 1 is a Ranker layer"), out)
        // Paid once: full 6 calls an item; a~rank pays its fuser (other input), a~fuse nothing.
        XCTAssertTrue(out.contains("[4] ablate a · 3 variants on 20 items · 140 calls paid, 180 from the cache"), out)
        XCTAssertTrue(out.contains("p: exact McNemar against the full architecture, two-sided; Holm-corrected over 2 variant(s)."), out)
        XCTAssertTrue(out.contains("diagnosis of a on 20 item(s)"), out)
        // Named changes; a study already stored is resumed, not paid again.
        XCTAssertTrue(out.contains("[5] ablate a · 2 variants on 20 items · 0 calls paid, 0 from the cache"), out)
        XCTAssertTrue(out.contains("  a~3.fuse = gen(s, samples=4) | rank(s, top_k=2) | fuse(t)   (layer 3 → fuse(t))"), out)
        XCTAssertTrue(out.contains("[6] ablate a · 2 variants on 20 items · 20 calls paid, 100 from the cache"), out)
        XCTAssertTrue(out.contains("skipped a~samples4 (samples=4): the same as the full architecture"), out)
        XCTAssertTrue(out.contains("[7] ablate a · 3 variants on 20 items · 40 calls paid, 80 from the cache"), out)
        XCTAssertTrue(out.contains("[8] diagnose a · 0 scored now, 20 resumed · 0 calls"), out)
        // Variant names work in the other commands.
        XCTAssertTrue(out.contains("a~rank: 2 layers · ≤ 5 calls per query"), out)
        XCTAssertTrue(out.contains("wrote a~3.fuse to \(exported) (Archon JSON, 3 layers)"), out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: exported))
        XCTAssertTrue(out.contains("difference a~samples1 − a: "), out)
        XCTAssertTrue(out.contains("[12] bench a~fuse · math scorer · 0 scored now, 20 resumed"), out)
        XCTAssertTrue(out.contains("error: drop crit: not a layer number, technique or instance — e.g. drop 2, drop rank, drop gen2 (did you mean 'critic'?)"), out)
        XCTAssertTrue(out.contains("error: ablate studies an architecture's parts — 's' is a model"), out)
        XCTAssertTrue(out.contains("error: 'b~x' is not a valid name"), out)
        let stats = try server.stats()
        XCTAssertEqual(stats.requests, 140 + 20 + 40, "the server saw only the paid calls")
    }
}
