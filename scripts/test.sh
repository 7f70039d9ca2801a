#!/usr/bin/env bash
# The test suite: offline, from cassettes (plus a few tests that run the small embedded model).
# --fast runs the fast tier (no model, browser, subprocess or slow tests; fewer hypothesis examples),
# on a worker more than the cores when pytest-xdist (the dev extra) is installed; a -n you give wins.
# Otherwise (the whole suite, or what the arguments select of it) it runs in two parts when
# pytest-xdist is installed: everything but the model and `alone` tests on three workers (each takes
# the next test when it is free: --maxschedchunk=1), then those one at a time (tests/helpers/tiers.py);
# the reliability counters of both parts are written together (tests/helpers/figures.py). Recording
# cassettes (SUMMARISER_RECORD=1) runs the real model for them, so it runs in one part, one at a time.
# Each part prints its 20 slowest tests (a --durations you give wins): where CI's time goes.
# docs/development.md#test-tiers. Other arguments go to pytest (given to both parts).
set -euo pipefail
cd "$(dirname "$0")/.."
pytest=(.venv/bin/python -m pytest -q)
xdist=false
.venv/bin/python -c "import xdist" 2>/dev/null && xdist=true
if [[ " $* " == *" --fast "* ]]; then
  # a worker more than the cores, stealing work when idle: its tests wait on loopback servers and deadlines
  # (two workers: 1 min 44 s, three stealing: 1 min 28 s, 2026-12-07)
  $xdist && pytest+=(-n "$(($(nproc) + 1))" --dist worksteal)
  exec "${pytest[@]}" "$@"
fi
[[ " $* " != *" --durations"* ]] && pytest+=(--durations=20)
if ! $xdist || [[ "${SUMMARISER_RECORD:-}" == 1 ]]; then # recording runs the real model: one test at a time
  exec "${pytest[@]}" "$@"
fi
held=$(mktemp)
trap 'rm -f "$held"' EXIT
status=0
# three workers on two cores: its tests wait on child processes, servers and kills (two kept 1.6 cores busy)
"${pytest[@]}" -n 3 --maxschedchunk=1 --part=shared --figures-hold="$held" "$@" || status=$?
case $status in
  0 | 1 | 5) ;;        # passed, failed, nothing selected: the other part runs all the same
  *) exit "$status" ;; # interrupted, an internal or a usage error: stop here
esac
shared=$status status=0
"${pytest[@]}" --part=alone --figures-add="$held" "$@" -n 0 || status=$?  # -n 0: one at a time, whatever -n was given
if ((shared == 5 && status == 5)); then
  exit 5 # nothing selected in either part
fi
for code in "$shared" "$status"; do
  if ((code != 0 && code != 5)); then
    exit "$code"
  fi
done
