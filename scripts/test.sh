#!/usr/bin/env bash
# The test suite: offline, from cassettes (plus a few tests that run the small embedded model).
# --fast runs the fast tier (no model, browser, subprocess or slow tests; fewer hypothesis examples),
# on every core when pytest-xdist (the dev extra) is installed; a -n you give wins.
# The whole suite prints its 20 slowest tests (a --durations you give wins): where CI's time goes.
# docs/development.md#test-tiers. Other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=()
if [[ " $* " == *" --fast "* ]] && .venv/bin/python -c "import xdist" 2>/dev/null; then
  extra=(-n auto)
elif [[ " $* " != *" --fast "* && " $* " != *" --durations"* ]]; then
  extra=(--durations=20)
fi
exec .venv/bin/python -m pytest -q ${extra[@]+"${extra[@]}"} "$@"
