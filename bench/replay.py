"""Benchmark: offline replay of a recorded session of 1,000+ model calls. Target: >= 5,000 calls/s.

Records a session against the fake server (one generator layer of 1,000 samples plus 200 single
asks), stops the server, then times `archon replay SESSION --offline`. Prints figures.
Usage: python3 bench/replay.py   (the newest of the release/debug builds is used)
"""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

from common import FakeServer, archon


def main():
    exe, kind = archon()
    db = os.path.join(tempfile.mkdtemp(), "replay.sqlite")
    with FakeServer() as server:
        lines = [f"model f = compatible/echo base_url={server.url('ok')}", "arch wide = gen(f, samples=1000)",
                 'ask wide "replay me"'] + [f'ask f "question {i}"' for i in range(200)]
        subprocess.run([exe, "--db", db], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    calls = sqlite3.connect(db).execute("SELECT COUNT(*) FROM call WHERE sessionId = 1").fetchone()[0]
    start = time.perf_counter()
    out = subprocess.run([exe, "replay", "1", "--offline", "--db", db], capture_output=True, text=True)
    wall = time.perf_counter() - start
    summary = out.stdout.strip().splitlines()[-1]
    cells = sqlite3.connect(db).execute("SELECT SUM(seconds) FROM cell WHERE sessionId = 1").fetchone()[0]
    print(f"archon {kind} build; {summary}")
    print(f"{calls} recorded calls replayed offline in {wall:.2f} s for the whole process "
          f"(start, reading the recording, writing a new session): {calls / wall:,.0f} calls/s; target >= 5,000 calls/s")
    print(f"(the recording itself took {cells:.2f} s of cell time against a 0 ms local server)")
    if out.returncode != 0:
        sys.exit("replay reported differences:\n" + out.stdout[-2000:])


if __name__ == "__main__":
    main()
