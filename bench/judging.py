"""Benchmark: a judged bench — AlpacaEval items answered by a model and judged in both orders —
against a local server that answers after a fixed latency (default 200 ms), with the default
concurrency of 64 calls; the judge (the fake server's judge mode) answers at once. Each item needs
one answer, then two judge calls made together. Ideal: ceil(items / 64) x latency; the reference
implementation makes one call at a time.

Uses the built archon binary and the fake server from the tests. Prints figures; asserts nothing.
Usage: python3 bench/judging.py [ITEMS] [LATENCY_MS]
"""
import math
import os
import re
import subprocess
import sys
import tempfile

from common import FakeServer, archon


def main():
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    latency = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    exe, kind = archon()
    with FakeServer() as server:
        url = server.url(f"slow-{latency}")
        judge = server.url("judge")
        lines = [f"model f = compatible/echo base_url={url}", f"model j = compatible/judge base_url={judge}",
                 "set cache off", f"bench f alpaca_eval[0:{items}] judge=j"]
        db = os.path.join(tempfile.mkdtemp(), "bench.sqlite")
        out = subprocess.run([exe, "--db", db], input="\n".join(lines) + "\n", capture_output=True, text=True).stdout
    m = re.search(r"^\[\d+\] bench f · pairwise scorer · judge j · (\d+) scored now.* · (\d+) calls .* · ([\d.]+) (ms|s)$", out, re.M)
    if not m:
        sys.exit("no bench footer found in:\n" + out)
    seconds = float(m.group(3)) / (1000 if m.group(4) == "ms" else 1)
    calls = int(m.group(2))
    print(f"judged bench: alpaca_eval[0:{items}], answers at {latency} ms latency, judge at ~0 ms, {kind} build")
    print(f"{m.group(1)} items, {calls} calls in {seconds:.2f} s = {items / seconds:.0f} items/s")
    ideal = math.ceil(items / 64) * latency / 1000
    print(f"ideal with 64 calls in flight: {ideal:.2f} s (answers only; the judge answers at once); "
          f"one call at a time: {items * latency / 1000:.0f} s")


if __name__ == "__main__":
    main()
