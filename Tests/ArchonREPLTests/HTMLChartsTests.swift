// The HTML notebook's ablation charts in a real headless browser (Debian's chromium): the page loads
// without console errors and fetches nothing, the charts hold one mark per variant and per layer,
// and a screenshot is not blank.

import ArchonKit
import ArchonTestSupport
import Foundation
import XCTest

final class HTMLChartsTests: XCTestCase {
    static let chromium = "/usr/bin/chromium"

    func testAblationChartsRenderInAHeadlessBrowser() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            return XCTFail("\(Self.chromium) is missing — scripts/setup.sh installs it (apt-get install chromium)")
        }
        let dir = TempDir()
        defer { dir.remove() }
        let server = try FakeServer()
        defer { server.stop() }
        let db = dir.path("charts.sqlite"), page = dir.path("notebook.html"), shot = dir.path("shot.png")
        let run = try archon(["--db", db], stdin: """
            model s = compatible/echo base_url=\(server.baseURL("ok"))
            arch a = gen(s, samples=4) | rank(s, top_k=2) | fuse(s)
            ablate a math500[0:6]

            """)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let export = try archon(["export", "1", "--format", "html", "-o", page, "--db", db])
        XCTAssertEqual(export.status, 0, export.stdout + export.stderr)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertFalse(html.contains("<script"), "no scripts")
        XCTAssertNil(html.firstMatch(of: /(src|href)\s*=\s*"https?:/), "nothing fetched from elsewhere")

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
        let dom = try runProcess(Self.chromium, flags + ["--dump-dom", "file://" + page], environment: ["HOME": dir.path(".")])
        XCTAssertEqual(dom.status, 0, dom.stderr)
        let console = dom.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        XCTAssertEqual(console, [], "console messages while loading the page")
        func marks(_ cls: String) -> Int { dom.stdout.components(separatedBy: "class=\"\(cls)\"").count - 1 }
        // The full architecture, a~rank and a~fuse: three variants; three layers diagnosed.
        XCTAssertEqual(marks("bar"), 3, "a score bar per variant")
        XCTAssertEqual(marks("whisker"), 3, "an interval per variant")
        XCTAssertEqual(marks("point"), 3, "a point per variant on the score–cost chart")
        XCTAssertEqual(marks("oracle"), 3, "an oracle bar per layer")
        XCTAssertEqual(marks("final"), 1)
        XCTAssertEqual(dom.stdout.components(separatedBy: "<svg").count - 1, 3, "three charts")

        let capture = try runProcess(Self.chromium, flags + ["--window-size=1000,2400", "--screenshot=" + shot, "file://" + page],
                                     environment: ["HOME": dir.path(".")])
        XCTAssertEqual(capture.status, 0, capture.stderr)
        // Not blank: the decoded pixels take many values (a blank page decodes to one or two).
        let check = try runProcess("/usr/bin/python3", ["-c", """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            pos, idat, size = 8, b'', None
            while pos < len(data):
                n, kind = struct.unpack('>I4s', data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + n]
                if kind == b'IHDR': size = struct.unpack('>II', body[:8])
                if kind == b'IDAT': idat += body
                pos += 12 + n
            raw = zlib.decompress(idat)
            print(size[0], size[1], len(set(raw)))
            """, shot])
        XCTAssertEqual(check.status, 0, check.stderr)
        let parts = check.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(parts.count, 3, check.stdout)
        XCTAssertEqual(parts.first, 1000)
        XCTAssertGreaterThan(parts.last ?? 0, 50, "the screenshot has content")
    }
}
