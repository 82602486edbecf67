"""Benchmark: the provider layer under load, through the real archon binary and its SQLite store.

1. 1,000 calls at concurrency 64 against a server answering after 200 ms.
   Target: wall time <= 1.15 x (1000 x 0.2 s / 64) = 3.59 s.
2. 1,000 calls one at a time against a 0 ms server: time per call, including its SQLite write
   and the Python test server's own handling. Target: overhead <= 1 ms per call.
The calls are the samples of one generator (`gen(f, samples=1000)`), so every call is recorded.
Usage: python3 bench/providers.py   (build first; the newest of release/debug is used)
"""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

from common import FakeServer, archon


def run(exe, base, concurrency, calls):
    db = os.path.join(tempfile.mkdtemp(), "bench.sqlite")
    lines = [f"model f = compatible/echo base_url={base} max_tokens=8", f"set concurrency {concurrency}",
             f"arch load = gen(f, samples={calls})", 'ask load "ping"']
    start = time.perf_counter()
    out = subprocess.run([exe, "--db", db], input="\n".join(lines) + "\n", capture_output=True, text=True)
    wall = time.perf_counter() - start
    m = re.search(r"^\[4\] load · 1 layers · (\d+) calls · .* · ([\d.]+) (ms|s)$", out.stdout, re.M)
    if not m:
        sys.exit("no footer in output:\n" + out.stdout[-2000:] + out.stderr[-2000:])
    cell = float(m.group(2)) / (1000 if m.group(3) == "ms" else 1)
    rows = sqlite3.connect(db).execute("SELECT COUNT(*), SUM(error IS NOT NULL) FROM call").fetchone()
    return cell, wall, rows


def main():
    exe, kind = archon()
    with FakeServer() as server:
        print(f"archon {kind} build")
        cell, wall, rows = run(exe, server.url("slow-200"), 64, 1000)
        target = 1.15 * 1000 * 0.2 / 64
        print(f"1000 calls, concurrency 64, 200 ms server: cell {cell:.2f} s (process {wall:.2f} s); "
              f"ideal {1000 * 0.2 / 64:.2f} s, target <= {target:.2f} s; {rows[0]} calls recorded, {rows[1] or 0} errors")
        cell, wall, rows = run(exe, server.url("ok"), 1, 1000)
        print(f"1000 calls, one at a time, 0 ms server: {cell / 1000 * 1000:.2f} ms per call including the SQLite write "
              f"and the Python server's handling; {rows[0]} calls recorded")
        cell, wall, rows = run(exe, server.url("ok"), 64, 1000)
        print(f"1000 calls, concurrency 64, 0 ms server: {cell / 1000 * 1000:.2f} ms per call of wall time")


if __name__ == "__main__":
    main()
