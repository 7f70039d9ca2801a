#!/usr/bin/env bash
# The test suite: offline, from cassettes (plus a few tests that run the small embedded model).
# --fast runs the fast tier (no model, browser, subprocess or slow tests; fewer hypothesis examples),
# on every core when pytest-xdist (the dev extra) is installed; a -n you give wins.
# docs/development.md#test-tiers. Other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
workers=()
if [[ " $* " == *" --fast "* ]] && .venv/bin/python -c "import xdist" 2>/dev/null; then
  workers=(-n auto)
fi
exec .venv/bin/python -m pytest -q ${workers[@]+"${workers[@]}"} "$@"
