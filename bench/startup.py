"""Benchmark: REPL start to first prompt, a first `ask` on the local model, and peak memory.

Runs the built binary in a pseudo-terminal (as a user would see it), N times, and prints figures.
Usage: python3 bench/startup.py [RUNS]   (build first: swift build -c release, or debug)
"""
import os
import pty
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time

from common import archon as binary

def run_pty(argv, steps, env):
    """Spawns argv in a pty; for each (text_to_send, text_to_wait_for) records the seconds it took."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out = b""
    times = []
    start = time.perf_counter()
    for send, wait in steps:
        if send:
            time.sleep(0.3)  # let the line editor settle into raw mode before typing
            os.write(fd, send.encode())
        t0 = time.perf_counter() if send else start
        while wait.encode() not in out:
            r, _, _ = select.select([fd], [], [], 8)
            if not r:
                raise RuntimeError(f"timed out waiting for {wait!r}; got {out[-300:]!r}")
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
        times.append(time.perf_counter() - t0)
        out = out[out.index(wait.encode()) + len(wait):]
    time.sleep(0.3)
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    return times


def once(db):
    exe, _ = binary()
    env = dict(os.environ, ARCHON_HISTORY=db + ".history", TERM="xterm")
    t = run_pty([exe, "--db", db], [(None, "archon>"),
                                    ("model tiny = local/smollm2 temperature=0 max_tokens=64\r", "[2] archon>"),
                                    ('ask tiny "Name three primary colors."\r', "[3] archon>")], env)
    print(t[0], t[2])


def main():
    if sys.argv[1:2] == ["--once"]:
        return once(sys.argv[2])
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    _, kind = binary()
    tmp = tempfile.mkdtemp()
    prompt_times, ask_times = [], []
    for i in range(runs):
        # One process per run: each measures a cold archon and a cold local model server.
        out = subprocess.run([sys.executable, __file__, "--once", os.path.join(tmp, f"b{i}.sqlite")],
                             capture_output=True, text=True, timeout=120).stdout.split()
        prompt_times.append(float(out[0]))
        ask_times.append(float(out[1]))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"archon ({kind} build), {runs} runs")
    print(f"start to first prompt: median {statistics.median(prompt_times)*1000:.0f} ms, "
          f"min {min(prompt_times)*1000:.0f} ms, max {max(prompt_times)*1000:.0f} ms")
    print(f"first ask (includes starting the local model server): median {statistics.median(ask_times)*1000:.0f} ms, "
          f"min {min(ask_times)*1000:.0f} ms, max {max(ask_times)*1000:.0f} ms")
    print(f"peak resident memory of the largest process (archon or the llama.cpp server): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
