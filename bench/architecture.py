"""Benchmark: one query through "10 samples -> rank top 5 -> critic -> fuser" against a local
server that answers after a fixed latency (default 200 ms). Target: <= 1.15 x 4 x latency.

Uses the built archon binary and the fake server from the tests. Prints figures; asserts nothing.
Usage: python3 bench/architecture.py [LATENCY_MS] [RUNS]
"""
import os
import re
import subprocess
import sys
import tempfile

from common import FakeServer, archon


def main():
    latency = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    exe, kind = archon()
    with FakeServer() as server:
        lines = [f"model f = compatible/echo base_url={server.url(f'slow-{latency}')}", "set cache off",
                 "arch a = gen(f, samples=10) | rank(f, top_k=5) | critic(f) | fuse(f)"]
        lines += ['ask a "Why is the sky blue?"'] * runs
        db = os.path.join(tempfile.mkdtemp(), "bench.sqlite")
        out = subprocess.run([exe, "--db", db], input="\n".join(lines) + "\n", capture_output=True, text=True).stdout
    times = []
    for m in re.finditer(r"^\[\d+\] a · 4 layers · (\d+) calls · .* · ([\d.]+) (ms|s)$", out, re.M):
        v = float(m.group(2))
        times.append(v / 1000 if m.group(3) == "ms" else v)
    if not times:
        sys.exit("no timings found in:\n" + out)
    target = 1.15 * 4 * latency / 1000
    print(f"architecture 10 samples -> rank top 5 -> critic -> fuser, server latency {latency} ms, {kind} build")
    print(f"per query: {', '.join(f'{t*1000:.0f} ms' for t in times)}")
    print(f"best {min(times)*1000:.0f} ms, median {sorted(times)[len(times)//2]*1000:.0f} ms; target <= {target*1000:.0f} ms "
          f"(4 layers x {latency} ms x 1.15); sequential calls would take {17*latency} ms")


if __name__ == "__main__":
    main()
