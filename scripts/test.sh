#!/usr/bin/env bash
# The test suite: offline, from cassettes (plus a few tests that run the small embedded model).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q "$@"
