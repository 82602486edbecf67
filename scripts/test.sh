#!/usr/bin/env bash
# Runs every test: sets up what is missing (no tour), builds, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHON_SKIP_TOUR=1 bash scripts/setup.sh
# scipy: an independent implementation the statistics tests check ours against.
if ! .venv/bin/python -c 'import scipy' 2>/dev/null; then
  echo "test: installing scipy into .venv (independent checks of the statistics)"
  .venv/bin/pip install -q --disable-pip-version-check "scipy==1.17.1"
fi
# scikit-learn: an independent Gaussian process the search's maths is checked against.
if ! .venv/bin/python -c 'import sklearn' 2>/dev/null; then
  echo "test: installing scikit-learn into .venv (independent check of the search's Gaussian process)"
  .venv/bin/pip install -q --disable-pip-version-check "scikit-learn==1.9.1"
fi
swift build --build-tests 2>&1 | grep -E "error|warning: .*(Sources|Tests)/|Build complete" || true
swift test --skip-build --disable-swift-testing 2>&1 | tee .build/test-output.txt | grep -vE "^Test Case .* (started|passed)" 
exit "${PIPESTATUS[0]}"
