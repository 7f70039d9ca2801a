#!/usr/bin/env bash
# The test suite: offline, from cassettes (plus a few tests that run the small embedded model).
# --fast runs the fast tier (no model, browser or subprocess tests; fewer hypothesis examples):
# docs/development.md#test-tiers. Other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q "$@"
