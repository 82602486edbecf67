"""Shared by the benchmark scripts: the newest archon build and the fake server from the tests."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def archon():
    """The newest of the release and debug builds of archon, and its kind."""
    built = [(os.path.join(ROOT, ".build", k, "archon"), k) for k in ("release", "debug")]
    built = [b for b in built if os.path.exists(b[0])]
    if not built:
        sys.exit("build archon first: swift build -c release")
    return max(built, key=lambda b: os.path.getmtime(b[0]))


class FakeServer:
    """The fake OpenAI-compatible server (Tests/ArchonTestSupport/fake_openai.py) on a free port."""

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests/ArchonTestSupport/fake_openai.py")],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline().split()[1])
        return self

    def url(self, mode):
        return f"http://127.0.0.1:{self.port}/{mode}/v1"

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait()
