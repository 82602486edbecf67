#!/usr/bin/env python3
"""Ablation cost benchmark (issue 14): what a study pays against benching the architecture alone.

The architecture "8 samples -> rank top 3 -> critic -> fuser" over 50 MixEval-Hard items, against the
fake server at 50 ms, cache on. First `bench a` alone in a fresh database (what one bench pays), then
`ablate a` in another fresh database: the full architecture and its default variants (each layer
removed where the rules allow: a~rank, a~critic, a~fuse; a~gen is refused), which share the
generator layer. Target: the study pays <= 1.3 x the calls of the bench alone.

Run after the release build: python3 bench/ablation.py [--binary .build/release/archon]
It prints figures; it asserts nothing (cost targets are benchmarks, not tests).
"""
import argparse
import os
import re
import subprocess
import tempfile
import time

from common import ROOT, FakeServer, archon

ITEMS = 50


def run(binary, lines):
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, ARCHON_DATASETS=os.path.join(ROOT, "datasets"), ARCHON_HISTORY=os.path.join(d, "h"))
        start = time.monotonic()
        out = subprocess.run([binary, "--db", os.path.join(d, "b.sqlite")], input="\n".join(lines) + "\n",
                             capture_output=True, text=True, env=env)
        return out.stdout + out.stderr, time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=None)
    args = ap.parse_args()
    binary = args.binary or archon()[0]
    with FakeServer() as server:
        setup = [f"model m = compatible/echo base_url={server.url('slow-50')} temperature=0.7 seed=1",
                 "arch a = gen(m, samples=8) | rank(m, top_k=3) | critic(m) | fuse(m)",
                 "set concurrency 64"]
        alone, t_alone = run(binary, setup + [f"bench a mixeval_hard[500:{500 + ITEMS}]"])
        m = re.search(r"\] bench a .*? (\d+) calls", alone)
        if not m:
            raise SystemExit("bench did not finish:\n" + alone)
        bench_calls = int(m.group(1))
        study, t_study = run(binary, setup + [f"ablate a mixeval_hard[500:{500 + ITEMS}]"])
        m = re.search(r"\] ablate a · (\d+) variants on (\d+) items · (\d+) calls paid, (\d+) from the cache", study)
        if not m:
            raise SystemExit("ablate did not finish:\n" + study)
        variants, items, paid, cached = map(int, m.groups())
        print(f"architecture: gen(m, samples=8) | rank(m, top_k=3) | critic(m) | fuse(m), {ITEMS} MixEval-Hard items, fake server at 50 ms")
        print(f"bench alone: {bench_calls} calls ({bench_calls / ITEMS:.1f} per item), {t_alone:.1f} s")
        print(f"ablate ({variants} variants incl. the full architecture, {items} items each): {paid} calls paid, {cached} from the cache, {t_study:.1f} s")
        print(f"paid by the study / paid by the bench alone: {paid / bench_calls:.2f} (target <= 1.30); "
              f"without the cache it would have paid {paid + cached} ({(paid + cached) / bench_calls:.2f} x)")
        skipped = re.findall(r"^skipped (\S+)", study, re.M)
        print("variants run: " + ", ".join(re.findall(r"^  (a\S*) = ", study, re.M)) + "; skipped: " + (", ".join(skipped) or "none"))


if __name__ == "__main__":
    main()
