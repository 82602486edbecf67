#!/usr/bin/env bash
# Runs every test: sets up what is missing (no tour), builds, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHON_SKIP_TOUR=1 bash scripts/setup.sh
swift build --build-tests 2>&1 | grep -E "error|warning: .*(Sources|Tests)/|Build complete" || true
swift test --skip-build --disable-swift-testing 2>&1 | tee .build/test-output.txt | grep -vE "^Test Case .* (started|passed)" 
exit "${PIPESTATUS[0]}"
