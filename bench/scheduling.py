#!/usr/bin/env python3
"""Scheduling benchmark (issue 11): wall time of one bench against a fixed-latency fake server.

The architecture "10 samples -> rank top 5 -> critic -> fuser" over 40 MixEval-Hard items (17 calls an
item, 680 calls) at `set concurrency` 64, 128 and 1024, against a server that answers every request
after 200 ms; the bounds it is measured against; the server's own floor (a plain client sending the
widest layer's 400 requests at once); and the per-call overhead against a 0 ms server.

Run after the release build: python3 bench/scheduling.py [--binary .build/release/archon]
It prints figures; it asserts nothing (speed targets are benchmarks, not tests).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LATENCY = 0.200
ITEMS = 40
CALLS_PER_ITEM = 10 + 1 + 5 + 1
LAYERS = 4


def start_server():
    p = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests/ArchonTestSupport/fake_openai.py")],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    return p, int(line[1])


def floor(port, n):
    """Wall time for n simultaneous requests from a plain threaded client."""
    body = json.dumps({"model": "echo", "messages": [{"role": "user", "content": "hi"}]}).encode()
    barrier = threading.Barrier(n)
    errors = []

    def one():
        req = urllib.request.Request(f"http://127.0.0.1:{port}/slow-200/v1/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"})
        barrier.wait()
        try:
            urllib.request.urlopen(req, timeout=30).read()
        except Exception as e:  # noqa: BLE001 - reported, not raised
            errors.append(e)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    start = time.monotonic()
    for t in threads:
        t.join()
    return time.monotonic() - start, len(errors)


def bench(binary, port, mode, concurrency):
    """Runs the bench in a fresh database; returns (seconds as the cell reports them, calls)."""
    with tempfile.TemporaryDirectory() as d:
        script = "\n".join([
            f"model m = compatible/echo base_url=http://127.0.0.1:{port}/{mode}/v1 temperature=0.7 seed=1",
            "arch a = gen(m, samples=10) | rank(m, top_k=5) | critic(m) | fuse(m)",
            "set cache off",
            f"set concurrency {concurrency}",
            f"bench a mixeval_hard[0:{ITEMS}]",
        ]) + "\n"
        env = dict(os.environ, ARCHON_DATASETS=os.path.join(ROOT, "datasets"), ARCHON_HISTORY=os.path.join(d, "h"))
        start = time.monotonic()
        out = subprocess.run([binary, "--db", os.path.join(d, "b.sqlite")], input=script, capture_output=True, text=True, env=env)
        outside = time.monotonic() - start
        m = re.search(r"\[\d+\] bench a .*? (\d+) calls .* · ([0-9.]+) (ms|s)\s*$", out.stdout, re.M)
        if not m:
            sys.exit(f"bench did not finish:\n{out.stdout}\n{out.stderr}")
        seconds = float(m.group(2)) / (1000 if m.group(3) == "ms" else 1)
        return seconds, int(m.group(1)), outside, finishes(os.path.join(d, "b.sqlite"))


def finishes(path):
    """When each item's last call ended, seconds after the bench's first call started (None before
    calls were tied to items)."""
    import sqlite3
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT itemId, MIN(julianday(startedAt)) * 86400, MAX(julianday(startedAt) * 86400 + latency) "
                          "FROM call WHERE itemId IS NOT NULL GROUP BY itemId").fetchall()
    except sqlite3.OperationalError:
        return None
    finally:
        pass
    if not rows:
        return None
    start = min(r[1] for r in rows)
    return sorted(r[2] - start for r in rows)


def spread(f):
    if not f:
        return "items' finish times: not recorded by this binary"
    return f"items finished at: first {f[0]:.2f} s, 10th {f[9]:.2f} s, median {f[len(f) // 2]:.2f} s, last {f[-1]:.2f} s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/archon"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    server, port = start_server()
    try:
        widest = ITEMS * 10
        floors = [floor(port, widest) for _ in range(args.rounds)]
        best_floor = min(f[0] for f in floors)
        print(f"server floor: {widest} simultaneous requests at 200 ms from a plain threaded client: "
              f"best {best_floor:.3f} s of {args.rounds} ({', '.join(f'{f[0]:.3f}' for f in floors)}), errors {sum(f[1] for f in floors)}")
        burst = {c: min(floor(port, c)[0] for _ in range(args.rounds)) for c in (40, 64, 128, 200)}
        burst[400] = best_floor
        print("server floor for one round of n requests at once: " + ", ".join(f"{n}: {t:.3f} s" for n, t in sorted(burst.items())))
        total = ITEMS * CALLS_PER_ITEM
        for c in (64, 128, 1024):
            runs = [bench(args.binary, port, "slow-200", c) for _ in range(args.rounds)]
            best = min(r[0] for r in runs)
            calls = runs[0][1]
            if c == 64:
                bound = calls * LATENCY / c
                # Whole rounds of 200 ms: 680/64 needs 11; a schedule of 11 rounds must put every item's
                # fuser call in the last round (only fuser calls have no successor, and the 24 spare
                # slots are all spent there), so a schedule where items finish along the way needs 12.
                rounds = -(-calls // c) + 1
                note = (f"bound calls x 200 ms / 64 = {bound:.3f} s, ratio {best / bound:.2f} (target <= 1.10); "
                        f"{rounds} whole rounds for a streaming schedule = {rounds * LATENCY:.3f} s, ratio {best / (rounds * LATENCY):.2f}; "
                        f"with the server's 64-request round ({burst[64]:.3f} s) {rounds * burst[64]:.3f} s, ratio {best / (rounds * burst[64]):.2f}")
            elif c == 128:
                # The widest layer (400 generator calls) needs ceil(400/128) = 4 rounds of 200 ms at
                # best; then the last items' ranker, critic and fuser follow one after another.
                waves = -(-widest // c)
                bound = waves * LATENCY + (LAYERS - 1) * LATENCY
                work = calls * LATENCY / c
                note = (f"bound max(calls x 200 ms / 128 = {work:.3f} s, {waves} generator waves + 3 dependent layers = {bound:.3f} s)"
                        f" = {max(bound, work):.3f} s, ratio {best / max(bound, work):.2f}; with the server's 128-request round "
                        f"({burst[128]:.3f} s) {7 * burst[128]:.3f} s, ratio {best / (7 * burst[128]):.2f}")
            else:
                bound = LAYERS * LATENCY
                # Every call at once: the layers go 400, 40, 200, 40 requests wide, each a round of the server.
                path = burst[400] + burst[40] + burst[200] + burst[40]
                note = (f"critical path 4 x 200 ms = {bound:.3f} s, ratio {best / bound:.2f} (target <= 1.2); "
                        f"the server's floor along that path (rounds of 400, 40, 200, 40 at once) {path:.3f} s: ratio {best / path:.2f}")
            print(f"concurrency {c}: {calls} calls (expected {total}), bench cell {best:.3f} s best of {args.rounds} "
                  f"({', '.join(f'{r[0]:.3f}' for r in runs)}); process {min(r[2] for r in runs):.3f} s; {note}; "
                  f"{spread(min(runs, key=lambda r: r[0])[3])}")
        for c in (1, 64):
            runs = [bench(args.binary, port, "ok", c) for _ in range(args.rounds)]
            best = min(r[0] for r in runs)
            calls = runs[0][1]
            print(f"0 ms server, concurrency {c}: {calls} calls in {best:.3f} s best of {args.rounds}: "
                  f"{best / calls * 1000:.2f} ms per call (wall / calls, server time included)")
    finally:
        server.stdin.close()
        server.wait(timeout=5)


if __name__ == "__main__":
    main()
